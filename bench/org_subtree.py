"""Subtree queries at 100,000 people and 3,000 outlets: everyone under a branch, in one indexed query.
Baseline in the same run: the people of one outlet by plain equality on org_unit_id."""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import count_statements, demo_instance, percentiles, record, time_calls  # noqa: E402


def main(staff: int = 100_000) -> dict:
    env = demo_instance(staff, "org_subtree")
    os.environ.update({k: env[k] for k in ("INSTANCE_PATH", "DATABASE_URL", "SECRET_KEY")})
    from sqlalchemy import func, select, text

    from app import create_app
    from app.accounts.models import Person
    from app.extensions import db
    from app.org.models import OrgUnit, subtree_clause
    from app.org.services import unit_by_code

    app = create_app()
    with app.app_context():
        branch, outlet = unit_by_code("JS"), unit_by_code("JS-S01-001")
        people = db.session.scalar(select(func.count()).select_from(Person))
        outlets = db.session.scalar(select(func.count()).select_from(OrgUnit).where(OrgUnit.kind == "outlet"))
        subtree = select(func.count()).select_from(Person).join(OrgUnit).where(subtree_clause(OrgUnit.path, branch.path))
        baseline = select(func.count()).select_from(Person).where(Person.org_unit_id == outlet.id)
        with count_statements(db.engine) as statements:
            in_branch = db.session.scalar(subtree)
        case = percentiles(time_calls(lambda: db.session.scalar(subtree), 50))
        base = percentiles(time_calls(lambda: db.session.scalar(baseline), 50))
        compiled = subtree.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    figures = {**case, "people": people, "outlets": outlets, "people_in_branch": in_branch,
               "statements": statements[0], "baseline_p50_ms": base["p50_ms"],
               "ratio_to_baseline": round(case["p50_ms"] / base["p50_ms"], 2),
               "plan": " / ".join(str(row[-1]) for row in plan)}
    record("org_subtree", figures)
    return figures


if __name__ == "__main__":
    result = main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    for key, value in result.items():
        print(f"{key:>20}: {value}")
