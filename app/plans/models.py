"""Staged learning plans: templates (versioned), enrolments with their stages, external
qualifications with evidence, and the append-only history of every change.

An enrolment's state is derived from facts (stage outcomes, withdrawal, the due date of the open
stage and today's date) by one hybrid property that works in Python and in SQL, so the
branch-head list filters by state in one query and every page shows the same state."""
from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (JSON, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint, and_, case, literal)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Person
from app.core import clock
from app.core.errors import DomainError
from app.core.types import UTCDateTime
from app.extensions import db


class State(enum.Enum):
    """What a person's progress in a plan (or one stage) looks like today."""

    not_started = "not_started"
    in_progress = "in_progress"
    overdue = "overdue"
    passed = "passed"
    #: a stage only: a trainer excused it (it counts as done, but nothing was passed)
    waived = "waived"
    failed = "failed"
    withdrawn = "withdrawn"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])

    @property
    def tone(self) -> str:
        """CSS tone of the state's tag: failures and lateness stand out."""
        return {State.overdue: "bad", State.failed: "bad", State.passed: "ok", State.waived: "ok",
                State.withdrawn: "muted"}.get(self, "")


#: the states a whole enrolment can be in (a stage may also be waived)
ENROLMENT_STATES = [State.not_started, State.in_progress, State.overdue, State.passed, State.failed, State.withdrawn]

STATE_LABELS = {
    State.not_started: _l("Not started"),
    State.in_progress: _l("In progress"),
    State.overdue: _l("Overdue"),
    State.passed: _l("Passed"),
    State.waived: _l("Waived"),
    State.failed: _l("Failed"),
    State.withdrawn: _l("Withdrawn"),
}


class Outcome(enum.Enum):
    """A stage's recorded outcome; `open` until it is passed, waived or failed."""

    locked = "locked"
    open = "open"
    passed = "passed"
    waived = "waived"
    failed = "failed"


class Progress(enum.Enum):
    """An enrolment's recorded outcome (stored, recomputed from its stages on every change)."""

    active = "active"
    completed = "completed"
    failed = "failed"
    withdrawn = "withdrawn"


class EvidenceStatus(enum.Enum):
    pending = "pending"
    verified = "verified"
    rejected = "rejected"

    @property
    def label(self) -> str:
        return str({EvidenceStatus.pending: _l("Awaiting verification"), EvidenceStatus.verified: _l("Verified"),
                    EvidenceStatus.rejected: _l("Rejected")}[self])


class PlanTemplate(db.Model):
    """A learning plan, known by a stable slug; its content lives in versions."""

    __tablename__ = "plan_templates"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: stable identifier from the file (`id:`), e.g. "transfer-to-account-manager"
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    #: title of the latest version (Chinese), kept here for lists
    title: Mapped[str] = mapped_column(String(120))
    #: English title of the latest version
    title_en: Mapped[str] = mapped_column(String(120), default="")

    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="template", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<PlanTemplate {self.slug}>"

    @property
    def latest(self) -> PlanVersion:
        return self.versions[-1]

    def display_title(self, locale: str | None) -> str:
        return self.title_en if locale and locale.startswith("en") and self.title_en else self.title


class PlanVersion(db.Model):
    """One immutable version of a plan's definition. Enrolments keep the version they started on."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("template_id", "number", name="uq_plan_versions_template_number"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the plan this is a version of
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id"), index=True)
    #: 1, 2, 3… within the plan
    number: Mapped[int] = mapped_column(Integer)
    #: the validated definition (see courses/plans/README.md), stages in order
    definition: Mapped[dict] = mapped_column(JSON)
    #: the YAML text it was made from, so trainers edit what they wrote
    source_text: Mapped[str] = mapped_column(Text, default="")
    #: SHA-256 of the source text; a sync of an unchanged file adds nothing
    checksum: Mapped[str] = mapped_column(String(64))
    #: "file" (plans sync) or "web" (edited by a trainer)
    origin: Mapped[str] = mapped_column(String(10), default="file")
    #: who saved it on the web; None for file syncs
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: when it was saved
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    template: Mapped[PlanTemplate] = relationship(back_populates="versions")
    created_by: Mapped[Person | None] = relationship()

    def __repr__(self) -> str:
        return f"<PlanVersion {self.template_id} v{self.number}>"

    @property
    def stages(self) -> list[dict]:
        return self.definition["stages"]

    def stage(self, position: int) -> dict:
        return self.stages[position - 1]


class Enrolment(db.Model):
    """A person following one version of a plan from a start date."""

    __tablename__ = "plan_enrolments"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the trainee
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    #: the plan version followed (kept even when the plan is edited later)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id"), index=True)
    #: the plan (denormalised from the version, for filters and the one-active-enrolment rule)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id"), index=True)
    #: first day of stage 1
    start_date: Mapped[date] = mapped_column(Date)
    #: stored outcome, recomputed from the stages on every change (see recompute)
    progress: Mapped[Progress] = mapped_column(Enum(Progress, native_enum=False, length=12), default=Progress.active, index=True)
    #: the stage now open (1-based); the last stage once completed
    current_stage: Mapped[int] = mapped_column(Integer, default=1)
    #: due date of the open stage (recomputed); None once the plan is over
    current_due: Mapped[date | None] = mapped_column(Date, index=True)
    #: when the last stage was passed: the person is then qualified for what the plan leads to
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when the enrolment was withdrawn, and why
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: reason given for the withdrawal
    withdrawn_reason: Mapped[str] = mapped_column(String(500), default="")
    #: who enrolled the person
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: when they were enrolled
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    enrolled_by: Mapped[Person | None] = relationship(foreign_keys=[enrolled_by_id])
    version: Mapped[PlanVersion] = relationship()
    template: Mapped[PlanTemplate] = relationship()
    stages: Mapped[list[EnrolmentStage]] = relationship(
        back_populates="enrolment", order_by="EnrolmentStage.position", cascade="all, delete-orphan", lazy="selectin"
    )
    history: Mapped[list[HistoryEntry]] = relationship(
        back_populates="enrolment", order_by="HistoryEntry.id", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} person={self.person_id} {self.progress.value}>"

    # --- the one state rule, in Python and in SQL -----------------------------------------------
    @hybrid_property
    def state(self) -> State:
        today = clock.today()
        if self.progress is Progress.withdrawn:
            return State.withdrawn
        if self.progress is Progress.completed:
            return State.passed
        if self.progress is Progress.failed:
            return State.failed
        if self.start_date > today:
            return State.not_started
        if self.current_due is not None and self.current_due < today:
            return State.overdue
        return State.in_progress

    @state.inplace.expression
    @classmethod
    def _state_expression(cls):
        today = clock.today()
        return case(
            (cls.progress == Progress.withdrawn, literal(State.withdrawn.value)),
            (cls.progress == Progress.completed, literal(State.passed.value)),
            (cls.progress == Progress.failed, literal(State.failed.value)),
            (cls.start_date > today, literal(State.not_started.value)),
            (and_(cls.current_due.is_not(None), cls.current_due < today), literal(State.overdue.value)),
            else_=literal(State.in_progress.value),
        )

    @property
    def open_stage(self) -> EnrolmentStage | None:
        return next((s for s in self.stages if s.outcome is Outcome.open), None)

    @property
    def is_active(self) -> bool:
        return self.progress is Progress.active

    @property
    def waived_positions(self) -> list[int]:
        """The stages a trainer waived (they count as done; the lists and the export say so)."""
        return [s.position for s in self.stages if s.outcome is Outcome.waived]

    # --- transitions (guarded; services call these and write the history) -----------------------
    def require_active(self) -> None:
        if not self.is_active:
            raise DomainError(_("This enrolment is no longer active: it is %(state)s.", state=self.state.label), 409)

    def withdraw(self, reason: str) -> None:
        self.require_active()
        self.withdrawn_at, self.withdrawn_reason = clock.now(), reason
        self.recompute()

    def recompute(self) -> None:
        """Derive the stored outcome, the open stage and its due date from the stages' facts."""
        if self.withdrawn_at is not None:
            self.progress, self.current_due = Progress.withdrawn, None
            return
        if any(stage.outcome is Outcome.failed for stage in self.stages):
            failed = next(s for s in self.stages if s.outcome is Outcome.failed)
            self.progress, self.current_stage, self.current_due = Progress.failed, failed.position, None
            return
        if all(stage.is_passed for stage in self.stages):
            self.progress, self.current_stage, self.current_due = Progress.completed, len(self.stages), None
            self.completed_at = self.completed_at or clock.now()
            return
        self.progress, self.completed_at = Progress.active, None
        first_open = next(s for s in self.stages if not s.is_passed)
        if first_open.outcome is Outcome.locked:
            first_open.outcome, first_open.opened_at = Outcome.open, clock.now()
        self.current_stage, self.current_due = first_open.position, first_open.due_date


class EnrolmentStage(db.Model):
    """One stage of one enrolment: its due date, assessor and recorded outcome."""

    __tablename__ = "plan_enrolment_stages"
    __table_args__ = (UniqueConstraint("enrolment_id", "position", name="uq_plan_enrolment_stages_enrolment_position"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the enrolment
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("plan_enrolments.id", ondelete="CASCADE"), index=True)
    #: 1-based order within the plan version
    position: Mapped[int] = mapped_column(Integer)
    #: the due date after the holiday rule
    due_date: Mapped[date] = mapped_column(Date)
    #: the due date before the holiday rule (differs when it fell on a weekend or holiday)
    nominal_due_date: Mapped[date] = mapped_column(Date)
    #: who assesses this stage for this trainee; None when no one was found or named
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    #: locked until the previous stage is passed; then open; then passed, waived or failed
    outcome: Mapped[Outcome] = mapped_column(Enum(Outcome, native_enum=False, length=10), default=Outcome.locked)
    #: when the stage opened
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when it was passed, waived or failed
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the reason a trainer gave for a waiver, a failure or a reopening
    reason: Mapped[str] = mapped_column(String(500), default="")

    enrolment: Mapped[Enrolment] = relationship(back_populates="stages")
    assessor: Mapped[Person | None] = relationship()

    def __repr__(self) -> str:
        return f"<EnrolmentStage {self.enrolment_id}#{self.position} {self.outcome.value}>"

    @property
    def is_passed(self) -> bool:
        return self.outcome in (Outcome.passed, Outcome.waived)

    @property
    def definition(self) -> dict:
        return self.enrolment.version.stage(self.position)

    @property
    def moved(self) -> bool:
        return self.due_date != self.nominal_due_date

    @property
    def state(self) -> State:
        if self.enrolment.progress is Progress.withdrawn and not self.is_passed:
            return State.withdrawn
        if self.outcome is Outcome.waived:
            return State.waived
        if self.outcome is Outcome.passed:
            return State.passed
        if self.outcome is Outcome.failed:
            return State.failed
        if self.outcome is Outcome.locked or self.enrolment.start_date > clock.today():
            return State.not_started
        return State.overdue if self.due_date < clock.today() else State.in_progress

    def _decide(self, outcome: Outcome, reason: str = "") -> None:
        self.enrolment.require_active()
        if self.outcome is not Outcome.open:
            raise DomainError(_("Stage %(n)d is not open, so it cannot be decided now.", n=self.position), 409)
        self.outcome, self.decided_at, self.reason = outcome, clock.now(), reason
        self.enrolment.recompute()

    def pass_(self) -> None:
        self._decide(Outcome.passed)

    def waive(self, reason: str) -> None:
        self._decide(Outcome.waived, reason)

    def fail(self, reason: str) -> None:
        self._decide(Outcome.failed, reason)

    def reopen(self, reason: str) -> None:
        """Open a decided stage again (and lock the ones after it): a waiver given in error, a failure
        to be retaken after extra coaching. The enrolment becomes active again."""
        enrolment = self.enrolment
        if enrolment.progress is Progress.withdrawn:
            raise DomainError(_("A withdrawn enrolment cannot be changed."), 409)
        if self.outcome in (Outcome.open, Outcome.locked):
            raise DomainError(_("Stage %(n)d is not decided yet, so there is nothing to reopen.", n=self.position), 409)
        for later in enrolment.stages:
            if later.position > self.position:
                later.outcome, later.opened_at, later.decided_at = Outcome.locked, None, None
        self.outcome, self.decided_at, self.reason, self.opened_at = Outcome.open, None, reason, clock.now()
        enrolment.completed_at = None
        enrolment.recompute()


class HistoryEntry(db.Model):
    """Append-only: every change to an enrolment, who made it and when."""

    __tablename__ = "plan_history"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the enrolment changed
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("plan_enrolments.id", ondelete="CASCADE"), index=True)
    #: the stage concerned, if any (1-based)
    stage: Mapped[int | None] = mapped_column(Integer)
    #: what happened: enrolled, stage_opened, stage_passed, stage_waived, stage_failed, stage_reopened,
    #: assessor_set, evidence_uploaded, evidence_verified, evidence_rejected, withdrawn, completed
    action: Mapped[str] = mapped_column(String(40))
    #: who did it; None for automatic rules (an exam result, a course completed)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: when
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: the reason given (as typed); older entries also hold a note written in the writer's language
    note: Mapped[str] = mapped_column(String(500), default="")
    #: the facts behind the note (ids, numbers, dates), rendered in the reader's language (timeline.history_note)
    data: Mapped[dict | None] = mapped_column(JSON)
    #: the enrolment's state after the change
    state_after: Mapped[str] = mapped_column(String(12), default="")

    enrolment: Mapped[Enrolment] = relationship(back_populates="history")
    actor: Mapped[Person | None] = relationship()

    def __repr__(self) -> str:
        return f"<HistoryEntry {self.enrolment_id} {self.action}>"


class Qualification(db.Model):
    """An external qualification (e.g. the insurance-agent exam) with its evidence file.
    A stage counts it only once an assessor or trainer has verified it."""

    __tablename__ = "plan_qualifications"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: whose qualification
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    #: the enrolment it was uploaded for, if any
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("plan_enrolments.id", ondelete="SET NULL"), index=True)
    #: the kind of qualification, e.g. "insurance_agent"
    kind: Mapped[str] = mapped_column(String(40), index=True)
    #: certificate number as printed
    certificate_no: Mapped[str] = mapped_column(String(60))
    #: date on the certificate
    certified_on: Mapped[date] = mapped_column(Date)
    #: evidence file name under instance/evidence/ (random, never the uploaded name)
    stored_name: Mapped[str] = mapped_column(String(80))
    #: the name the file was uploaded with, for the download
    original_name: Mapped[str] = mapped_column(String(200), default="")
    #: detected from the file's first bytes: application/pdf, image/png or image/jpeg
    content_type: Mapped[str] = mapped_column(String(40))
    #: size in bytes
    size: Mapped[int] = mapped_column(Integer)
    #: pending, verified or rejected
    status: Mapped[EvidenceStatus] = mapped_column(
        Enum(EvidenceStatus, native_enum=False, length=10), default=EvidenceStatus.pending, index=True
    )
    #: who uploaded it, when
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: when it was uploaded
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: who verified or rejected it
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: when it was verified (None unless verified)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when it was rejected, and why
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the reviewer's reason for a rejection
    reject_reason: Mapped[str] = mapped_column(String(500), default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    uploaded_by: Mapped[Person | None] = relationship(foreign_keys=[uploaded_by_id])
    reviewed_by: Mapped[Person | None] = relationship(foreign_keys=[reviewed_by_id])

    def __repr__(self) -> str:
        return f"<Qualification {self.kind} {self.certificate_no} {self.status.value}>"

    def _review(self, reviewer: Person) -> None:
        if self.status is not EvidenceStatus.pending:
            raise DomainError(_("This evidence was already %(status)s.", status=self.status.label), 409)
        self.reviewed_by_id = reviewer.id

    def verify(self, reviewer: Person) -> None:
        self._review(reviewer)
        self.status, self.verified_at = EvidenceStatus.verified, clock.now()

    def reject(self, reviewer: Person, reason: str) -> None:
        self._review(reviewer)
        self.status, self.rejected_at, self.reject_reason = EvidenceStatus.rejected, clock.now(), reason

