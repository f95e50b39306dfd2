"""Work-log entries, scorecard rule sets and the monthly score of each person."""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (Boolean, Date, Enum, ForeignKey, Index, Integer, Numeric, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Person
from app.core import clock
from app.core.errors import DomainError
from app.core.types import UTCDateTime
from app.extensions import db
from app.org.models import OrgUnit


class EntryKind(enum.Enum):
    """What a work-log entry records. The first three are logged by the person themselves;
    the rest are inspection items entered by a head for people in their scope."""

    call = "call"
    visit = "visit"
    event = "event"
    service_check = "service_check"
    satisfaction = "satisfaction"
    complaint = "complaint"
    misconduct = "misconduct"

    @property
    def label(self) -> str:
        return str(ENTRY_KIND_LABELS[self])

    @property
    def inspection(self) -> bool:
        return self not in SELF_KINDS


SELF_KINDS = (EntryKind.call, EntryKind.visit, EntryKind.event)

ENTRY_KIND_LABELS = {
    EntryKind.call: _l("Phone contact"),
    EntryKind.visit: _l("Customer visit"),
    EntryKind.event: _l("Company or community event"),
    EntryKind.service_check: _l("Service video / mystery shopper score"),
    EntryKind.satisfaction: _l("Customer satisfaction score"),
    EntryKind.complaint: _l("Complaint"),
    EntryKind.misconduct: _l("Non-standard behaviour"),
}


class WorkLogEntry(db.Model):
    """One line of a person's work log (工作日志), or an inspection item about them."""

    __tablename__ = "work_log_entries"
    __table_args__ = (Index("ix_work_log_entries_person_day", "person_id", "occurred_on"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: whose work this is (the person the entry scores)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    #: what kind of entry
    kind: Mapped[EntryKind] = mapped_column(Enum(EntryKind, native_enum=False, length=20))
    #: the day of the call, visit, event, inspection or complaint
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    #: the customer contacted or visited, or the company/community of an event
    customer: Mapped[str] = mapped_column(String(120), default="")
    #: visits: the day the visit was reported to the outlet head; counts only if at least a day before
    reported_on: Mapped[date | None] = mapped_column(Date)
    #: events: the plan, written before the event
    plan: Mapped[str] = mapped_column(Text, default="")
    #: events: the results, written after the event
    results: Mapped[str] = mapped_column(Text, default="")
    #: events: creativity assessed by a head, 0–5; None until assessed
    creativity: Mapped[int | None] = mapped_column(Integer)
    #: service-check score (0–100) or satisfaction score (0–10)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    #: non-standard behaviour: severity 1–3
    severity: Mapped[int | None] = mapped_column(Integer)
    #: free note
    note: Mapped[str] = mapped_column(Text, default="")
    #: who entered it (the person, or a head for inspection items)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    #: when it was entered
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    entered_by: Mapped[Person | None] = relationship(foreign_keys=[entered_by_id])

    def __repr__(self) -> str:
        return f"<WorkLogEntry {self.kind.value} {self.person_id} {self.occurred_on}>"

    @property
    def reported_in_time(self) -> bool:
        """A visit counts only when reported to the outlet head at least one day before it."""
        return self.reported_on is not None and (self.occurred_on - self.reported_on).days >= 1

    def assess_creativity(self, value: int) -> None:
        if self.kind is not EntryKind.event:
            raise DomainError(_("Only events are assessed for creativity."), 409)
        if not 0 <= value <= 5:
            raise DomainError(_("Creativity is assessed from 0 to 5."), 422)
        self.creativity = value


class RuleKind(enum.Enum):
    """The rules the scorecard knows how to evaluate (see rules.py, one function each)."""

    phone_contact = "phone_contact"
    visit = "visit"
    event = "event"
    event_creativity = "event_creativity"
    missed_learning = "missed_learning"
    exam_below = "exam_below"
    misconduct = "misconduct"
    service_check = "service_check"
    satisfaction = "satisfaction"
    complaint = "complaint"


class ScorecardRuleSet(db.Model):
    """The rules in force for a subtree. The one without a unit is the bank default; a set on a
    unit overrides it (and any set higher up) for everyone in that unit's subtree."""

    __tablename__ = "scorecard_rule_sets"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the subtree it applies to; None for the bank default
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), unique=True)
    #: a name for the set, e.g. "某支行绩效考评细则"
    name: Mapped[str] = mapped_column(String(120))
    #: when it was last changed
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: who last changed it; None for the shipped set
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    org_unit: Mapped[OrgUnit | None] = relationship()
    rules: Mapped[list[ScorecardRule]] = relationship(
        back_populates="rule_set", cascade="all, delete-orphan", order_by="ScorecardRule.position"
    )

    def __repr__(self) -> str:
        return f"<ScorecardRuleSet {self.name} unit={self.org_unit_id}>"


class ScorecardRule(db.Model):
    """One rule: points per counted item, or per item whose value lies in [lower, upper)."""

    __tablename__ = "scorecard_rules"
    __table_args__ = (Index("ix_scorecard_rules_set_position", "rule_set_id", "position"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the set it belongs to
    rule_set_id: Mapped[int] = mapped_column(ForeignKey("scorecard_rule_sets.id", ondelete="CASCADE"))
    #: display order within the set
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: which evaluation applies
    kind: Mapped[RuleKind] = mapped_column(Enum(RuleKind, native_enum=False, length=30))
    #: points per item (per creativity or severity point for weighted kinds); negative for deductions
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    #: banded rules: lowest value that matches (inclusive); None for no lower bound
    lower: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    #: banded rules: first value that no longer matches (exclusive); None for no upper bound
    upper: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    #: switched off rules are kept but not applied
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    rule_set: Mapped[ScorecardRuleSet] = relationship(back_populates="rules")

    def __repr__(self) -> str:
        return f"<ScorecardRule {self.kind.value} {self.points} [{self.lower}, {self.upper})>"

    def matches(self, value: Decimal) -> bool:
        return (self.lower is None or value >= self.lower) and (self.upper is None or value < self.upper)


class MonthlyScore(db.Model):
    """A person's scorecard total for a month, recomputed whenever its inputs change; its lines
    (MonthlyScoreLine) say why. Rows are small on purpose: rankings read 100,000 of them."""

    __tablename__ = "monthly_scores"
    __table_args__ = (
        UniqueConstraint("person_id", "month", name="uq_monthly_scores_person_month"),
        # covers the rankings' lookups and per-month sums without touching the table
        Index("ix_monthly_scores_month_person", "month", "person_id", "total", "negatives"),
    )

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: whose score
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    #: the first day of the month scored
    month: Mapped[date] = mapped_column(Date)
    #: total points
    total: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    #: how many deductions the month had; fewer wins a tie
    negatives: Mapped[int] = mapped_column(Integer, default=0)
    #: the rule set used
    rule_set_id: Mapped[int | None] = mapped_column(ForeignKey("scorecard_rule_sets.id", ondelete="SET NULL"))
    #: when it was computed
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    person: Mapped[Person] = relationship()
    lines: Mapped[list[MonthlyScoreLine]] = relationship(
        primaryjoin="and_(MonthlyScore.person_id == foreign(MonthlyScoreLine.person_id), "
                    "MonthlyScore.month == foreign(MonthlyScoreLine.month))", viewonly=True)

    def __repr__(self) -> str:
        return f"<MonthlyScore {self.person_id} {self.month:%Y-%m} {self.total}>"


class MonthlyScoreLine(db.Model):
    """One rule kind's part of a person's monthly score: how many items counted and their points.
    Kinds with nothing counted have no line."""

    __tablename__ = "monthly_score_lines"
    __table_args__ = (UniqueConstraint("person_id", "month", "kind", name="uq_monthly_score_lines_person_month_kind"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: whose score
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    #: the first day of the month scored
    month: Mapped[date] = mapped_column(Date, index=True)
    #: the rule kind
    kind: Mapped[RuleKind] = mapped_column(Enum(RuleKind, native_enum=False, length=30))
    #: items that counted (calls, reported visits, results in a band...)
    count: Mapped[int] = mapped_column(Integer)
    #: the points they gave; negative for deductions
    points: Mapped[Decimal] = mapped_column(Numeric(10, 2))

    def __repr__(self) -> str:
        return f"<MonthlyScoreLine {self.person_id} {self.month:%Y-%m} {self.kind.value} {self.points}>"


class ExamResultFact(db.Model):
    """A final exam result, copied from the exams domain's `attempt_finalised` event, so the
    scorecard can count results below the threshold per month without reading exam tables."""

    __tablename__ = "scorecard_exam_results"
    __table_args__ = (Index("ix_scorecard_exam_results_person_at", "person_id", "finished_at"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: who sat the exam
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    #: the exam's slug (question_bank/exams/*.yaml id)
    exam_slug: Mapped[str] = mapped_column(String(80))
    #: the score normalised to 0–100
    percent: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    #: whether the attempt passed
    passed: Mapped[bool] = mapped_column(Boolean)
    #: when the attempt finished
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the exams domain's attempt id, so a re-sent event does not count twice
    attempt_ref: Mapped[str] = mapped_column(String(40), unique=True)

    def __repr__(self) -> str:
        return f"<ExamResultFact {self.person_id} {self.exam_slug} {self.percent}>"
