"""With REDIS_URL set, login throttling is shared by every worker process."""
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKER = r"""
import sys
from app import create_app
from tests.conftest import _csrf_from
from flask_migrate import upgrade
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[3], "LOGIN_RATE_LIMIT": "3 per minute"})
with app.app_context():
    upgrade(revision="heads")
from app.extensions import limiter
print(type(limiter.storage).__name__)
client = app.test_client()
for _ in range(int(sys.argv[1])):
    token = _csrf_from(client.get("/login").get_data(as_text=True))
    print(client.post("/login", data={"username": sys.argv[2], "password": "x", "csrf_token": token}).status_code)
"""


def _redis_available() -> bool:
    try:
        import redis

        return redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        return False


def _worker(tmp_path, attempts: int, username: str) -> list[str]:
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/15", "INSTANCE_PATH": str(tmp_path),
           "SECRET_KEY": "x", "PYTHONPATH": str(ROOT)}
    database = str(tmp_path / "worker.db")
    done = subprocess.run([sys.executable, "-c", WORKER, str(attempts), username, database], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


def test_two_workers_share_the_login_throttle(tmp_path):
    if not _redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis is expected in CI")
        pytest.skip("no Redis on 127.0.0.1:6379")
    import redis

    redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()  # db 15 is the tests' own
    username = f"nobody-{uuid.uuid4().hex[:8]}"
    first = _worker(tmp_path, 3, username)
    assert first[0] == "RedisStorage" and first[1:] == ["401", "401", "401"]
    second = _worker(tmp_path, 1, username)
    assert second[1:] == ["429"], "a second worker process did not see the first one's failed attempts"
