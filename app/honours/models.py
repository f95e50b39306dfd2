"""Honour categories, nominations with their frozen evidence and their history."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Person
from app.core import clock
from app.core.errors import DomainError
from app.core.types import UTCDateTime
from app.extensions import db
from app.org.models import OrgUnit


class TermKind(enum.Enum):
    year = "year"
    quarter = "quarter"

    @property
    def label(self) -> str:
        return str({TermKind.year: _l("Year"), TermKind.quarter: _l("Quarter")}[self])


class NomineeKind(enum.Enum):
    outlet = "outlet"
    person = "person"

    @property
    def label(self) -> str:
        return str({NomineeKind.outlet: _l("An outlet"), NomineeKind.person: _l("A person")}[self])


class EvidenceKind(enum.Enum):
    """Which evidence is computed for a nomination."""

    outlet = "outlet"
    coach = "coach"
    faculty = "faculty"
    performer = "performer"


class HonourCategory(db.Model):
    """A kind of honour, e.g. 示范网点 model outlet: its term, who may be nominated, its criteria."""

    __tablename__ = "honour_categories"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: stable code, e.g. "model_outlet"
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: name in Chinese, as the bank says it
    name: Mapped[str] = mapped_column(String(80))
    #: English name
    name_en: Mapped[str] = mapped_column(String(80), default="")
    #: awarded per year or per quarter
    term_kind: Mapped[TermKind] = mapped_column(Enum(TermKind, native_enum=False, length=10))
    #: an outlet or a person is nominated
    nominee_kind: Mapped[NomineeKind] = mapped_column(Enum(NomineeKind, native_enum=False, length=10))
    #: for people: the position codes that may be nominated (empty: any)
    positions: Mapped[list] = mapped_column(JSON, default=list)
    #: which evidence is computed beside a nomination
    evidence_kind: Mapped[EvidenceKind] = mapped_column(Enum(EvidenceKind, native_enum=False, length=12))
    #: the criteria, as head office words them
    criteria: Mapped[str] = mapped_column(Text, default="")
    #: retired categories keep their history but take no new nominations
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"<HonourCategory {self.code}>"

    def display_name(self, locale: str | None = None) -> str:
        return self.name_en if locale and locale.startswith("en") and self.name_en else self.name


class NominationState(enum.Enum):
    pending = "pending"
    awarded = "awarded"
    declined = "declined"
    revoked = "revoked"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self])


STATE_LABELS = {
    NominationState.pending: _l("Awaiting review"),
    NominationState.awarded: _l("Awarded"),
    NominationState.declined: _l("Declined"),
    NominationState.revoked: _l("Revoked"),
}


class Nomination(db.Model):
    """A nomination for a category and term; once approved it is the honour itself."""

    __tablename__ = "nominations"
    __table_args__ = (Index("ix_nominations_category_term", "category_id", "term"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the honour
    category_id: Mapped[int] = mapped_column(ForeignKey("honour_categories.id"))
    #: the term, "2026" or "2026-Q2"
    term: Mapped[str] = mapped_column(String(7), index=True)
    #: the outlet nominated (outlet categories)
    nominee_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    #: the person nominated (person categories)
    nominee_person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    #: why, in the nominator's words
    statement: Mapped[str] = mapped_column(Text)
    #: who nominated
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    #: when
    nominated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: where the nomination stands
    state: Mapped[NominationState] = mapped_column(Enum(NominationState, native_enum=False, length=10),
                                                   default=NominationState.pending, index=True)
    #: the evidence as computed at nomination time, frozen: {name: {"value", "available"}}
    evidence: Mapped[dict] = mapped_column(JSON, default=dict)
    #: who decided last (approve, decline, revoke)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    #: when
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the reason given for declining or revoking
    reason: Mapped[str] = mapped_column(Text, default="")

    category: Mapped[HonourCategory] = relationship()
    nominee_unit: Mapped[OrgUnit | None] = relationship()
    nominee_person: Mapped[Person | None] = relationship(foreign_keys=[nominee_person_id])
    nominated_by: Mapped[Person | None] = relationship(foreign_keys=[nominated_by_id])
    steps: Mapped[list[NominationStep]] = relationship(back_populates="nomination", order_by="NominationStep.id",
                                                       cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Nomination {self.id} {self.state.value} {self.term}>"

    @property
    def nominee_unit_or_home(self) -> OrgUnit:
        """The unit the nomination is about: the outlet, or the person's unit (for scope checks)."""
        return self.nominee_unit or self.nominee_person.org_unit

    def nominee_name(self, locale: str | None = None) -> str:
        return self.nominee_unit.display_name(locale) if self.nominee_unit else self.nominee_person.name

    def _step(self, action: str, actor: Person | None, reason: str = "") -> None:
        self.steps.append(NominationStep(action=action, actor_id=getattr(actor, "id", None), reason=reason))

    def _decide(self, state: NominationState, actor: Person, reason: str = "") -> None:
        self.state, self.decided_by_id, self.decided_at, self.reason = state, actor.id, clock.now(), reason

    def approve(self, actor: Person) -> None:
        if self.state is not NominationState.pending:
            raise DomainError(_("Only a nomination awaiting review can be approved."), 409)
        self._decide(NominationState.awarded, actor)
        self._step("awarded", actor)

    def decline(self, actor: Person, reason: str) -> None:
        if self.state is not NominationState.pending:
            raise DomainError(_("Only a nomination awaiting review can be declined."), 409)
        self._decide(NominationState.declined, actor, _required(reason))
        self._step("declined", actor, reason.strip())

    def revoke(self, actor: Person, reason: str) -> None:
        if self.state is not NominationState.awarded:
            raise DomainError(_("Only an awarded honour can be revoked."), 409)
        self._decide(NominationState.revoked, actor, _required(reason))
        self._step("revoked", actor, reason.strip())


def _required(reason: str) -> str:
    if not (reason or "").strip():
        raise DomainError(_("Give a reason; it is recorded and shown to the nominator."), 422)
    return reason.strip()


class NominationStep(db.Model):
    """Append-only history of a nomination: nominated, awarded, declined, revoked."""

    __tablename__ = "nomination_steps"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the nomination
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), index=True)
    #: what happened
    action: Mapped[str] = mapped_column(String(20))
    #: who did it
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    #: when
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: the reason or statement given
    reason: Mapped[str] = mapped_column(Text, default="")

    nomination: Mapped[Nomination] = relationship(back_populates="steps")
    actor: Mapped[Person | None] = relationship()

    def __repr__(self) -> str:
        return f"<NominationStep {self.nomination_id} {self.action}>"
