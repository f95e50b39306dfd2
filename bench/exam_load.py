"""Exam-day load: simulated exam takers against the app under gunicorn, on a fresh SQLite database
and, when a PostgreSQL server is reachable, on a PostgreSQL database of its own.

Per backend, in one run on one server:
  baseline   a bare endpoint that inserts one row (LEADGOOSE_BENCH=1 only), closed loop, C clients
  capacity   answer saves (PUT /api/v1/attempts/{id}/answers/{slot}), same closed loop, C clients
  takers     T exam takers, arriving over ARRIVAL seconds: start, answer every question with think
             time (and change some answers), submit; latency of the saves (and p50/p99 of the
             starts and submits), errors, and afterwards every acknowledged save looked up in the
             database (lost_answers). Run twice: at stress pace and at exam pace (PACES).
ratio_to_baseline = capacity saves/s ÷ baseline inserts/s.
Writes bench/results/latest.json key "exam_load" (merged with the other benches)."""
from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, percentiles, record  # noqa: E402

TAKERS = int(os.environ.get("EXAM_BENCH_TAKERS", "500"))
CLOSED_LOOP_CLIENTS = int(os.environ.get("EXAM_BENCH_CLIENTS", "32"))
CLOSED_LOOP_SECONDS = float(os.environ.get("EXAM_BENCH_SECONDS", "10"))
#: Takers start within ARRIVAL seconds of the exam opening (people sit down and sign in over the
#: first half-minute of the Wednesday meeting), then think between the bounds before each answer.
#: Two paces: "stress", 1-3 s a question, ~10x the save rate of a real exam; and "exam pace",
#: 5-15 s a question, still brisker than people read and answer a bank-knowledge question.
ARRIVAL = float(os.environ.get("EXAM_BENCH_ARRIVAL", "30"))
PACES = {"takers": (1.0, 3.0), "takers_exam_pace": (5.0, 15.0)}
EXAM = "quiz-team-building"  # 10 drawn questions, no time limit, unlimited attempts
WORKERS = os.environ.get("EXAM_BENCH_WORKERS", "4")
THREADS = os.environ.get("EXAM_BENCH_THREADS", "16")
PG_ADMIN = os.environ.get("TEST_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_NAME = "leadgoose_exam_bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def backends() -> list[tuple[str, str, str]]:
    """(name, DATABASE_URL for the app, URL for the check) of each database to run on, fresh."""
    work = Path(tempfile.mkdtemp(prefix="exam-bench-"))
    found = [("sqlite", f"sqlite:///{work}/bench.db", f"sqlite:///{work}/bench.db")]
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_NAME}"')
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_NAME
        found.append(("postgresql", url, url.replace("postgresql://", "postgresql+psycopg://", 1)))
    except Exception as error:  # noqa: BLE001 - no server: SQLite only
        print(f"PostgreSQL not reachable ({error.__class__.__name__}): SQLite only", flush=True)
    return found


def environment(database_url: str) -> dict:
    instance = tempfile.mkdtemp(prefix="exam-bench-instance-")
    env = {**os.environ, "INSTANCE_PATH": instance, "DATABASE_URL": database_url, "SECRET_KEY": "bench",
           "PYTHONPATH": str(ROOT), "LEADGOOSE_BENCH": "1"}
    env.pop("REDIS_URL", None)
    return env


def prepare(env: dict) -> list[str]:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "exam_setup.py"), str(TAKERS)], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", WORKERS, "-k", "gthread", "--threads", THREADS,
                               "--backlog", "2048", "--keep-alive", "120", "--graceful-timeout", "5", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=open(Path(env["INSTANCE_PATH"]).parent / f"exam-bench-gunicorn-{port}.log", "wb"))
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see the exam-bench-gunicorn log in the temp folder")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                return server, url
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer")


class Stats:
    def __init__(self):
        self.samples: list[float] = []
        self.errors = 0
        self.error_kinds: dict[str, int] = {}
        self.extra: dict[str, float] = {}

    def fail(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def figures(self, seconds: float) -> dict:
        figures = {"throughput": round(len(self.samples) / seconds, 1), **percentiles(self.samples or [0.0]),
                   "errors": self.errors, "requests": len(self.samples) + self.errors, **self.extra}
        if self.error_kinds:
            figures["error_kinds"] = self.error_kinds
        return figures


async def timed(session, method: str, url: str, stats: Stats, **kwargs):
    start = time.perf_counter()
    try:
        async with session.request(method, url, **kwargs) as response:
            body = await response.json(content_type=None)
            if response.status >= 400:
                detail = body.get("detail", "") if isinstance(body, dict) else ""
                stats.fail(f"HTTP {response.status} {detail[:80]}".strip())
                return None
    except Exception as error:  # noqa: BLE001 - counted, reported
        stats.fail(error.__class__.__name__)
        return None
    stats.samples.append((time.perf_counter() - start) * 1000)
    return body


def answer_for(question: dict, rng: random.Random):
    kind = question["type"]
    if kind == "single":
        return {"choice": rng.randrange(len(question["options"]))}
    if kind == "multiple":
        return {"choices": rng.sample(range(len(question["options"])), k=rng.randint(1, len(question["options"])))}
    if kind == "truefalse":
        return {"value": rng.random() < 0.5}
    if kind == "fill":
        return {"text": rng.choice(["二十", "20", "不知道"])}
    return {"note": "演练完成"}


async def closed_loop(session, make_request, clients: int, seconds: float) -> Stats:
    stats = Stats()
    stop = time.perf_counter() + seconds

    async def client(index: int):
        count = 0
        while time.perf_counter() < stop:
            await make_request(index, count, stats)
            count += 1

    await asyncio.gather(*(client(i) for i in range(clients)))
    return stats


async def run_backend(url: str, tokens: list[str]) -> tuple[dict, dict, dict, list]:
    import aiohttp

    acknowledged: list[tuple[int, str]] = []
    connector = aiohttp.TCPConnector(limit=TAKERS + CLOSED_LOOP_CLIENTS, force_close=False)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        baseline_stats = await closed_loop(
            session, lambda i, n, stats: timed(session, "POST", url + "/exams/_bench/insert", stats),
            CLOSED_LOOP_CLIENTS, CLOSED_LOOP_SECONDS)
        capacity_stats, attempts = await capacity(session, url, tokens[:CLOSED_LOOP_CLIENTS], acknowledged)
        paces = {}
        for name, think in PACES.items():
            stats, elapsed = await takers(session, url, tokens, acknowledged, think)
            paces[name] = stats.figures(elapsed)
    baseline = baseline_stats.figures(CLOSED_LOOP_SECONDS)
    saves = capacity_stats.figures(CLOSED_LOOP_SECONDS)
    saves["ratio_to_baseline"] = round(saves["throughput"] / baseline["throughput"], 3) if baseline["throughput"] else None
    return baseline, saves, paces, acknowledged


async def capacity(session, url: str, tokens: list[str], acknowledged: list):
    """Answer saves as fast as the clients can send them (no think time), one attempt per client."""
    setup = Stats()
    attempts = []
    for token in tokens:
        body = await timed(session, "POST", f"{url}/api/v1/exams/{EXAM}/attempts", setup, headers=_auth(token))
        attempts.append(body)
    if setup.errors:
        raise RuntimeError(f"could not start attempts: {setup.error_kinds}")
    rng = random.Random(1)

    async def save(index: int, count: int, stats: Stats):
        attempt = attempts[index]
        question = attempt["questions"][count % len(attempt["questions"])]
        seq = f"cap-{index}-{count}"
        body = await timed(session, "PUT", f"{url}/api/v1/attempts/{attempt['id']}/answers/{question['slot']}", stats,
                           headers=_auth(tokens[index]), json={"response": answer_for(question, rng), "client_seq": seq})
        if body is not None:
            acknowledged.append((attempt["id"], seq))

    stats = await closed_loop(session, save, len(tokens), CLOSED_LOOP_SECONDS)
    return stats, attempts


async def takers(session, url: str, tokens: list[str], acknowledged: list, think: tuple[float, float]) -> tuple[Stats, float]:
    """Every taker starts (or resumes), answers each question after thinking, changes a few
    answers, and submits. The saves are timed; starts and submits are reported beside them."""
    saves, starts, submits = Stats(), Stats(), Stats()

    async def taker(index: int, token: str):
        rng = random.Random(index)
        await asyncio.sleep(rng.uniform(0, ARRIVAL))
        attempt = await timed(session, "POST", f"{url}/api/v1/exams/{EXAM}/attempts", starts, headers=_auth(token))
        if attempt is None:
            return
        plan = attempt["questions"] + rng.sample(attempt["questions"], k=2)
        for number, question in enumerate(plan):
            await asyncio.sleep(rng.uniform(*think))
            seq = f"t{think[0]:g}-{index}-{number}"
            body = await timed(session, "PUT", f"{url}/api/v1/attempts/{attempt['id']}/answers/{question['slot']}", saves,
                               headers=_auth(token), json={"response": answer_for(question, rng), "client_seq": seq})
            if body is not None:
                acknowledged.append((attempt["id"], seq))
        await timed(session, "POST", f"{url}/api/v1/attempts/{attempt['id']}/submit", submits, headers=_auth(token))

    start = time.perf_counter()
    await asyncio.gather(*(taker(i, token) for i, token in enumerate(tokens)))
    elapsed = time.perf_counter() - start
    for name, other in (("start", starts), ("submit", submits)):
        saves.errors += other.errors
        for kind, n in other.error_kinds.items():
            saves.error_kinds[f"{name} {kind}"] = n
        figures = percentiles(other.samples or [0.0])
        saves.extra[f"{name}_p50_ms"], saves.extra[f"{name}_p99_ms"] = figures["p50_ms"], figures["p99_ms"]
    return saves, elapsed


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def lost_answers(check_url: str, acknowledged: list[tuple[int, str]]) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(check_url)
    with engine.connect() as conn:
        stored = set(conn.execute(text("SELECT attempt_id, client_seq FROM answer_steps WHERE client_seq IS NOT NULL")).all())
    engine.dispose()
    return sum(1 for item in acknowledged if tuple(item) not in stored)


def main() -> int:
    results = {}
    for name, database_url, check_url in backends():
        env = environment(database_url)
        print(f"-- {name}: preparing {TAKERS} takers", flush=True)
        tokens = prepare(env)
        server, url = start_server(env)
        try:
            baseline, saves, paces, acknowledged = asyncio.run(run_backend(url, tokens))
        finally:
            server.terminate()
            server.wait(timeout=30)
            shutil.rmtree(env["INSTANCE_PATH"], ignore_errors=True)
        lost = lost_answers(check_url, acknowledged)  # every acknowledged save of the run, all paces
        results[f"{name}/baseline_insert"] = baseline
        results[f"{name}/save_capacity"] = saves
        for pace, figures in paces.items():
            figures.update(lost_answers=lost, acknowledged=len(acknowledged), ratio_to_baseline=saves["ratio_to_baseline"],
                           think_s=list(PACES[pace]))
            results[f"{name}/{TAKERS}_{pace}"] = figures
        for row in ("baseline_insert", "save_capacity", *(f"{TAKERS}_{pace}" for pace in PACES)):
            print(f"{name}/{row}: {json.dumps(results[f'{name}/{row}'], ensure_ascii=False)}", flush=True)
    record("exam_load", results)
    bad = [k for k, v in results.items() if v.get("errors") or v.get("lost_answers")]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
