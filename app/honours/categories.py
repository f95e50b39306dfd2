"""The honour categories the programme ships with (domain.md §1 part 5). The migration seeds the
same list; `install_shipped` restores it on an empty database (tests, a fresh demo)."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.honours.models import EvidenceKind, HonourCategory, NomineeKind, TermKind

SHIPPED = [
    ("model_outlet", "示范网点", "Model outlet", TermKind.year, NomineeKind.outlet, [], EvidenceKind.outlet,
     "持证上岗比例高、学习计划按时完成、考试通过率与平均分领先、业绩评价排名靠前的网点。"),
    ("excellent_coach", "优异教练", "Excellent coach", TermKind.year, NomineeKind.person, ["outlet_head", "pf_manager"],
     EvidenceKind.coach, "带教成效突出的网点负责人或个金管理经理：带出的学员多、通过率高、取证快。"),
    ("think_tank", "头雁智囊团", "Lead-Goose think tank", TermKind.year, NomineeKind.person,
     ["outlet_head", "pf_manager", "senior_account_manager"], EvidenceKind.coach,
     "在手册修订、案例与工具分享中贡献突出的基层管理者。"),
    ("part_time_faculty", "兼职师资", "Part-time faculty", TermKind.year, NomineeKind.person, [], EvidenceKind.faculty,
     "承担总行面授、分行转培训或头雁飞行培训，课程评价优良的讲师。"),
    ("style_award", "个金STYLE竞赛", "Personal-Finance STYLE award", TermKind.quarter, NomineeKind.person,
     ["cs_manager", "wealth_manager", "lobby_manager", "teller"], EvidenceKind.performer,
     "个金STYLE竞赛获奖者：季度业绩评价得分与排名领先。"),
]


def install_shipped() -> None:
    have = set(db.session.scalars(select(HonourCategory.code)))
    for code, name, name_en, term, nominee, positions, evidence, criteria in SHIPPED:
        if code not in have:
            db.session.add(HonourCategory(code=code, name=name, name_en=name_en, term_kind=term, nominee_kind=nominee,
                                          positions=positions, evidence_kind=evidence, criteria=criteria))
    db.session.flush()
