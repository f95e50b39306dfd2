"""Shared by the benchmarks: a cached demo database per size, timing, and the results file."""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "latest.json"
CACHE = ROOT / "bench" / ".cache"


def flask(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   capture_output=True)


def demo_instance(staff: int, name: str) -> dict:
    """An instance folder with a migrated SQLite database seeded with `staff` people, built once and copied.
    Returns the environment to run the app on it."""
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"demo-{staff}"
    env = {**os.environ, "SECRET_KEY": "bench", "PYTHONPATH": str(ROOT), "LOGIN_RATE_LIMIT": "100000 per minute"}
    env.pop("REDIS_URL", None)
    if not (cached / "leadgoose.db").exists():
        shutil.rmtree(cached, ignore_errors=True)
        cached.mkdir()
        build = {**env, "INSTANCE_PATH": str(cached), "DATABASE_URL": f"sqlite:///{cached}/leadgoose.db"}
        flask(build, "db", "upgrade")
        for command in (["courses", "sync"], ["questions", "import", "question_bank"], ["plans", "sync"]):
            try:
                flask(build, *command)
            except subprocess.CalledProcessError:
                pass  # a domain not present in this checkout
        flask(build, "seed", "demo", "--staff", str(staff))
    target = ROOT / "bench" / ".work" / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(cached, target)
    return {**env, "INSTANCE_PATH": str(target), "DATABASE_URL": f"sqlite:///{target}/leadgoose.db"}


def per_size(script: str, name: str, sizes) -> dict:
    """Run `script --one N` for each size N in a fresh process (the app reads its instance path at
    import) on its own copy of the demo database; each prints its figures as JSON on its last line."""
    figures = {}
    for staff in sizes:
        env = demo_instance(staff, f"{name}_{staff}")
        flask(env, "db", "upgrade")  # a cached database may predate a domain's migration
        output = subprocess.run([sys.executable, script, "--one", str(staff)], env=env, check=True,
                                stdout=subprocess.PIPE, text=True).stdout
        figures[f"staff_{staff}"] = json.loads(output.strip().splitlines()[-1])
    return figures


def run_script(measure, main, report) -> None:
    """A per-size benchmark's entry point: `--one N` measures one size and prints JSON; no arguments
    runs every size and prints the table."""
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        print(json.dumps(measure(int(sys.argv[2]))))
    else:
        report(main())


def percentiles(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)
    pick = lambda q: ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]  # noqa: E731
    return {"p50_ms": round(statistics.median(ordered), 3), "p95_ms": round(pick(0.95), 3), "p99_ms": round(pick(0.99), 3)}


def time_calls(call, repeat: int) -> list[float]:
    call()  # warm caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


@contextmanager
def count_statements(engine):
    """Counts SQL statements sent through `engine` inside the block: yields a one-item list."""
    from sqlalchemy import event

    counter = [0]

    def before(*_args, **_kwargs):
        counter[0] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


def record(case: str, figures: dict) -> None:
    """Merge one case's figures into bench/results/latest.json."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[case] = figures
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False))
