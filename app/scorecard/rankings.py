"""Rankings: one parameterised query each (scope path, period, position), window functions for the
order, and a deterministic tie-break: higher score, then fewer deductions, then employee number (or
unit code). Work on SQLite ≥ 3.25 and PostgreSQL alike."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Date, and_, case, func, literal, select, union_all
from sqlalchemy.orm import aliased

from app.accounts.models import Person, PersonStatus
from app.extensions import db
from app.org.models import OrgKind, OrgUnit, subtree_clause
from app.scorecard.models import MonthlyScore

#: Levels a person can be compared at, from narrowest to widest.
PEER_LEVELS = (OrgKind.outlet, OrgKind.sub_branch, OrgKind.branch, OrgKind.region, OrgKind.head_office)


def _peer_rows(scope_path: str, month: date, position: str | None):
    """Everyone active in the subtree (of `position`, if given) with their month's score and rank."""
    total = func.coalesce(MonthlyScore.total, 0)
    negatives = func.coalesce(MonthlyScore.negatives, 0)
    query = (
        select(Person.id.label("person_id"), Person.employee_no, Person.name, Person.position,
               OrgUnit.code.label("unit_code"), OrgUnit.name.label("unit_name"),
               total.label("total"), negatives.label("negatives"),
               func.row_number().over(order_by=(total.desc(), negatives.asc(), Person.employee_no.asc())).label("rank"),
               func.count().over().label("of"))
        .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .outerjoin(MonthlyScore, and_(MonthlyScore.person_id == Person.id, MonthlyScore.month == month))
        .where(subtree_clause(OrgUnit.path, scope_path), Person.status == PersonStatus.active)
    )
    if position:
        query = query.where(Person.position == position)
    return query.subquery("peers")


def person_ranking(scope: OrgUnit, month: date, position: str | None, limit: int = 50, offset: int = 0) -> list:
    peers = _peer_rows(scope.path, month, position)
    return db.session.execute(select(peers).order_by(peers.c.rank).limit(limit).offset(offset)).all()


def rank_of(person: Person, scope: OrgUnit, month: date):
    """The person's row (rank, of, total) among same-position peers in `scope`; None if not in it."""
    peers = _peer_rows(scope.path, month, person.position)
    return db.session.execute(select(peers).where(peers.c.person_id == person.id)).one_or_none()


def _months_table(months: list[date]):
    return union_all(*(select(literal(month, Date).label("month")) for month in months)).subquery("months")


def person_trend(person: Person, scope: OrgUnit, months: list[date]) -> list:
    """(month, total, rank, of) per month: the person's own score and rank among same-position peers."""
    month_table = _months_table(months)
    total = func.coalesce(MonthlyScore.total, 0)
    negatives = func.coalesce(MonthlyScore.negatives, 0)
    ranked = (
        select(month_table.c.month, Person.id.label("person_id"), total.label("total"),
               func.row_number().over(partition_by=month_table.c.month,
                                      order_by=(total.desc(), negatives.asc(), Person.employee_no.asc())).label("rank"),
               func.count().over(partition_by=month_table.c.month).label("of"))
        .select_from(month_table)
        .join(Person, literal(True))
        .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .outerjoin(MonthlyScore, and_(MonthlyScore.person_id == Person.id, MonthlyScore.month == month_table.c.month))
        .where(subtree_clause(OrgUnit.path, scope.path), Person.status == PersonStatus.active,
               Person.position == person.position)
        .subquery("ranked")
    )
    rows = db.session.execute(
        select(ranked.c.month, ranked.c.total, ranked.c.rank, ranked.c.of)
        .where(ranked.c.person_id == person.id).order_by(ranked.c.month)
    ).all()
    return [TrendPoint(_as_date(m), Decimal(str(t)), r, n) for m, t, r, n in rows]


@dataclass
class TrendPoint:
    month: date
    total: Decimal
    rank: int | None = None
    of: int | None = None


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _per_unit(month: date, position: str | None):
    """Active headcount and the month's score sums per org unit (units with staff only). Headcount
    scans people in order; sums read the covering month index and people by key: no per-person join."""
    active = [Person.status == PersonStatus.active] + ([Person.position == position] if position else [])
    heads = (select(Person.org_unit_id.label("unit_id"), func.count().label("headcount"))
             .where(*active).group_by(Person.org_unit_id).subquery("heads"))
    sums = (select(Person.org_unit_id.label("unit_id"), func.sum(MonthlyScore.total).label("total"),
                   func.sum(MonthlyScore.negatives).label("negatives"))
            .join(Person, Person.id == MonthlyScore.person_id).where(MonthlyScore.month == month, *active)
            .group_by(Person.org_unit_id).subquery("sums"))
    return (select(heads.c.unit_id, heads.c.headcount, func.coalesce(sums.c.total, 0).label("total"),
                   func.coalesce(sums.c.negatives, 0).label("negatives"))
            .outerjoin(sums, sums.c.unit_id == heads.c.unit_id).subquery("per_unit"))


def _ancestor_at(level: OrgKind, unit, parents):
    """SQL: the id of the unit's ancestor (or itself) of kind `level`, walking up the parent chain."""
    whens = [(unit.c.kind == level, unit.c.id)] + [(p.kind == level, p.id) for p in parents]
    return case(*whens, else_=None)


def unit_ranking(scope: OrgUnit, level: OrgKind, month: date, position: str | None = None) -> list:
    """Units of kind `level` in `scope`, ranked by average score per head (headcount-normalised):
    (rank, of, unit_id, code, name, headcount, total, per_head, negatives_per_head). One query:
    per-unit sums over the small set of units with staff, each carried up to its ancestor of `level`."""
    sums = _per_unit(month, position)
    per_unit = (select(OrgUnit.id, OrgUnit.kind, OrgUnit.parent_id, sums.c.headcount, sums.c.total, sums.c.negatives)
                .join(sums, sums.c.unit_id == OrgUnit.id).where(subtree_clause(OrgUnit.path, scope.path))
                .subquery("in_scope"))
    parents = [aliased(OrgUnit, name=f"up{i}") for i in range(1, 5)]
    chain = select(_ancestor_at(level, per_unit, parents).label("unit_id"), per_unit.c.headcount, per_unit.c.total,
                   per_unit.c.negatives).select_from(per_unit)
    previous = per_unit.c.parent_id
    for parent in parents:
        chain = chain.outerjoin(parent, parent.id == previous)
        previous = parent.parent_id
    chain = chain.subquery("chain")
    grouped = (
        select(chain.c.unit_id, func.sum(chain.c.headcount).label("headcount"), func.sum(chain.c.total).label("total"),
               func.sum(chain.c.negatives).label("negatives"))
        .where(chain.c.unit_id.is_not(None)).group_by(chain.c.unit_id).subquery("grouped")
    )
    per_head = (grouped.c.total * 1.0 / grouped.c.headcount)
    neg_per_head = (grouped.c.negatives * 1.0 / grouped.c.headcount)
    ranked = (
        select(func.row_number().over(order_by=(per_head.desc(), neg_per_head.asc(), OrgUnit.code.asc())).label("rank"),
               func.count().over().label("of"), OrgUnit.id.label("unit_id"), OrgUnit.code, OrgUnit.name,
               grouped.c.headcount, grouped.c.total, per_head.label("per_head"), neg_per_head.label("negatives_per_head"))
        .join(OrgUnit, OrgUnit.id == grouped.c.unit_id)
    )
    return db.session.execute(ranked.order_by("rank")).all()


def unit_trend(unit: OrgUnit, months: list[date], position: str | None = None) -> list[TrendPoint]:
    """A unit's average score per head, month by month (current headcount), in one grouped query."""
    month_table = _months_table(months)
    query = (
        select(month_table.c.month, (func.coalesce(func.sum(MonthlyScore.total), 0) * 1.0 / func.count(Person.id)).label("avg"))
        .select_from(month_table)
        .join(Person, literal(True))
        .join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .outerjoin(MonthlyScore, and_(MonthlyScore.person_id == Person.id, MonthlyScore.month == month_table.c.month))
        .where(subtree_clause(OrgUnit.path, unit.path), Person.status == PersonStatus.active)
        .group_by(month_table.c.month).order_by(month_table.c.month)
    )
    if position:
        query = query.where(Person.position == position)
    return [TrendPoint(_as_date(m), Decimal(str(round(avg or 0, 2)))) for m, avg in db.session.execute(query)]


def peer_scope(person: Person, level: OrgKind) -> OrgUnit | None:
    """The person's ancestor unit of kind `level` (their own unit counts)."""
    return db.session.scalars(
        select(OrgUnit).where(OrgUnit.id.in_(person.org_unit.ancestor_ids()), OrgUnit.kind == level)
    ).first()
