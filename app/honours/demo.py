"""Demo: last term's honours in every category, and a nomination awaiting head-office review."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.demo.accounts import DEMO_BRANCH
from app.demo.steps import DemoContext, step
from app.extensions import db
from app.honours import categories, services
from app.honours.models import HonourCategory, NomineeKind
from app.org.models import OrgUnit, subtree_clause

STATEMENTS = {
    "model_outlet": "全员持证上岗，学习计划按时完成，业绩评价连续位居分行前列。",
    "excellent_coach": "坚持早夕会带教，辅导多名转岗客户经理顺利取证。",
    "think_tank": "参与工作手册修订，贡献“早三问、晚三问”等工具案例。",
    "part_time_faculty": "承担总行面授及分行转培训课程，课程评价优良。",
    "style_award": "季度业绩评价得分第一，客户满意度高。",
}


@step(80)
def honours(context: DemoContext) -> None:
    categories.install_shipped()
    admin, head = context.accounts["admin"], context.accounts["head"]
    branch = context.bank.branches[DEMO_BRANCH]
    outlets = [o for o in context.bank.outlets if o.path.startswith(branch.path)]
    awarded = 0
    for category in db.session.scalars(select(HonourCategory).order_by(HonourCategory.id)):
        nominee = outlets[1] if category.nominee_kind is NomineeKind.outlet else _person_for(category, branch, context)
        actor = head if _in(branch, nominee) else admin
        term = services.previous_term(category.term_kind)
        kwargs = {"unit": nominee} if category.nominee_kind is NomineeKind.outlet else {"person": nominee}
        nomination = services.nominate(actor, category, term, STATEMENTS.get(category.code, category.criteria), **kwargs)
        services.approve(admin, nomination)
        awarded += 1
    model_outlet = db.session.scalars(select(HonourCategory).where(HonourCategory.code == "model_outlet")).one()
    services.nominate(head, model_outlet, services.current_term(model_outlet.term_kind),
                      "网点持证率与学习计划完成率领先，活动组织有创意。", unit=outlets[0])
    context.report.append(_("Honours: %(awarded)d awarded for last term, 1 nomination awaiting review.", awarded=awarded))


def _in(branch: OrgUnit, nominee) -> bool:
    unit = nominee if isinstance(nominee, OrgUnit) else nominee.org_unit
    return unit.path.startswith(branch.path)


def _person_for(category: HonourCategory, branch: OrgUnit, context: DemoContext) -> Person:
    if not category.positions:
        return context.accounts.get("trainer") or context.accounts["admin"]
    return db.session.scalars(
        select(Person).join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .where(subtree_clause(OrgUnit.path, branch.path), Person.position.in_(category.positions)).order_by(Person.id)
    ).first()
