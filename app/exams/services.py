"""Attempts: start or resume, save answers, submit, close overdue ones, grade. Services flush;
the request or command commits once. Interface for other domains: best_attempt, exam_passed."""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Person
from app.core import audit, clock, events
from app.core.errors import DomainError
from app.exams import eligibility, sections, windows
from app.exams.models import GRACE, AnswerStep, Attempt, AttemptClosed, AttemptSlot, AttemptState, Exam, ExamOverride
from app.extensions import db
from app.questions import types
from app.questions.models import QuestionVersion
from app.questions.types import ResponseInvalid


# --- looking up ------------------------------------------------------------------------------
def exam_by_slug(slug: str) -> Exam | None:
    return db.session.scalars(select(Exam).where(Exam.slug == slug)).one_or_none()


def open_attempt(exam: Exam, person: Person) -> Attempt | None:
    return db.session.scalars(select(Attempt).where(Attempt.exam_id == exam.id, Attempt.person_id == person.id,
                                                    Attempt.state == AttemptState.open)).first()


def best_attempt(person: Person, exam_slug: str) -> Attempt | None:
    """The person's best final attempt at the exam (highest score, then earliest), or None."""
    return db.session.scalars(
        select(Attempt).join(Attempt.exam)
        .where(Exam.slug == exam_slug, Attempt.person_id == person.id, Attempt.state == AttemptState.graded)
        .order_by(Attempt.score.desc(), Attempt.finished_at, Attempt.id).limit(1)).first()


def exam_passed(person: Person, exam_slug: str) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(Attempt).join(Attempt.exam)
        .where(Exam.slug == exam_slug, Attempt.person_id == person.id, Attempt.state == AttemptState.graded,
               Attempt.passed.is_(True))) > 0


def attempts_of(person: Person, exam: Exam | None = None) -> list[Attempt]:
    query = select(Attempt).where(Attempt.person_id == person.id).order_by(Attempt.started_at.desc())
    if exam is not None:
        query = query.where(Attempt.exam_id == exam.id)
    return list(db.session.scalars(query))


# --- starting --------------------------------------------------------------------------------
def start_or_resume(exam: Exam, person: Person) -> Attempt:
    """The person's open attempt (if still in time), else a new one with its question set, order
    and server-side deadline fixed now. Two simultaneous starts end with one attempt."""
    current = open_attempt(exam, person)
    if current is not None:
        touch(current)
        if current.is_open:
            return current
    verdict = eligibility.check(exam, person)
    if not verdict.ok:
        raise DomainError(verdict.reason, 403)
    attempt = _new_attempt(exam, person)
    try:
        # Only the insert runs inside the savepoint: on SQLite a transaction that read first could
        # not wait for the write lock, and the unique (exam, person, number) settles a tie.
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError:
        current = open_attempt(exam, person)
        if current is None:
            raise DomainError(_("Another attempt was started at the same moment. Please try again."), 409) from None
        return current
    audit.record("attempt.start", attempt, actor=person, exam=exam.slug)
    return attempt


def _new_attempt(exam: Exam, person: Person) -> Attempt:
    """The attempt with its slots, not yet in the session."""
    number = (db.session.scalar(select(func.max(Attempt.number)).where(
        Attempt.exam_id == exam.id, Attempt.person_id == person.id)) or 0) + 1
    attempt = Attempt(exam=exam, person=person, number=number, seed=secrets.randbelow(2**31),
                      started_at=clock.now(), deadline=_deadline(exam, person))
    picks = sections.pick(exam.sections, attempt.seed, exam.shuffle_questions)
    if not picks:
        raise DomainError(_("This exam has no questions yet."), 409)
    rng = random.Random(attempt.seed + 1)
    for index, chosen in enumerate(picks, start=1):
        order = sections.option_order(chosen.version.kind.option_count(chosen.version.definition), rng, exam.shuffle_options)
        attempt.slots.append(AttemptSlot(slot=index, section=chosen.section, version=chosen.version,
                                         max_points=chosen.points, option_order=order))
    attempt.slot_count = len(picks)
    attempt.max_score = sum(p.points for p in picks)
    return attempt


def _deadline(exam: Exam, person: Person) -> datetime | None:
    """Start + time limit + extra minutes, but never past the end of a weekly window."""
    now = clock.now()
    deadline = None
    if exam.time_limit_minutes:
        deadline = now + timedelta(minutes=exam.time_limit_minutes + eligibility.extras(exam, person)[0])
    closes = windows.closes_at(exam.window, now)
    if closes is not None and (deadline is None or closes < deadline):
        deadline = closes
    return deadline


# --- answering -------------------------------------------------------------------------------
@dataclass
class Saved:
    slot: int
    sequence: int
    saved_at: datetime
    replayed: bool = False


def touch(attempt: Attempt) -> Attempt:
    """Close an attempt left open past its deadline (with its last saved answers)."""
    if attempt.overdue():
        finish(attempt, attempt.deadline, "deadline")
    return attempt


def save_answer(attempt: Attempt, slot_no: int, raw, client_seq: str | None = None) -> Saved:
    """Append one answer step to `attempt` (see save)."""
    return save(attempt.id, attempt.person_id, slot_no, raw, client_seq)


def save(attempt_id: int, person_id: int, slot_no: int, raw, client_seq: str | None = None) -> Saved:
    """Append one answer step. Usually one statement: an INSERT … SELECT that checks in the database
    that the attempt is the caller's, still open and in time, locks its row on PostgreSQL (so the step
    queues behind a submit instead of slipping past it) and numbers the step — the same work however
    many answers the attempt has. What a slot accepts is cached per process. Anything unusual (a
    first save of the slot in this process, a closed or foreign attempt, a bad answer) takes
    `_save_checked`, which reads the attempt and says what is wrong."""
    slot = _SLOT_CACHE.get((attempt_id, slot_no))
    if slot is None:
        return _save_checked(attempt_id, person_id, slot_no, raw, client_seq)
    try:
        response = types.get(slot.type).clean_response(slot.definition, list(slot.option_order), raw)
    except ResponseInvalid:
        return _save_checked(attempt_id, person_id, slot_no, raw, client_seq)  # checks ownership before saying why
    saved = _append(attempt_id, person_id, slot, slot_no, response, client_seq)
    return saved or _save_checked(attempt_id, person_id, slot_no, raw, client_seq)


def _save_checked(attempt_id: int, person_id: int, slot_no: int, raw, client_seq: str | None) -> Saved:
    row = db.session.connection().execute(_ATTEMPT_FOR_SAVE, {"attempt_id": attempt_id}).first()
    if row is None:
        raise DomainError(_("There is no such attempt of yours."), 404)
    if row.person_id != person_id:
        raise DomainError(_("This attempt belongs to someone else."), 403)
    if row.state is not AttemptState.open or (row.deadline is not None and clock.now() > row.deadline + GRACE):
        touch(db.session.get(Attempt, attempt_id))
        raise AttemptClosed(_("This attempt is closed: the time is up or it was submitted. Your saved answers count."))
    slot = _slot_definition(attempt_id, row.seed, slot_no)
    if slot is None:
        raise DomainError(_("Question %(n)s is not part of this attempt.", n=slot_no), 404)
    try:
        response = types.get(slot.type).clean_response(slot.definition, list(slot.option_order), raw)
    except ResponseInvalid as invalid:
        raise DomainError(_("Question %(n)d: %(problem)s", n=slot_no, problem=str(invalid)), 422) from None
    saved = _append(attempt_id, person_id, slot, slot_no, response, client_seq)
    if saved is None:  # submitted between the check and the insert (SQLite)
        raise AttemptClosed(_("This attempt is closed."))
    return saved


def _append(attempt_id: int, person_id: int, slot: SlotDefinition, slot_no: int, response, client_seq) -> Saved | None:
    saved_at = clock.now()
    sequence = db.session.connection().execute(_APPEND_STEP, {
        "attempt_id": attempt_id, "person_id": person_id, "seed": slot.seed, "cutoff": saved_at - GRACE,
        "slot": slot_no, "response": response, "saved_at": saved_at, "client_seq": client_seq or None}).scalar_one_or_none()
    return None if sequence is None else Saved(slot_no, sequence, saved_at)


# The statements of a save, built once: building them costs more than running them. They go
# through the connection, not the ORM session, which has nothing to track here.
_ATTEMPT_FOR_SAVE = (select(Attempt.person_id, Attempt.state, Attempt.deadline, Attempt.seed)
                     .where(Attempt.id == bindparam("attempt_id")).with_for_update())


def _append_step_statement():
    """One INSERT … SELECT FROM attempts: it inserts only when the attempt is the caller's (and the
    seed the cached slot was read with: ids are reused when a database is rebuilt), open and within
    its deadline plus grace; it numbers the step itself (max + 1 over the slot's index) under the
    write lock, and the unique constraint catches the rare PostgreSQL tie."""
    steps, attempts = AnswerStep.__table__, Attempt.__table__
    attempt_id, slot = bindparam("attempt_id", type_=steps.c.attempt_id.type), bindparam("slot", type_=steps.c.slot.type)
    next_sequence = (select(func.coalesce(func.max(steps.c.sequence), 0) + 1)
                     .where(steps.c.attempt_id == attempt_id, steps.c.slot == slot).scalar_subquery())
    values = (select(attempt_id, slot, next_sequence, bindparam("response", type_=steps.c.response.type),
                     bindparam("saved_at", type_=steps.c.saved_at.type),
                     bindparam("client_seq", type_=steps.c.client_seq.type))
              .select_from(attempts)
              .where(attempts.c.id == attempt_id, attempts.c.person_id == bindparam("person_id"),
                     attempts.c.seed == bindparam("seed"), attempts.c.state == AttemptState.open,
                     or_(attempts.c.deadline.is_(None), attempts.c.deadline >= bindparam("cutoff", type_=attempts.c.deadline.type)))
              .with_for_update(of=attempts))
    return (insert(steps).from_select(["attempt_id", "slot", "sequence", "response", "saved_at", "client_seq"], values)
            .returning(steps.c.sequence))


_APPEND_STEP = _append_step_statement()


@dataclass(frozen=True)
class SlotDefinition:
    type: str
    definition: dict
    option_order: tuple
    seed: int


_SLOT_CACHE: dict[tuple[int, int], SlotDefinition] = {}
_SLOT_CACHE_SIZE = 50_000


def _slot_definition(attempt_id: int, seed: int, slot_no: int) -> SlotDefinition | None:
    """What a save needs of a slot. A slot never changes after the attempt starts, so each process
    keeps it after the first save; an entry read for another seed (a reused id) is read again."""
    key = (attempt_id, slot_no)
    found = _SLOT_CACHE.get(key)
    if found is None or found.seed != seed:
        row = db.session.execute(select(AttemptSlot.option_order, QuestionVersion.type, QuestionVersion.definition)
                                 .join(AttemptSlot.version)
                                 .where(AttemptSlot.attempt_id == attempt_id, AttemptSlot.slot == slot_no)).first()
        if row is None:
            return None
        if len(_SLOT_CACHE) >= _SLOT_CACHE_SIZE:
            _SLOT_CACHE.clear()
        found = _SLOT_CACHE[key] = SlotDefinition(row.type, row.definition, tuple(row.option_order), seed)
    return found


def replayed(attempt_id: int, client_seq: str | None) -> Saved | None:
    """The save already stored under this client_seq (a retry whose first try got through)."""
    if not client_seq:
        return None
    earlier = db.session.scalars(select(AnswerStep).where(AnswerStep.attempt_id == attempt_id,
                                                          AnswerStep.client_seq == client_seq)).first()
    return Saved(earlier.slot, earlier.sequence, earlier.saved_at, replayed=True) if earlier else None


def latest_steps(attempt_id: int) -> dict[int, AnswerStep]:
    """The current answer of each slot: its latest step."""
    latest = (select(AnswerStep.slot, func.max(AnswerStep.sequence).label("sequence"))
              .where(AnswerStep.attempt_id == attempt_id).group_by(AnswerStep.slot).subquery())
    rows = db.session.scalars(select(AnswerStep).join(
        latest, (AnswerStep.slot == latest.c.slot) & (AnswerStep.sequence == latest.c.sequence))
        .where(AnswerStep.attempt_id == attempt_id))
    return {step.slot: step for step in rows}


# --- finishing -------------------------------------------------------------------------------
def submit(attempt: Attempt) -> Attempt:
    """Finish the attempt now (or at its deadline if it is overdue). Idempotent."""
    if attempt.overdue():
        return finish(attempt, attempt.deadline, "deadline")
    return finish(attempt, clock.now(), "submit")


def finish(attempt: Attempt, at: datetime, how: str) -> Attempt:
    """Close and grade, exactly once: the conditional UPDATE in claim_for_grading lets one caller
    through; everyone else gets the attempt as that caller left it."""
    if not attempt.claim_for_grading(at, how):
        return attempt
    grade_automatic(attempt)
    audit.record("attempt.finish", attempt, actor=None if how == "deadline" else attempt.person, how=how)
    return attempt


def grade_automatic(attempt: Attempt) -> None:
    steps = latest_steps(attempt.id)
    for slot in attempt.slots:
        kind = slot.version.kind
        if not kind.auto_graded:
            continue
        step = steps.get(slot.slot)
        grade = kind.grade(slot.version.definition, step.response if step else None)
        slot.set_fraction(grade.fraction, step.id if step else None)
    refresh_score(attempt)


def refresh_score(attempt: Attempt) -> None:
    """Score = sum of graded slots; the result becomes final when every slot is graded. A final
    result that a regrade changes is announced again, so plans, certificates and scorecards follow."""
    before = (attempt.score, attempt.passed)
    attempt.score = round(sum(s.points or 0 for s in attempt.slots), 4)
    if attempt.state is AttemptState.submitted and all(s.graded for s in attempt.slots):
        attempt.finalise(attempt.score)
        db.session.flush()
        events.attempt_finalised.send(attempt, attempt=attempt, regraded=False)
    elif attempt.is_final:
        attempt.passed = attempt.exam.passes(attempt.score, attempt.max_score)
        if (attempt.score, attempt.passed) != before:
            db.session.flush()
            events.attempt_finalised.send(attempt, attempt=attempt, regraded=True)


def close_overdue(limit: int = 500) -> int:
    """Finish every open attempt past its deadline and grace; returns how many this call closed."""
    cutoff = clock.now() - timedelta(seconds=30)
    ids = db.session.scalars(select(Attempt.id).where(Attempt.state == AttemptState.open, Attempt.deadline.is_not(None),
                                                      Attempt.deadline < cutoff).limit(limit)).all()
    closed = 0
    for attempt_id in ids:
        attempt = db.session.get(Attempt, attempt_id)
        if attempt.overdue():
            before = attempt.state
            finish(attempt, attempt.deadline, "deadline")
            closed += before is AttemptState.open and attempt.finished_by == "deadline"
    return closed


# --- overrides -------------------------------------------------------------------------------
def grant_override(exam: Exam, person: Person, extra_minutes: int, extra_attempts: int, reason: str, actor: Person) -> ExamOverride:
    if not reason.strip():
        raise DomainError(_("Give a reason for the override."), 422)
    if extra_minutes < 0 or extra_attempts < 0 or (extra_minutes == 0 and extra_attempts == 0):
        raise DomainError(_("Grant extra minutes, extra attempts, or both (zero or more each, not both zero)."), 422)
    override = ExamOverride(exam=exam, person=person, extra_minutes=extra_minutes, extra_attempts=extra_attempts,
                            reason=reason.strip(), granted_by=actor, granted_at=clock.now())
    db.session.add(override)
    db.session.flush()
    audit.record("exam.override", override, actor=actor, exam=exam.slug, person=person.employee_no,
                 extra_minutes=extra_minutes, extra_attempts=extra_attempts, reason=reason.strip())
    return override


def overrides_for(exam: Exam) -> list[ExamOverride]:
    return list(db.session.scalars(select(ExamOverride).where(ExamOverride.exam_id == exam.id)
                                   .order_by(ExamOverride.granted_at.desc())))
