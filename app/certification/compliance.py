"""License-to-hold-post (持证上岗) compliance: who holds a post that requires a certificate, and whether they
hold a live one. One grouped SQL statement counts per org unit over a whole subtree; the roll-up to the
unit's children happens in Python over the unit rows (at most a few thousand), so the number of statements
does not grow with the number of people."""
from __future__ import annotations

import time
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from sqlalchemy import and_, case, event, func, literal, or_, select, true, union_all

from app.accounts.models import Person, PersonStatus
from app.certification import types as cert_types
from app.certification.models import Certificate
from app.core import clock
from app.core.types import UTCDateTime
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause

#: Stands in for "never expires" so that max() over expiry dates prefers a certificate without one.
NEVER = datetime(9999, 12, 31, tzinfo=clock.now().tzinfo)
#: The expiring_N buckets, in days; each counts licensed people whose licence ends within N days (cumulative).
HORIZONS = (30, 60, 90)
STATES = ("licensed", "unlicensed", "expiring_30", "expiring_60", "expiring_90", "expired")


#: A person's standing, as the drill-down and the exports show it (one source for the label).
STANDING_LABELS = {"licensed": _l("Licensed"), "expired": _l("Expired"), "unlicensed": _l("Not licensed")}


class PersonRow(NamedTuple):
    """One person behind the numbers (unpacks as person, licensed, until, expired)."""

    person: Person
    licensed: bool
    #: the soonest expiry among the live certificates; None when licensed for good, or not licensed
    until: datetime | None
    #: not licensed, and a certificate lapsed (rather than never earned)
    expired: bool

    @property
    def standing(self) -> str:
        return "licensed" if self.licensed else "expired" if self.expired else "unlicensed"

    @property
    def standing_label(self) -> str:
        return str(STANDING_LABELS[self.standing])


@dataclass
class Counts:
    required: int = 0
    licensed: int = 0
    unlicensed: int = 0
    expiring_30: int = 0
    expiring_60: int = 0
    expiring_90: int = 0
    expired: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @property
    def rate(self) -> float | None:
        return self.licensed / self.required if self.required else None


@dataclass
class Compliance:
    unit: OrgUnit
    total: Counts
    children: list[tuple[OrgUnit, Counts]]


def _at(moment: datetime):
    return literal(moment, UTCDateTime())


def _in_subtree(unit: OrgUnit):
    """Everyone, for head office (no filter beats a 3,000-id list); else the people of the subtree's units."""
    if unit.parent_id is None:
        return true()
    return Person.org_unit_id.in_(select(OrgUnit.id).where(subtree_clause(OrgUnit.path, unit.path)))


def _per_type(unit: OrgUnit, cert_type, now: datetime):
    """One row per person whose post requires `cert_type`: until when they are licensed by it (or NULL),
    and whether their last usable certificate of it has expired."""
    usable = and_(Certificate.id.is_not(None), Certificate.revoked_at.is_(None), Certificate.suspended_at.is_(None),
                  Certificate.superseded_at.is_(None))
    live = and_(usable, or_(Certificate.valid_until.is_(None), Certificate.valid_until > _at(now)))
    return (
        select(Person.id.label("pid"), Person.org_unit_id.label("uid"),
               func.max(case((live, func.coalesce(Certificate.valid_until, _at(NEVER))))).label("until"),
               func.max(case((and_(usable, Certificate.valid_until <= _at(now)), 1), else_=0)).label("lapsed"))
        .select_from(Person)
        .outerjoin(Certificate, and_(Certificate.person_id == Person.id, Certificate.type_code == cert_type.code))
        # Units first (a path range), then their people by org_unit_id: a branch reads only its own people.
        .where(_in_subtree(unit), Person.status == PersonStatus.active, Person.position.in_(cert_type.positions))
        .group_by(Person.id, Person.org_unit_id)
    )


def _disjoint(licensed_types) -> bool:
    positions = [p for t in licensed_types for p in t.positions]
    return len(positions) == len(set(positions))


def per_person(unit: OrgUnit, now: datetime | None = None):
    """A subquery: one row per person in `unit`'s subtree in a licensed post — pid, uid, licensed (all required
    types live), until (the soonest expiry among them), expired (unlicensed and a certificate lapsed)."""
    now = now or clock.now()
    licensed_types = [t for t in cert_types.all_types().values() if t.positions]
    parts = [_per_type(unit, t, now) for t in licensed_types]
    rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    if _disjoint(licensed_types):
        # Each post requires one type: the rows are already one per person, no second grouping needed.
        return select(rows.c.pid, rows.c.uid, case((rows.c.until.is_not(None), 1), else_=0).label("licensed"),
                      rows.c.until, case((and_(rows.c.until.is_(None), rows.c.lapsed == 1), 1), else_=0).label("expired")).subquery()
    licensed = func.count(rows.c.until) == func.count()
    return (
        select(rows.c.pid, rows.c.uid, case((licensed, 1), else_=0).label("licensed"),
               func.min(rows.c.until).label("until"),
               case((and_(~licensed, func.max(rows.c.lapsed) == 1), 1), else_=0).label("expired"))
        .group_by(rows.c.pid, rows.c.uid)
        .subquery()
    )


def counts_by_unit(unit: OrgUnit, now: datetime | None = None) -> dict[str, Counts]:
    """Counts per org unit path (units with nobody in a licensed post are absent). One SQL statement."""
    now = now or clock.now()
    person = per_person(unit, now)
    soon = [func.sum(case((and_(person.c.licensed == 1, person.c.until <= _at(now + timedelta(days=d))), 1), else_=0))
            for d in HORIZONS]
    query = (
        select(OrgUnit.path, func.count(), func.sum(person.c.licensed), *soon, func.sum(person.c.expired))
        .join(OrgUnit, OrgUnit.id == person.c.uid)
        .group_by(OrgUnit.path)
    )
    result = {}
    for path, required, licensed, in30, in60, in90, expired in db.session.execute(query):
        result[path] = Counts(required, licensed or 0, required - (licensed or 0), in30 or 0, in60 or 0, in90 or 0, expired or 0)
    return result


def compliance(unit: OrgUnit, now: datetime | None = None) -> Compliance:
    """The unit's totals and each direct child's, rolled up from the per-unit counts."""
    by_path = counts_by_unit(unit, now)
    children = list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.code)))
    child_counts = {child.path: Counts() for child in children}
    total = Counts()
    for path, counts in by_path.items():
        total.add(counts)
        prefix = path[: path.index("/", len(unit.path)) + 1] if len(path) > len(unit.path) else None
        if prefix in child_counts:
            child_counts[prefix].add(counts)
    return Compliance(unit, total, [(child, child_counts[child.path]) for child in children])


def people(unit: OrgUnit, state: str | None = None, limit: int = 500, now: datetime | None = None):
    """The people behind the numbers (PersonRow: person, licensed, until, expired), filtered by one of STATES."""
    now = now or clock.now()
    person = per_person(unit, now)
    query = select(Person, person.c.licensed, person.c.until, person.c.expired).join(person, person.c.pid == Person.id)
    if state == "licensed":
        query = query.where(person.c.licensed == 1)
    elif state == "unlicensed":
        query = query.where(person.c.licensed == 0)
    elif state == "expired":
        query = query.where(person.c.expired == 1)
    elif state and state.startswith("expiring_"):
        days = int(state.removeprefix("expiring_"))
        query = query.where(person.c.licensed == 1, person.c.until <= _at(now + timedelta(days=days)))
    query = query.order_by(person.c.licensed, person.c.until, Person.employee_no).limit(limit)
    return [PersonRow(row[0], bool(row[1]), clock.as_utc(row[2]) if row[2] and row[2].year < 9999 else None, bool(row[3]))
            for row in db.session.execute(query)]


# --- the home-page summary ---------------------------------------------------------------------------
#: How long (seconds) a home-page summary is reused. The bank-wide figures take a few hundred ms at 100,000
#: people; the home page is opened far more often than the figures change. The compliance view stays live.
SUMMARY_SECONDS = 120
#: (database, unit id, unit path) → (monotonic time computed, clock time computed, totals)
_summaries: dict[tuple, tuple[float, datetime, Counts]] = {}


def summary(unit: OrgUnit) -> tuple[Counts, datetime]:
    """The unit's totals and when they were computed: from this process's cache when younger than
    SUMMARY_SECONDS and no certificate was written since (in this process), else computed now."""
    key = (str(db.engine.url), unit.id, unit.path)
    cached = _summaries.get(key)
    if cached is not None and time.monotonic() - cached[0] < SUMMARY_SECONDS:
        return cached[2], cached[1]
    totals, at = compliance(unit).total, clock.now()
    _summaries[key] = (time.monotonic(), at, totals)
    return totals, at


def forget_summaries(*_args) -> None:
    """Any certificate written (issued, renewed, suspended, revoked…) makes the cached summaries stale."""
    _summaries.clear()


event.listen(Certificate, "after_insert", forget_summaries)
event.listen(Certificate, "after_update", forget_summaries)
event.listen(Certificate, "after_delete", forget_summaries)
