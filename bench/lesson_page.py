"""A lesson page's server time: served from the HTML stored at publication, no Markdown work per request.
Baseline in the same run and the same app: a static file (/static/css/app.css) and /healthz.
Requests go through the Flask test client as the signed-in demo trainee (the whole request: session,
access check, queries, template), 300 of each."""
from __future__ import annotations

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import count_statements, demo_instance, percentiles, record, time_calls  # noqa: E402

LESSON = "/courses/complaint-handling/lessons/key-points"
REQUESTS = 300


def main(staff: int = 2400) -> dict:
    env = demo_instance(staff, "lesson_page")
    os.environ.update({k: env[k] for k in ("INSTANCE_PATH", "DATABASE_URL", "SECRET_KEY")})
    from app import create_app
    from app.extensions import db

    app = create_app()
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"username": "trainee", "password": "Demo-2026!", "csrf_token": token})

    def get(path: str):
        def call():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            response.close()
        return call

    with app.app_context():
        engine = db.engine
    get(LESSON)()
    with count_statements(engine) as statements:
        get(LESSON)()
    lesson = percentiles(time_calls(get(LESSON), REQUESTS))
    static = percentiles(time_calls(get("/static/css/app.css"), REQUESTS))
    health = percentiles(time_calls(get("/healthz"), REQUESTS))
    figures = {
        **lesson, "requests": REQUESTS, "statements": statements[0],
        "static_p50_ms": static["p50_ms"], "static_p99_ms": static["p99_ms"],
        "healthz_p50_ms": health["p50_ms"], "healthz_p99_ms": health["p99_ms"],
        "ratio_to_baseline": round(lesson["p50_ms"] / static["p50_ms"], 2),
        "ratio_p99_to_baseline": round(lesson["p99_ms"] / static["p99_ms"], 2),
        "baseline": "/static/css/app.css",
    }
    record("lesson_page", figures)
    return figures


if __name__ == "__main__":
    result = main(int(sys.argv[1]) if len(sys.argv) > 1 else 2400)
    for key, value in result.items():
        print(f"{key:>22}: {value}")
