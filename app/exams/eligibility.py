"""Who may start an exam, and when: audience, window, attempts left, waiting time.
Plan stages: when app.plans.services offers `in_stage(person, stage)` it decides; otherwise
anyone in the audience's positions and roles may sit a stage exam."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Person
from app.core import clock
from app.exams import windows
from app.exams.models import Attempt, AttemptState, Exam, ExamOverride
from app.extensions import db


@dataclass
class Eligibility:
    ok: bool
    reason: str = ""
    #: when the person may start next, when that is known
    next_at: datetime | None = None


def in_audience(exam: Exam, person: Person) -> bool:
    audience = exam.audience or {}
    if audience.get("positions") and person.position not in audience["positions"]:
        return False
    if audience.get("roles") and not {r.value for r in person.role_set()} & set(audience["roles"]):
        return False
    return audience.get("stage") is None or _in_stage(person, audience["stage"])


def _in_stage(person: Person, stage: int) -> bool:
    try:
        from app.plans.services import in_stage
    except ImportError:
        return True
    return bool(in_stage(person, stage))


def extras(exam: Exam, person: Person) -> tuple[int, int]:
    """Extra minutes and extra attempts granted to `person` on `exam`."""
    minutes, attempts = db.session.execute(
        select(func.coalesce(func.sum(ExamOverride.extra_minutes), 0), func.coalesce(func.sum(ExamOverride.extra_attempts), 0))
        .where(ExamOverride.exam_id == exam.id, ExamOverride.person_id == person.id)).one()
    return int(minutes), int(attempts)


def attempts_left(exam: Exam, person: Person) -> int | None:
    if exam.max_attempts is None:
        return None
    used = db.session.scalar(select(func.count()).select_from(Attempt)
                             .where(Attempt.exam_id == exam.id, Attempt.person_id == person.id))
    return max(0, exam.max_attempts + extras(exam, person)[1] - used)


def last_finished(exam: Exam, person: Person) -> Attempt | None:
    return db.session.scalars(select(Attempt).where(Attempt.exam_id == exam.id, Attempt.person_id == person.id,
                                                    Attempt.state != AttemptState.open)
                              .order_by(Attempt.finished_at.desc()).limit(1)).first()


def check(exam: Exam, person: Person) -> Eligibility:
    if exam.retired:
        return Eligibility(False, _("This exam has been withdrawn."))
    if not in_audience(exam, person):
        return Eligibility(False, _("This exam is not meant for your position or role."))
    if not windows.is_open_now(exam.window):
        return Eligibility(False, _("The exam is open %(window)s only.", window=windows.describe(exam.window)))
    if attempts_left(exam, person) == 0:
        return Eligibility(False, _("You have used all %(n)d attempts.", n=exam.max_attempts))
    last = last_finished(exam, person)
    if last and exam.retake_wait_hours:
        ready = last.finished_at + timedelta(hours=exam.retake_wait_hours)
        if ready > clock.now():
            return Eligibility(False, _("You may start the next attempt at %(at)s.", at=format_datetime(ready, "short")), ready)
    return Eligibility(True)
