"""The assessor's side: the queue of practical items waiting for scores, scoring each rubric
criterion with a comment, and changes to final grades (reason required, logged)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Person
from app.core import audit, clock, policy
from app.core.errors import DomainError
from app.exams.models import Attempt, AttemptSlot, AttemptState, CriterionScore, GradeChange
from app.exams.services import refresh_score
from app.extensions import db
from app.org.models import OrgUnit
from app.questions.models import QuestionVersion
from app.questions.types.practical import Practical


def queue_query(assessor: Person):
    """Practical slots of submitted attempts, not yet scored, of people the assessor may assess;
    oldest first (fair to whoever has waited longest)."""
    return (select(AttemptSlot).join(AttemptSlot.attempt).join(Attempt.person).join(Person.org_unit)
            .join(AttemptSlot.version)
            .where(Attempt.state == AttemptState.submitted, AttemptSlot.fraction.is_(None),
                   QuestionVersion.type == "practical", policy.assessed_people_clause(OrgUnit.path, Attempt.person_id, assessor))
            .order_by(Attempt.finished_at, Attempt.id, AttemptSlot.slot))


def queue(assessor: Person) -> list[AttemptSlot]:
    return list(db.session.scalars(queue_query(assessor)))


def queue_size(assessor: Person) -> int:
    return db.session.scalar(select(func.count()).select_from(queue_query(assessor).subquery()))


def recently_scored(assessor: Person, limit: int = 20) -> list[AttemptSlot]:
    return list(db.session.scalars(
        select(AttemptSlot).join(AttemptSlot.attempt).join(Attempt.person).join(Person.org_unit).join(AttemptSlot.version)
        .where(AttemptSlot.fraction.is_not(None), QuestionVersion.type == "practical",
               policy.assessed_people_clause(OrgUnit.path, Attempt.person_id, assessor))
        .order_by(AttemptSlot.graded_at.desc()).limit(limit)))


@dataclass
class CriterionInput:
    points: float
    comment: str = ""


def score_slot(slot: AttemptSlot, assessor: Person, scores: list[CriterionInput], reason: str = "") -> AttemptSlot:
    """Record the assessor's points for every criterion. Once a slot is scored, a change needs a
    reason and is logged (who, when, old, new)."""
    if not policy.can_assess(assessor, slot.attempt.person):
        raise DomainError(_("You may only assess people in your own scope, and never yourself."), 403)
    if slot.version.type != "practical":
        raise DomainError(_("Only practical items are scored by an assessor."), 409)
    if slot.attempt.state is AttemptState.open:
        raise DomainError(_("The attempt has not been submitted yet."), 409)
    rubric = slot.version.definition["rubric"]
    _check_scores(rubric, scores)
    regrade = slot.graded
    if regrade and not reason.strip():
        raise DomainError(_("This item was already scored: give a reason for changing it."), 422)
    existing = {c.criterion: c for c in slot.criteria}
    for index, given in enumerate(scores):
        _set_criterion(slot, existing.get(index), index, given, assessor, reason if regrade else "")
    slot.set_fraction(Practical.score(slot.version.definition, [s.points for s in scores]))
    refresh_score(slot.attempt)
    audit.record("attempt.assess" if not regrade else "attempt.regrade", slot.attempt, actor=assessor, slot=slot.slot,
                 points=[s.points for s in scores], reason=reason.strip() or None)
    return slot


def _check_scores(rubric: list[dict], scores: list[CriterionInput]) -> None:
    if len(scores) != len(rubric):
        raise DomainError(_("Score every criterion of the rubric."), 422)
    for index, (criterion, given) in enumerate(zip(rubric, scores), start=1):
        if given.points is None or not 0 <= given.points <= criterion["points"]:
            raise DomainError(_("Criterion %(n)d (%(name)s): points must be between 0 and %(max)s.",
                                n=index, name=criterion["criterion"], max=criterion["points"]), 422)


def _set_criterion(slot, row: CriterionScore | None, index: int, given: CriterionInput, assessor: Person, reason: str):
    if row is None:
        slot.criteria.append(CriterionScore(criterion=index, points=given.points, comment=given.comment.strip(),
                                            assessor=assessor, scored_at=clock.now()))
        return
    if row.points != given.points and reason:
        db.session.add(GradeChange(attempt_slot_id=slot.id, criterion=index, old_points=row.points,
                                   new_points=given.points, reason=reason.strip(), changed_by=assessor,
                                   changed_at=clock.now()))
    row.points, row.comment, row.assessor, row.scored_at = given.points, given.comment.strip(), assessor, clock.now()


def changes_for(slot: AttemptSlot) -> list[GradeChange]:
    return list(db.session.scalars(select(GradeChange).where(GradeChange.attempt_slot_id == slot.id)
                                   .order_by(GradeChange.changed_at)))
