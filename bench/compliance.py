"""The license-to-hold-post compliance view at 1,000 and 100,000 people (`seed demo --staff N`, 3,000 outlets at
100k), with certificates bulk-inserted for a realistic share of the people in licensed posts (on top of the demo
step's own). Measures the compliance service for head office and for one branch (median of 20 calls) and counts
its SQL statements, which must be the same at both sizes. Aim: < 300 ms head office, < 50 ms one branch."""
from __future__ import annotations

import os
import random
import secrets
import sys
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import count_statements, per_size, percentiles, record, run_script, time_calls  # noqa: E402

SIZES = (1_000, 100_000)
#: Shares of people in licensed posts: with a live certificate, with a lapsed one, with none.
HOLDING, LAPSED = 0.72, 0.08


def _bulk_certificates(db, rng: random.Random) -> int:
    from sqlalchemy import insert, select

    from app.accounts.models import Person
    from app.certification import types as cert_types
    from app.certification.models import Certificate
    from app.certification.serials import new_serial
    from app.certification.services import add_months
    from app.core import clock

    now, rows = clock.now(), []
    held = set(db.session.execute(select(Certificate.person_id, Certificate.type_code)).all())
    for cert_type in cert_types.all_types().values():
        for person_id in db.session.scalars(select(Person.id).where(Person.position.in_(cert_type.positions))):
            draw = rng.random()
            if (person_id, cert_type.code) in held or draw > HOLDING + LAPSED:
                continue
            months = (cert_type.validity_months or 24) + (rng.randint(1, 6) if draw > HOLDING else -rng.randint(1, 23))
            issued = now - timedelta(days=months * 30 + rng.randint(0, 29))
            until = add_months(issued, cert_type.validity_months) if cert_type.validity_months else None
            rows.append({"serial": new_serial(), "type_code": cert_type.code, "person_id": person_id,
                         "earning_key": f"bench:{secrets.token_hex(8)}", "evidence": [], "issued_at": issued,
                         "valid_until": until, "kid": "", "credential_jwt": ""})
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Certificate), rows[start:start + 5000])
    db.session.commit()
    return len(rows)


def measure(staff: int) -> dict:
    """In a fresh process per size (the app reads its instance path at import)."""
    from sqlalchemy import func, select

    from app import create_app
    from app.accounts.models import Person
    from app.certification import compliance
    from app.certification.models import Certificate
    from app.extensions import db
    from app.org.services import root_unit, unit_by_code

    app = create_app()
    with app.app_context():
        inserted = _bulk_certificates(db, random.Random(7))
        head_office, branch = root_unit(), unit_by_code("JS")
        with count_statements(db.engine) as statements:
            result = compliance.compliance(head_office)
        figures = {
            **percentiles(time_calls(lambda: compliance.compliance(head_office), 20)),
            "branch_p50_ms": percentiles(time_calls(lambda: compliance.compliance(branch), 20))["p50_ms"],
            "statements": statements[0],
            "people": db.session.scalar(select(func.count()).select_from(Person)),
            "required": result.total.required, "licensed": result.total.licensed,
            "certificates": db.session.scalar(select(func.count()).select_from(Certificate)), "bulk_inserted": inserted,
        }
    return figures


def main() -> dict:
    figures = per_size(__file__, "compliance", SIZES)
    small, large = figures["staff_1000"], figures["staff_100000"]
    summary = {"p50_ms": large["p50_ms"], "p95_ms": large["p95_ms"], "branch_p50_ms": large["branch_p50_ms"],
               "statements": large["statements"], "statements_at_1000": small["statements"],
               "statements_at_100000": large["statements"], "p50_ms_at_1000": small["p50_ms"],
               "people": large["people"], "required": large["required"], "certificates": large["certificates"]}
    record("compliance", summary)
    return {"summary": summary, **figures}


def report(result: dict) -> None:
    print(f"{'size':<14}{'p50 HO ms':>12}{'p95 HO ms':>12}{'p50 JS ms':>12}{'statements':>12}{'people':>10}{'required':>10}{'certs':>10}")
    for name in ("staff_1000", "staff_100000"):
        row = result[name]
        print(f"{name:<14}{row['p50_ms']:>12}{row['p95_ms']:>12}{row['branch_p50_ms']:>12}{row['statements']:>12}"
              f"{row['people']:>10}{row['required']:>10}{row['certificates']:>10}")


if __name__ == "__main__":
    run_script(measure, main, report)
