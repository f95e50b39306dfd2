"""Demo: enrolments in the demo branch at every stage and state, so the plan pages are not empty.
Results the exam engine would produce are recorded here as trainer waivers that say so (the
stages were assessed before the system went live), and one insurance-agent certificate is verified.
A second assessor account, `assessor2` (the senior account manager of the demo assessor's sub-branch,
the position that assesses stage 2), signs in to score drills or verify certificates too."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person, Role, RoleGrant
from app.config import ROOT
from app.core import clock
from app.demo.accounts import DEMO_BRANCH, DEMO_PASSWORD
from app.demo.steps import DemoContext, step
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause
from app.plans import services

#: A tiny but well-formed PDF, standing in for a scanned certificate.
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
OFFLINE = "系统上线前已线下考核通过（演示数据）"

#: (days since start, stages passed offline, what happens next) for the demo branch's trainees.
SCENARIOS = [
    (-7, 0, None),            # not started: starts next week
    (2, 0, None),             # stage 1, in progress
    (4, 0, None),             # stage 1, in progress
    (12, 0, None),            # stage 1, overdue
    (9, 1, None),             # stage 2, in progress
    (24, 1, None),            # stage 2, overdue
    (22, 2, None),            # stage 3, in progress
    (23, 2, "evidence"),      # stage 3, evidence awaiting verification
    (29, 2, "verified"),      # passed: certificate verified, plan completed
    (27, 1, "failed"),        # failed at stage 2
    (15, 0, "withdrawn"),     # withdrawn
]


@step(50)
def plans(context: DemoContext) -> None:
    services.sync_directory(ROOT / "courses" / "plans")
    template = services.template_by_slug("transfer-to-account-manager")
    trainer, head = context.accounts["trainer"], context.accounts["head"]
    _second_assessor(context)
    people = _demo_trainees(len(SCENARIOS))
    today = clock.today()
    for person, (days, passed, then) in zip(people, SCENARIOS):
        start = today - timedelta(days=days)
        enrolment = services.enrol(head, person, services.EnrolmentRequest(template, start))
        for position in range(1, passed + 1):
            services.decide_stage(trainer, enrolment, position, "waive", OFFLINE)
        _then(then, enrolment, trainer, context)
    trainee = context.accounts["trainee"]
    services.enrol(head, trainee, services.EnrolmentRequest(template, today - timedelta(days=2)))
    licensing = services.template_by_slug("outlet-head-licensing")
    for person in _demo_trainees(3, position="outlet_head"):
        services.enrol(trainer, person, services.EnrolmentRequest(licensing, today - timedelta(days=10)))
    db.session.flush()
    context.report.append(_("Plans: %(n)d enrolments in the demo branch.", n=len(people) + 4))


def _second_assessor(context: DemoContext) -> None:
    """Give the senior account manager next to the demo assessor a login and the assessor role in the branch."""
    assessor = context.accounts.get("assessor")
    if assessor is None:
        return
    person = db.session.scalars(select(Person).where(
        Person.org_unit_id == assessor.org_unit_id, Person.position == "senior_account_manager",
        Person.username.is_(None)).order_by(Person.employee_no).limit(1)).first()
    if person is None:
        return
    branch = db.session.scalars(select(OrgUnit).where(OrgUnit.code == DEMO_BRANCH)).one()
    person.username = "assessor2"
    person.set_password(DEMO_PASSWORD)
    person.roles.append(RoleGrant(role=Role.assessor, org_unit=branch))
    db.session.flush()
    context.accounts["assessor2"] = person


def _then(then: str | None, enrolment, trainer: Person, context: DemoContext) -> None:
    if then in ("evidence", "verified"):
        qualification = services.upload_evidence(context.accounts["head"], enrolment, "insurance_agent",
                                                 f"BX{enrolment.person.employee_no}", clock.today() - timedelta(days=1),
                                                 DEMO_PDF, "保险代理人资格证.pdf")
        if then == "verified":
            services.review_evidence(context.accounts["assessor"], qualification, verify=True)
    elif then == "failed":
        services.decide_stage(trainer, enrolment, enrolment.current_stage, "fail",
                              "演练考核三次未达到 80% 得分率，暂缓转岗（演示数据）")
    elif then == "withdrawn":
        services.withdraw(trainer, enrolment, "本人申请暂缓转岗，留任原岗位（演示数据）")


def _demo_trainees(count: int, position: str | None = None) -> list[Person]:
    """Staff without sign-in accounts in the demo branch (tellers, lobby and customer-service managers)."""
    branch = db.session.scalars(select(OrgUnit).where(OrgUnit.code == DEMO_BRANCH)).one()
    positions = [position] if position else ["teller", "lobby_manager", "cs_manager"]
    query = (select(Person).join(Person.org_unit)
             .where(subtree_clause(OrgUnit.path, branch.path), Person.position.in_(positions), Person.username.is_(None))
             .order_by(Person.employee_no).limit(count))
    return list(db.session.scalars(query))


