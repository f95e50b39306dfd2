"""Run a `flask --app wsgi …` command whose clock starts at a given instant and then runs on:
`python tests/e2e/shifted_clock.py 2026-06-03T18:00:05+08:00 db upgrade`.

Browser tests use it for a live server that must be at a particular time, e.g. inside an exam's weekly
window (Wednesdays 18:00–19:00), which a test cannot wait for. It only replaces `app.core.clock.now` —
the one clock every time rule asks, the same hook the in-process tests use with `clock.freeze` — before
the app is imported, so defaults bound to it see the shifted time too. The product is unchanged."""
from __future__ import annotations

import sys
from datetime import datetime, timezone


def main() -> None:
    start = datetime.fromisoformat(sys.argv[1])
    offset = start - datetime.now(timezone.utc)

    from app.core import clock

    def shifted_now() -> datetime:
        return clock._frozen if clock._frozen is not None else datetime.now(timezone.utc) + offset

    clock.now = shifted_now
    from flask.cli import main as flask_main

    sys.argv = ["flask", "--app", "wsgi", *sys.argv[2:]]
    flask_main()


if __name__ == "__main__":
    main()
