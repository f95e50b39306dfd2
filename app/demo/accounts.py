"""The demo sign-in accounts, all with the password DEMO_PASSWORD."""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import Person, Role, RoleGrant
from app.demo.org import DemoBank
from app.extensions import db

DEMO_PASSWORD = "Demo-2026!"
#: The branch whose head, assessor and trainee the demo accounts are.
DEMO_BRANCH = "JS"


def build_accounts(bank: DemoBank) -> dict[str, Person]:
    branch = bank.branches[DEMO_BRANCH]
    sub = next(s for s in bank.sub_branches if s.parent_id == branch.id)
    outlet = next(o for o in bank.outlets if o.parent_id == sub.id)
    specs = [
        ("admin", "系统管理员", bank.root, "head_office_staff", [(Role.admin, None), (Role.trainer, bank.root)]),
        ("trainer", "培训讲师", bank.root, "head_office_staff", [(Role.trainer, bank.root)]),
        ("assessor", "评估员", sub, "product_manager", [(Role.assessor, branch)]),
        ("head", "分行负责人", branch, "pf_manager", [(Role.branch_head, branch)]),
        ("trainee", "学员", outlet, "lobby_manager", [(Role.trainee, None)]),
    ]
    accounts = {}
    for index, (username, title, unit, position, roles) in enumerate(specs, start=1):
        person = Person(employee_no=f"D{index:04d}", name=title, org_unit=unit, position=position, username=username)
        person.set_password(DEMO_PASSWORD)
        person.roles = [RoleGrant(role=role, org_unit=scope) for role, scope in roles]
        db.session.add(person)
        accounts[username] = person
    db.session.flush()
    return accounts


def demo_account(username: str) -> Person | None:
    return db.session.scalars(select(Person).where(Person.username == username)).one_or_none()
