"""Building and reading the org tree."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.org.models import OrgKind, OrgUnit, subtree_clause


def root_unit() -> OrgUnit:
    return db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))).one()


def add_unit(code: str, name: str, kind: OrgKind, parent: OrgUnit | None, name_en: str | None = None) -> OrgUnit:
    unit = OrgUnit(code=code, name=name, name_en=name_en, kind=kind)
    db.session.add(unit)
    db.session.flush()  # the path is built from the id
    unit.set_parent(parent)
    return unit


def unit_by_code(code: str) -> OrgUnit | None:
    return db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one_or_none()


def units_by_code() -> dict[str, OrgUnit]:
    return {unit.code: unit for unit in db.session.scalars(select(OrgUnit))}


def subtree(unit: OrgUnit):
    """A select of every unit in `unit`'s subtree, itself included."""
    return select(OrgUnit).where(subtree_clause(OrgUnit.path, unit.path))


def headcount_by_child(unit: OrgUnit) -> dict[int, int]:
    """People per direct child of `unit`, in one grouped query over the subtree."""
    from app.accounts.models import Person, PersonStatus

    child_index = unit.depth  # in the path's ids, the unit itself sits at depth - 1, its children at depth
    rows = db.session.execute(
        select(OrgUnit.path, func.count(Person.id))
        .join(Person, Person.org_unit_id == OrgUnit.id)
        .where(subtree_clause(OrgUnit.path, unit.path), Person.status == PersonStatus.active)
        .group_by(OrgUnit.path)
    )
    counts: dict[int, int] = {}
    for path, count in rows:
        ids = path.strip("/").split("/")
        if len(ids) > child_index:
            child_id = int(ids[child_index])
            counts[child_id] = counts.get(child_id, 0) + count
    return counts
