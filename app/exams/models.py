"""Exams and attempts. An attempt fixes its question set at start (slots pointing at question
versions, in a seeded order) and records answers as an append-only log of steps; the score is
derived from the log, so a result can be audited and regraded."""
from __future__ import annotations

import enum
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Boolean, Enum, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint,
                        update)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Person
from app.core import clock
from app.core.errors import DomainError
from app.core.types import UTCDateTime
from app.extensions import db
from app.questions.models import QuestionVersion

#: Saves are accepted this long after the deadline, for a request already on its way.
GRACE = timedelta(seconds=30)


class Review(enum.Enum):
    after_submit = "after_submit"
    after_close = "after_close"
    never = "never"


class Exam(db.Model):
    """An exam as defined in question_bank/exams/<slug>.yaml."""

    __tablename__ = "exams"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the file's id, stable
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: title in Chinese
    title: Mapped[str] = mapped_column(String(200))
    #: title in English, if given
    title_en: Mapped[str] = mapped_column(String(200), default="")
    #: what the exam is for and how it runs (Markdown)
    description: Mapped[str] = mapped_column(Text, default="")
    #: points needed to pass, or None when a percentage is set
    pass_mark: Mapped[float | None] = mapped_column(Float)
    #: percentage of the total needed to pass, or None when points are set
    pass_percent: Mapped[float | None] = mapped_column(Float)
    #: minutes from start to deadline; None for no limit
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    #: attempts a person may make; None for unlimited
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    #: hours between the end of one attempt and the start of the next
    retake_wait_hours: Mapped[float] = mapped_column(Float, default=0)
    #: questions in random order per attempt (within each section)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, default=False)
    #: options in random order per attempt
    shuffle_options: Mapped[bool] = mapped_column(Boolean, default=True)
    #: when answers and explanations are shown
    review: Mapped[Review] = mapped_column(Enum(Review, native_enum=False, length=20), default=Review.after_submit)
    #: who may sit it: {positions: [...], roles: [...], stage: n}; empty for everyone
    audience: Mapped[dict] = mapped_column(JSON, default=dict)
    #: when it is open: {weekly: {weekday, start, end}} or {from, until}; empty for always
    window: Mapped[dict] = mapped_column(JSON, default=dict)
    #: the sections: [{title, questions: [...]} | {title, draw: {...}}]
    sections: Mapped[list] = mapped_column(JSON, default=list)
    #: SHA-256 of the definition, for idempotent re-import
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    #: withdrawn exams cannot be started
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    #: when the definition last changed
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    def __repr__(self) -> str:
        return f"<Exam {self.slug}>"

    def display_title(self, locale: str | None = None) -> str:
        return self.title_en if locale and locale.startswith("en") and self.title_en else self.title

    def total_points(self) -> float:
        from app.exams.sections import section_points

        return sum(section_points(section) for section in self.sections)

    def passes(self, score: float, max_score: float) -> bool:
        if self.pass_mark is not None:
            return score >= self.pass_mark - 1e-9
        percent = self.pass_percent if self.pass_percent is not None else 60
        return max_score > 0 and score * 100 >= percent * max_score - 1e-9

    def pass_label(self) -> str:
        if self.pass_mark is not None:
            return _("%(points)s points", points=f"{self.pass_mark:g}")
        return f"{(self.pass_percent if self.pass_percent is not None else 60):g}%"


class ExamOverride(db.Model):
    """Extra time or extra attempts for one person on one exam, with the reason."""

    __tablename__ = "exam_overrides"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the exam
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id", ondelete="CASCADE"), index=True)
    #: the person it applies to
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: minutes added to the time limit of attempts started afterwards
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    #: attempts added to the exam's maximum
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: why (required)
    reason: Mapped[str] = mapped_column(String(500))
    #: who granted it
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: when
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    exam: Mapped[Exam] = relationship()
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    granted_by: Mapped[Person | None] = relationship(foreign_keys=[granted_by_id])

    def __repr__(self) -> str:
        return f"<ExamOverride exam={self.exam_id} person={self.person_id} +{self.extra_minutes}min +{self.extra_attempts}>"


class AttemptState(enum.Enum):
    open = "open"  # answering
    submitted = "submitted"  # finished; practical items wait for an assessor
    graded = "graded"  # final

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {AttemptState.open: _l("In progress"), AttemptState.submitted: _l("Awaiting assessment"),
                AttemptState.graded: _l("Graded")}


class AttemptClosed(DomainError):
    status = 409


class Attempt(db.Model):
    """One sitting of an exam by one person."""

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("exam_id", "person_id", "number", name="uq_attempts_exam_person_number"),
                      Index("ix_attempts_state_deadline", "state", "deadline"))

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the exam
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"), index=True)
    #: who sits it
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    #: 1 for the person's first attempt at this exam, 2 for the second...; unique, so two
    #: simultaneous starts cannot both create one
    number: Mapped[int] = mapped_column(Integer)
    #: seed of the draws and of the question and option order
    seed: Mapped[int] = mapped_column(Integer)
    #: open, submitted (waiting for an assessor) or graded (final)
    state: Mapped[AttemptState] = mapped_column(Enum(AttemptState, native_enum=False, length=12), default=AttemptState.open)
    #: when it started
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: server-side deadline; None when the exam has no time limit
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when it was submitted (the deadline, when closed for being overdue)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: how it ended: "submit", "deadline"
    finished_by: Mapped[str] = mapped_column(String(20), default="")
    #: number of slots (questions) in the attempt
    slot_count: Mapped[int] = mapped_column(Integer, default=0)
    #: total points available
    max_score: Mapped[float] = mapped_column(Float, default=0)
    #: points scored so far (auto-graded parts at submit, assessed parts as they are scored)
    score: Mapped[float | None] = mapped_column(Float)
    #: passed the threshold; None until the result is final
    passed: Mapped[bool | None] = mapped_column(Boolean)
    #: when the result became final
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    exam: Mapped[Exam] = relationship(lazy="joined")
    person: Mapped[Person] = relationship()
    slots: Mapped[list[AttemptSlot]] = relationship(back_populates="attempt", order_by="AttemptSlot.slot",
                                                   cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Attempt {self.id} exam={self.exam_id} person={self.person_id} {self.state.value}>"

    @property
    def is_open(self) -> bool:
        return self.state is AttemptState.open

    @property
    def is_final(self) -> bool:
        return self.state is AttemptState.graded

    def overdue(self, at: datetime | None = None) -> bool:
        """Past the deadline and its grace: no more answers, to be closed."""
        at = at or clock.now()
        return self.is_open and self.deadline is not None and at > self.deadline + GRACE

    def seconds_left(self) -> int | None:
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - clock.now()).total_seconds()))

    def require_open(self) -> None:
        if self.state is not AttemptState.open or self.overdue():
            raise AttemptClosed(_("This attempt is closed: the time is up or it was submitted. Your saved answers count."))

    def claim_for_grading(self, finished_at: datetime, finished_by: str) -> bool:
        """Move open → submitted in one conditional UPDATE. The database decides who wins when a
        double click, a second tab and the deadline sweeper race: only one caller sees rowcount 1
        and grades; the others see the attempt already finished."""
        result = db.session.execute(
            update(Attempt).where(Attempt.id == self.id, Attempt.state == AttemptState.open)
            .values(state=AttemptState.submitted, finished_at=finished_at, finished_by=finished_by)
            .execution_options(synchronize_session=False))
        won = result.rowcount == 1
        db.session.refresh(self)
        return won

    def finalise(self, score: float) -> None:
        self.score = score
        self.passed = self.exam.passes(score, self.max_score)
        self.state = AttemptState.graded
        self.graded_at = clock.now()

    def review_allowed(self) -> bool:
        """Answers and explanations visible to the trainee, per the exam's policy."""
        if self.exam.review is Review.never or self.is_open:
            return False
        if self.exam.review is Review.after_submit:
            return True
        from app.exams.windows import is_open_now

        return self.is_final and not is_open_now(self.exam.window)


class AttemptSlot(db.Model):
    """One question of an attempt, at its position, with the version it was given."""

    __tablename__ = "attempt_slots"
    __table_args__ = (UniqueConstraint("attempt_id", "slot", name="uq_attempt_slots_attempt_slot"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the attempt
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    #: position in the attempt, 1-based, in display order
    slot: Mapped[int] = mapped_column(Integer)
    #: index of the exam section it belongs to
    section: Mapped[int] = mapped_column(Integer, default=0)
    #: the question version given
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"), index=True)
    #: points this slot is worth in this exam
    max_points: Mapped[float] = mapped_column(Float)
    #: display order of the options as original indices (empty for types without options)
    option_order: Mapped[list] = mapped_column(JSON, default=list)
    #: fraction scored, set at submit (auto) or when an assessor has scored every criterion
    fraction: Mapped[float | None] = mapped_column(Float)
    #: points scored = fraction × max_points
    points: Mapped[float | None] = mapped_column(Float)
    #: the answer step that was graded (for audit and regrading)
    graded_step_id: Mapped[int | None] = mapped_column(Integer)
    #: when this slot was graded
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attempt: Mapped[Attempt] = relationship(back_populates="slots")
    version: Mapped[QuestionVersion] = relationship(lazy="joined")
    criteria: Mapped[list[CriterionScore]] = relationship(back_populates="attempt_slot", order_by="CriterionScore.criterion",
                                                          cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<AttemptSlot {self.attempt_id}#{self.slot} v={self.question_version_id}>"

    @property
    def graded(self) -> bool:
        return self.fraction is not None

    def set_fraction(self, fraction: float, step_id: int | None = None) -> None:
        self.fraction = fraction
        self.points = round(fraction * self.max_points, 4)
        self.graded_step_id = step_id
        self.graded_at = clock.now()


class AnswerStep(db.Model):
    """One saved answer: the append-only log. The current answer of a slot is its latest step.
    Rows are never updated or deleted."""

    __tablename__ = "answer_steps"
    __table_args__ = (UniqueConstraint("attempt_id", "slot", "sequence", name="uq_answer_steps_attempt_slot_sequence"),
                      UniqueConstraint("attempt_id", "client_seq", name="uq_answer_steps_attempt_client_seq"))

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the attempt (no ORM relationship: saves must stay one small insert)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    #: the slot answered
    slot: Mapped[int] = mapped_column(Integer)
    #: 1, 2, ... per slot, in order of saving
    sequence: Mapped[int] = mapped_column(Integer)
    #: the answer in stored form (original option indices); null clears the answer
    response: Mapped[dict | None] = mapped_column(JSON)
    #: server time of the save
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: the browser's id for this save, so a retried save is recognised instead of stored twice
    client_seq: Mapped[str | None] = mapped_column(String(40))

    def __repr__(self) -> str:
        return f"<AnswerStep {self.attempt_id}#{self.slot}.{self.sequence}>"


class CriterionScore(db.Model):
    """An assessor's points for one rubric criterion of a practical slot."""

    __tablename__ = "criterion_scores"
    __table_args__ = (UniqueConstraint("attempt_slot_id", "criterion", name="uq_criterion_scores_slot_criterion"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the practical slot
    attempt_slot_id: Mapped[int] = mapped_column(ForeignKey("attempt_slots.id", ondelete="CASCADE"), index=True)
    #: index of the criterion in the rubric
    criterion: Mapped[int] = mapped_column(Integer)
    #: points given
    points: Mapped[float] = mapped_column(Float)
    #: the assessor's comment
    comment: Mapped[str] = mapped_column(Text, default="")
    #: who scored it (last)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    #: when (last)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    attempt_slot: Mapped[AttemptSlot] = relationship(back_populates="criteria")
    assessor: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"<CriterionScore slot={self.attempt_slot_id} c={self.criterion} {self.points}>"


class GradeChange(db.Model):
    """A change to a final grade: who, when, old, new and why. Append-only."""

    __tablename__ = "grade_changes"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the slot whose grade changed
    attempt_slot_id: Mapped[int] = mapped_column(ForeignKey("attempt_slots.id", ondelete="CASCADE"), index=True)
    #: the criterion changed (practical items); None for a whole-slot change
    criterion: Mapped[int | None] = mapped_column(Integer)
    #: points before
    old_points: Mapped[float] = mapped_column(Float)
    #: points after
    new_points: Mapped[float] = mapped_column(Float)
    #: why (required)
    reason: Mapped[str] = mapped_column(String(500))
    #: who changed it
    changed_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    #: when
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    changed_by: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"<GradeChange slot={self.attempt_slot_id} {self.old_points}→{self.new_points}>"
