"""Rankings at 1,000 and 100,000 people (`seed demo --staff N`: 3,000 outlets at 100k), with one month of work
logs bulk-inserted for everyone (0–6 calls and visits each, some inspection items) and scored in one set-based
recompute. Times (median of 20) the bank-wide ranking of one position, one branch's ranking, a person's rank
bank-wide and the head-office ranking of branches, and counts their SQL statements, which must be the same at
both sizes (one query per ranking)."""
from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import count_statements, per_size, percentiles, record, run_script, time_calls  # noqa: E402

SIZES = (1_000, 100_000)


def _bulk_work_log(db, month, rng: random.Random) -> int:
    from sqlalchemy import insert, select

    from app.accounts.models import Person
    from app.core import clock
    from app.scorecard.models import EntryKind, WorkLogEntry

    now, rows = clock.now(), []
    for person_id in db.session.scalars(select(Person.id)):
        base = {"person_id": person_id, "entered_by_id": person_id, "customer": "客户", "plan": "", "results": "",
                "note": "", "created_at": now}
        for _ in range(rng.randint(0, 6)):
            day = month + timedelta(days=rng.randint(1, 27))
            if rng.random() < 0.8:
                rows.append({**base, "kind": EntryKind.call, "occurred_on": day})
            else:
                rows.append({**base, "kind": EntryKind.visit, "occurred_on": day, "reported_on": day - timedelta(days=rng.randint(0, 2))})
        if rng.random() < 0.2:
            rows.append({**base, "kind": EntryKind.service_check, "occurred_on": month + timedelta(days=3),
                         "score": rng.choice([70, 85, 97, 100])})
    for start in range(0, len(rows), 10000):
        db.session.execute(insert(WorkLogEntry), rows[start:start + 10000])
    db.session.commit()
    return len(rows)


def measure(staff: int) -> dict:
    """In a fresh process per size (the app reads its instance path at import)."""
    from sqlalchemy import func, select

    from app import create_app
    from app.accounts.models import Person
    from app.extensions import db
    from app.org.models import OrgKind
    from app.org.services import root_unit, unit_by_code
    from app.scorecard import rankings, services
    from app.scorecard.models import MonthlyScore
    from app.scorecard.months import last_months, previous_month

    app = create_app()
    with app.app_context():
        month = previous_month(last_months(4)[0])  # a month the demo's own work log leaves empty
        entries = _bulk_work_log(db, month, random.Random(8))
        start = time.perf_counter()
        services.recompute(month)
        db.session.commit()
        recompute_ms = round((time.perf_counter() - start) * 1000)
        bank, branch = root_unit(), unit_by_code("JS")
        someone = db.session.scalars(select(Person).where(Person.position == "wealth_manager").order_by(Person.id.desc())).first()
        calls = {
            "bank": lambda: rankings.person_ranking(bank, month, "wealth_manager"),
            "branch": lambda: rankings.person_ranking(branch, month, "wealth_manager"),
            "rank_of": lambda: rankings.rank_of(someone, bank, month),
            "branches": lambda: rankings.unit_ranking(bank, OrgKind.branch, month),
        }
        figures = {"people": db.session.scalar(select(func.count()).select_from(Person)), "entries": entries,
                   "scores": db.session.scalar(select(func.count()).select_from(MonthlyScore).where(MonthlyScore.month == month)),
                   "recompute_ms": recompute_ms}
        for name, call in calls.items():
            with count_statements(db.engine) as statements:
                call()
            figures[f"{name}_statements"] = statements[0]
            figures[f"{name}_p50_ms"] = percentiles(time_calls(call, 20))["p50_ms"]
    return figures


def main() -> dict:
    figures = per_size(__file__, "rankings", SIZES)
    small, large = figures["staff_1000"], figures["staff_100000"]
    statements = [large[f"{n}_statements"] for n in ("bank", "branch", "rank_of", "branches")]
    summary = {"p50_ms": large["bank_p50_ms"], "branch_p50_ms": large["branch_p50_ms"],
               "rank_of_p50_ms": large["rank_of_p50_ms"], "branches_p50_ms": large["branches_p50_ms"],
               "statements": max(statements), "statements_at_1000": max(small[f"{n}_statements"] for n in ("bank", "branch", "rank_of", "branches")),
               "statements_at_100000": max(statements), "p50_ms_at_1000": small["bank_p50_ms"],
               "people": large["people"], "entries": large["entries"], "recompute_ms": large["recompute_ms"]}
    record("rankings", summary)
    return {"summary": summary, **figures}


def report(result: dict) -> None:
    names = ("bank", "branch", "rank_of", "branches")
    print(f"{'size':<14}{'people':>9}{'entries':>9}{'recompute ms':>14}" + "".join(f"{n + ' ms':>14}{'stmts':>7}" for n in names))
    for size in ("staff_1000", "staff_100000"):
        row = result[size]
        print(f"{size:<14}{row['people']:>9}{row['entries']:>9}{row['recompute_ms']:>14}"
              + "".join(f"{row[n + '_p50_ms']:>14}{row[n + '_statements']:>7}" for n in names))


if __name__ == "__main__":
    run_script(measure, main, report)
