"""Prepare a fresh database for bench/exam_load.py (run with the app's environment): the question
bank, a small org, N exam takers with API tokens, and the baseline table. Prints the tokens as JSON."""
from __future__ import annotations

import json
import sys

from app import create_app
from app.accounts.models import ApiToken, Person, Role, RoleGrant
from app.exams.bench_baseline import create_table
from app.extensions import db
from app.org.models import OrgKind
from app.org.services import add_unit
from app.questions import services
from app.config import ROOT


def main(takers: int) -> None:
    app = create_app()
    with app.app_context():
        services.import_sources(services.collect(ROOT / "question_bank"))
        root = add_unit("HO", "总行", OrgKind.head_office, None, "Head office")
        outlet = add_unit("B-001", "压测网点", OrgKind.outlet, root)
        tokens = []
        for index in range(takers):
            person = Person(employee_no=f"B{index:06d}", name=f"考生{index}", org_unit=outlet, position="lobby_manager")
            person.roles = [RoleGrant(role=Role.trainee)]
            row, token = ApiToken.issue(person, "bench")
            db.session.add_all([person, row])
            tokens.append(token)
        db.session.commit()
        create_table()
    json.dump(tokens, sys.stdout)


if __name__ == "__main__":
    main(int(sys.argv[1]))
