"""The baseline of bench/exam_load.py: a bare endpoint that inserts one row, on the same server
and database as the answer saves it is compared with. Registered only when LEADGOOSE_BENCH=1,
so it never exists in production; its table is created on first use and is not in the models."""
from __future__ import annotations

import os

from flask import Blueprint, jsonify
from sqlalchemy import text

from app.core import clock
from app.extensions import csrf, db

ENABLED = os.environ.get("LEADGOOSE_BENCH") == "1"


def register(blueprint: Blueprint) -> None:
    if not ENABLED:
        return
    blueprint.add_url_rule("/_bench/insert", "bench_insert", bench_insert, methods=["POST"])
    csrf.exempt(bench_insert)


def create_table() -> None:
    key = "BIGSERIAL PRIMARY KEY" if db.engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
    db.session.execute(text(f"CREATE TABLE IF NOT EXISTS bench_baseline_rows "
                            f"(id {key}, payload TEXT NOT NULL, saved_at VARCHAR(40) NOT NULL)"))
    db.session.commit()


def bench_insert():
    at = clock.now().isoformat()
    db.session.execute(text("INSERT INTO bench_baseline_rows (payload, saved_at) VALUES (:p, :t)"),
                       {"p": '{"choice": 1}', "t": at})
    db.session.commit()
    return jsonify({"saved_at": at})
