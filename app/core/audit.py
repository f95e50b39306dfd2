"""An append-only audit log: who did what to which object, when."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core import clock
from app.core.types import UTCDateTime
from app.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: when it happened
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
    #: who did it; None for the system (CLI, automatic rules)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    #: what was done, e.g. "person.disable", "roster.import"
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: the kind of object acted on, e.g. "person"
    object_type: Mapped[str] = mapped_column(String(40), default="")
    #: the object's id (as text, so any key fits)
    object_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    #: details: old and new values, reasons
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id}>"


def record(action: str, obj=None, *, actor=None, **data) -> AuditEvent:
    """Add an audit event to the session (the caller's transaction commits it)."""
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        object_type=obj.__tablename__ if obj is not None else "",
        object_id=str(getattr(obj, "id", "")) if obj is not None else "",
        data=data,
    )
    db.session.add(event)
    return event
