"""Helpers for CLI commands."""
import sys

import click


class ProgressBar:
    """A progress bar on stderr for work whose size is known only once it starts:
    call update(done, total) as it goes, finish() at the end."""

    def __init__(self, label: str):
        self.label = label
        self._bar = None
        self._done = 0

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
