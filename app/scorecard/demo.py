"""Demo: four months of work logs for the account managers of the demo branch (and a sample
elsewhere, so rankings have peers), inspection items by the branch head, and the scores."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import insert, select

from app.accounts.models import Person, Role, RoleGrant
from app.demo.accounts import DEMO_BRANCH, DEMO_PASSWORD
from app.demo.steps import DemoContext, step
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause
from app.scorecard import services
from app.scorecard.models import EntryKind, WorkLogEntry
from app.scorecard.months import last_months, next_month

MANAGERS = ("wealth_manager", "cs_manager")
CUSTOMERS = ["王先生", "李女士", "张先生", "刘女士", "陈先生", "杨女士", "赵先生", "黄女士", "周先生", "吴女士"]
COMMUNITIES = ["翠苑小区", "金陵花园", "阳光社区", "锦绣华庭", "某科技公司", "某旅游公司"]
#: People outside the demo branch who get a light work log, so bank-wide rankings have peers.
ELSEWHERE = 1500


@step(70)
def work_logs(context: DemoContext) -> None:
    services.default_rule_set()
    branch = context.bank.branches[DEMO_BRANCH]
    manager = _demo_manager(context, branch)
    home = list(db.session.scalars(_managers().where(subtree_clause(OrgUnit.path, branch.path))))
    others = list(db.session.scalars(_managers().where(~subtree_clause(OrgUnit.path, branch.path)).limit(ELSEWHERE)))
    head = context.accounts.get("head")
    months = last_months(4)
    rows = []
    for month in months:
        for person in home:
            rows += _month_rows(context, person, month, full=True, head=head)
        for person in others:
            rows += _month_rows(context, person, month, full=False, head=None)
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(WorkLogEntry), rows[start:start + 5000])
    for month in months:
        services.recompute(month)
    context.report.append(_("Work log: %(entries)d entries over %(months)d months; scores computed. Account manager: %(user)s.",
                            entries=len(rows), months=len(months), user=manager.username))


def _managers():
    return select(Person).join(OrgUnit, OrgUnit.id == Person.org_unit_id).where(Person.position.in_(MANAGERS)).order_by(Person.id)


def _demo_manager(context: DemoContext, branch: OrgUnit) -> Person:
    """A sign-in account for an account manager at the demo branch's first outlet."""
    outlet = next(o for o in context.bank.outlets if o.path.startswith(branch.path))
    person = Person(employee_no="D0101", name="客户经理", org_unit=outlet, position="wealth_manager", username="manager")
    person.set_password(DEMO_PASSWORD)
    person.roles = [RoleGrant(role=Role.trainee)]
    db.session.add(person)
    db.session.flush()
    context.accounts["manager"] = person
    return person


def _days(month: date, until: date) -> list[date]:
    last = min(next_month(month) - timedelta(days=1), until)
    return [month + timedelta(days=n) for n in range((last - month).days + 1) if (month + timedelta(days=n)).weekday() < 5]


def _month_rows(context: DemoContext, person: Person, month: date, full: bool, head: Person | None) -> list[dict]:
    from app.core import clock

    rng, days = context.rng, _days(month, clock.today())
    if not days:
        return []
    base = {"person_id": person.id, "entered_by_id": person.id, "customer": "", "plan": "", "results": "", "note": "",
            "created_at": clock.now()}
    calls = rng.randint(20, 60) if full else rng.randint(0, 25)
    rows = [{**base, "kind": EntryKind.call, "occurred_on": rng.choice(days), "customer": rng.choice(CUSTOMERS)} for _ in range(calls)]
    for _ in range(rng.randint(0, 4) if full else rng.randint(0, 1)):
        day = rng.choice(days)
        reported = day - timedelta(days=rng.choice([0, 1, 1, 2]))
        rows.append({**base, "kind": EntryKind.visit, "occurred_on": day, "customer": rng.choice(CUSTOMERS), "reported_on": reported})
    if full and rng.random() < 0.6:
        rows.append({**base, "kind": EntryKind.event, "occurred_on": rng.choice(days), "customer": rng.choice(COMMUNITIES),
                     "plan": "理财知识讲座，邀约50户", "results": f"到场{rng.randint(30, 80)}人，新增客户{rng.randint(5, 25)}户",
                     "creativity": rng.randint(0, 5)})
    if head is not None:
        rows += _inspection_rows(rng, base, days, head)
    return rows


def _inspection_rows(rng, base: dict, days: list[date], head: Person) -> list[dict]:
    by_head = {**base, "entered_by_id": head.id}
    rows = []
    if rng.random() < 0.7:
        rows.append({**by_head, "kind": EntryKind.service_check, "occurred_on": rng.choice(days),
                     "score": Decimal(rng.choice([75, 82, 90, 95, 98, 100, 100]))})
    if rng.random() < 0.5:
        rows.append({**by_head, "kind": EntryKind.satisfaction, "occurred_on": rng.choice(days),
                     "score": Decimal(rng.choice(["7.5", "8.5", "9.0", "9.5"]))})
    if rng.random() < 0.08:
        rows.append({**by_head, "kind": EntryKind.complaint, "occurred_on": rng.choice(days), "note": "客户投诉等候时间过长"})
    if rng.random() < 0.1:
        rows.append({**by_head, "kind": EntryKind.misconduct, "occurred_on": rng.choice(days), "severity": rng.randint(1, 3),
                     "note": "未按规范进行风险提示"})
    return rows
