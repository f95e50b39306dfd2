"""Nominations and honours: nominate with computed evidence, review, award, revoke. Services flush."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.accounts.models import Person
from app.core import audit, clock, policy
from app.core.errors import DomainError
from app.extensions import db
from app.honours import evidence
from app.honours.models import HonourCategory, Nomination, NominationState, NomineeKind, TermKind
from app.org.models import OrgKind, OrgUnit, subtree_clause


def current_term(kind: TermKind, today: date | None = None) -> str:
    today = today or clock.today()
    return str(today.year) if kind is TermKind.year else f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def previous_term(kind: TermKind, today: date | None = None) -> str:
    today = today or clock.today()
    if kind is TermKind.year:
        return str(today.year - 1)
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year}-Q{quarter - 1}" if quarter > 1 else f"{today.year - 1}-Q4"


def valid_term(kind: TermKind, term: str) -> bool:
    pattern = r"20\d\d" if kind is TermKind.year else r"20\d\d-Q[1-4]"
    return re.fullmatch(pattern, term or "") is not None


def categories(active_only: bool = True) -> list[HonourCategory]:
    query = select(HonourCategory).order_by(HonourCategory.id)
    return list(db.session.scalars(query.where(HonourCategory.active) if active_only else query))


def nominee_problem(category: HonourCategory, unit: OrgUnit | None, person: Person | None) -> str | None:
    if category.nominee_kind is NomineeKind.outlet:
        if unit is None or unit.kind is not OrgKind.outlet:
            return _("%(category)s is awarded to an outlet: give an outlet's code.", category=category.name)
        return None
    if person is None:
        return _("%(category)s is awarded to a person: give their employee number.", category=category.name)
    if category.positions and person.position not in category.positions:
        return _("%(name)s is not in a position this honour is for.", name=person.name)
    return None


def nominate(actor: Person, category: HonourCategory, term: str, statement: str,
             unit: OrgUnit | None = None, person: Person | None = None) -> Nomination:
    """A nomination with its evidence computed now and frozen."""
    problem = nominee_problem(category, unit, person)
    if problem:
        raise DomainError(problem, 422)
    target = unit or person.org_unit
    policy.require(policy.can_nominate(actor, target))
    _check_nomination(actor, category, term, statement, unit, person)
    nominee = unit if category.nominee_kind is NomineeKind.outlet else person
    figures = evidence.compute(category.evidence_kind.value, nominee, clock.now())
    nomination = Nomination(category=category, term=term, nominee_unit=unit if category.nominee_kind is NomineeKind.outlet else None,
                            nominee_person=person if category.nominee_kind is NomineeKind.person else None,
                            statement=statement.strip(), nominated_by_id=actor.id,
                            evidence={name: figure.as_json() for name, figure in figures.items()})
    nomination._step("nominated", actor, statement.strip())
    db.session.add(nomination)
    db.session.flush()
    audit.record("honour.nominate", nomination, actor=actor, category=category.code, term=term, nominee=nomination.nominee_name())
    return nomination


def _check_nomination(actor, category, term, statement, unit, person) -> None:
    if not category.active:
        raise DomainError(_("This honour category takes no new nominations."), 409)
    if not valid_term(category.term_kind, term):
        raise DomainError(_("The term must look like %(example)s.", example=current_term(category.term_kind)), 422)
    if person is not None and person.id == actor.id:
        raise DomainError(_("You cannot nominate yourself."), 409)
    if len(statement.strip()) < 5:
        raise DomainError(_("Write a statement of at least 5 characters saying why."), 422)
    same = select(Nomination.id).where(
        Nomination.category_id == category.id, Nomination.term == term,
        Nomination.state.in_((NominationState.pending, NominationState.awarded)),
        Nomination.nominee_unit_id == unit.id if unit is not None else Nomination.nominee_person_id == person.id)
    if db.session.scalars(same).first():
        raise DomainError(_("This nominee is already nominated or awarded for %(term)s.", term=term), 409)


def approve(actor: Person, nomination: Nomination) -> None:
    policy.require(policy.can_review_honours(actor))
    nomination.approve(actor)
    audit.record("honour.award", nomination, actor=actor)


def decline(actor: Person, nomination: Nomination, reason: str) -> None:
    policy.require(policy.can_review_honours(actor))
    nomination.decline(actor, reason)
    audit.record("honour.decline", nomination, actor=actor, reason=reason.strip())


def revoke(actor: Person, nomination: Nomination, reason: str) -> None:
    policy.require(policy.can_review_honours(actor))
    nomination.revoke(actor, reason)
    audit.record("honour.revoke", nomination, actor=actor, reason=reason.strip())


def live_evidence(nomination: Nomination) -> dict:
    nominee = nomination.nominee_unit or nomination.nominee_person
    return {name: figure.as_json() for name, figure in
            evidence.compute(nomination.category.evidence_kind.value, nominee, clock.now()).items()}


def _nominee_path():
    """The org path a nomination is about: the outlet's, or the nominated person's unit's."""
    person_unit = select(OrgUnit.path).join(Person, Person.org_unit_id == OrgUnit.id).where(
        Person.id == Nomination.nominee_person_id).scalar_subquery()
    outlet = select(OrgUnit.path).where(OrgUnit.id == Nomination.nominee_unit_id).scalar_subquery()
    return db.func.coalesce(outlet, person_unit)


def nominations_for(actor: Person, state: NominationState | None = None) -> list[Nomination]:
    """Nominations the actor may see: all for head office, else those in their scope or their own."""
    query = select(Nomination).order_by(Nomination.nominated_at.desc())
    if state is not None:
        query = query.where(Nomination.state == state)
    if not actor.is_admin:
        query = query.where(or_(Nomination.nominated_by_id == actor.id, policy.in_scope_clause(_nominee_path(), actor)))
    return list(db.session.scalars(query.limit(200)))


def honour_roll(term: str | None, region: OrgUnit | None, category: HonourCategory | None) -> list[Nomination]:
    """Awarded honours, optionally of one term, region and category."""
    query = select(Nomination).where(Nomination.state == NominationState.awarded)
    if term:
        query = query.where(Nomination.term == term)
    if category is not None:
        query = query.where(Nomination.category_id == category.id)
    if region is not None:
        query = query.where(subtree_clause(_nominee_path(), region.path))
    return list(db.session.scalars(query.order_by(Nomination.term.desc(), Nomination.category_id, Nomination.id)))


def awarded_terms() -> list[str]:
    return list(db.session.scalars(select(Nomination.term).where(Nomination.state == NominationState.awarded)
                                   .distinct().order_by(Nomination.term.desc())))


def honours_of_unit(unit: OrgUnit) -> list[Nomination]:
    return list(db.session.scalars(select(Nomination).where(
        Nomination.nominee_unit_id == unit.id, Nomination.state == NominationState.awarded).order_by(Nomination.term.desc())))


def honours_of_person(person: Person) -> list[Nomination]:
    return list(db.session.scalars(select(Nomination).where(
        Nomination.nominee_person_id == person.id, Nomination.state == NominationState.awarded).order_by(Nomination.term.desc())))
