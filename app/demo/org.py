"""The demo bank: 3 regions, the 29 branches of the programme, sub-branches, outlets and their staff."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from sqlalchemy import insert, literal, select

from app.accounts.models import Person, Role, RoleGrant
from app.demo.names import (BRANCH_EN, BRANCHES, NAMED_SUB_BRANCHES, REGIONS, STREETS, SUB_BRANCH_NAMES,
                            person_name)
from app.extensions import db
from app.org.models import OrgKind, OrgUnit

#: Who works at an outlet, in order; the demo fills outlets round-robin with this pattern.
OUTLET_STAFF = ["outlet_head", "teller", "lobby_manager", "cs_manager", "wealth_manager", "teller",
                "cs_manager", "accounting_manager", "lobby_manager", "wealth_protection_manager"]
SUB_BRANCH_STAFF = ["pf_manager", "product_manager", "senior_account_manager"]
DEFAULT_OUTLETS_PER_SUB_BRANCH = 3
DEFAULT_SUB_BRANCHES = 3


@dataclass
class DemoBank:
    root: OrgUnit
    branches: dict[str, OrgUnit] = field(default_factory=dict)
    sub_branches: list[OrgUnit] = field(default_factory=list)
    outlets: list[OrgUnit] = field(default_factory=list)


def _add_level(units: list[OrgUnit]) -> None:
    db.session.add_all(units)
    db.session.flush()
    for unit in units:
        unit.path = (unit.parent.path if unit.parent else "/") + f"{unit.id}/"
    db.session.flush()


def build_org(staff: int | None) -> DemoBank:
    """Enough outlets for `staff` people at about 33 per outlet (3,000 outlets for 100,000 people)."""
    outlets_wanted = max(len(BRANCHES) * DEFAULT_SUB_BRANCHES * DEFAULT_OUTLETS_PER_SUB_BRANCH, (staff or 0) // 33)
    subs_per_branch = max(DEFAULT_SUB_BRANCHES, math.ceil(outlets_wanted / len(BRANCHES) / 8))
    outlets_per_sub = math.ceil(outlets_wanted / len(BRANCHES) / subs_per_branch)

    root = OrgUnit(code="HO", name="总行", name_en="Head office", kind=OrgKind.head_office)
    _add_level([root])
    regions = {code: OrgUnit(code=code, name=name, name_en=en, kind=OrgKind.region, parent=root) for code, name, en in REGIONS}
    _add_level(list(regions.values()))
    bank = DemoBank(root)
    for code, name, region in BRANCHES:
        bank.branches[code] = OrgUnit(code=code, name=f"{name}分行", name_en=f"{BRANCH_EN[code]} Branch",
                                      kind=OrgKind.branch, parent=regions[region])
    _add_level(list(bank.branches.values()))
    for code, branch in bank.branches.items():
        names = NAMED_SUB_BRANCHES.get(code, []) + [n for n in SUB_BRANCH_NAMES if n not in NAMED_SUB_BRANCHES.get(code, [])]
        for index in range(subs_per_branch):
            label = names[index % len(names)] + (str(index // len(names) + 1) if index >= len(names) else "")
            bank.sub_branches.append(OrgUnit(code=f"{code}-S{index + 1:02d}", name=f"{branch.name[:-2]}{label}支行",
                                             kind=OrgKind.sub_branch, parent=branch))
    _add_level(bank.sub_branches)
    for sub in bank.sub_branches:
        for index in range(outlets_per_sub):
            name = f"{sub.name}营业部" if index == 0 else f"{sub.name[:-2]}{STREETS[index % len(STREETS)]}{'' if index < len(STREETS) else index}网点"
            bank.outlets.append(OrgUnit(code=f"{sub.code}-{index + 1:03d}", name=name, kind=OrgKind.outlet, parent=sub))
    _add_level(bank.outlets)
    return bank


def build_staff(bank: DemoBank, staff: int | None, rng: random.Random) -> int:
    """Bulk-insert staff: sub-branch managers, then outlets filled round-robin. Returns how many."""
    rows = []
    number = 10_000_000
    for sub in bank.sub_branches:
        for position in SUB_BRANCH_STAFF:
            number += 1
            rows.append(_person_row(number, rng, sub, position))
    total = staff or len(bank.outlets) * 8 + len(rows)
    slot = 0
    while len(rows) < total:
        outlet = bank.outlets[slot % len(bank.outlets)]
        position = OUTLET_STAFF[(slot // len(bank.outlets)) % len(OUTLET_STAFF)]
        number += 1
        rows.append(_person_row(number, rng, outlet, position))
        slot += 1
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Person), rows[start:start + 5000])
    # Every outlet employee is a trainee of the programme.
    db.session.execute(
        insert(RoleGrant).from_select(
            ["person_id", "role"],
            select(Person.id, literal(Role.trainee.name)).where(Person.position.in_(set(OUTLET_STAFF))),
        )
    )
    return len(rows)


def _person_row(number: int, rng: random.Random, unit: OrgUnit, position: str) -> dict:
    return {"employee_no": str(number), "name": person_name(rng), "org_unit_id": unit.id, "position": position,
            "session_token": f"{rng.getrandbits(128):032x}"}
