"""Certificates. A certificate's status is derived from its dates and lifecycle marks with one clock,
in Python and in SQL alike (`Certificate.status`), so the compliance view can count in the database."""
from __future__ import annotations

import enum
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Person
from app.certification import types as cert_types
from app.core import clock
from app.core.errors import DomainError
from app.core.types import UTCDateTime
from app.extensions import db

#: A valid certificate whose expiry falls within this window is shown as "expiring".
EXPIRING_WINDOW = timedelta(days=60)


class CertStatus(enum.Enum):
    valid = "valid"
    expiring = "expiring"
    expired = "expired"
    suspended = "suspended"
    revoked = "revoked"
    renewed = "renewed"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])

    @property
    def live(self) -> bool:
        """Whether the holder is licensed by this certificate right now."""
        return self in (CertStatus.valid, CertStatus.expiring)


STATUS_LABELS = {
    CertStatus.valid: _l("Valid"),
    CertStatus.expiring: _l("Expiring soon"),
    CertStatus.expired: _l("Expired"),
    CertStatus.suspended: _l("Suspended"),
    CertStatus.revoked: _l("Revoked"),
    CertStatus.renewed: _l("Renewed (replaced by a newer certificate)"),
}


class RevocationReason(enum.Enum):
    """Categories shown publicly on verification; the free-text reason stays internal."""

    issued_in_error = "issued_in_error"
    misconduct = "misconduct"
    exam_irregularity = "exam_irregularity"
    left_position = "left_position"
    other = "other"

    @property
    def label(self) -> str:
        return str(REASON_LABELS[self])


REASON_LABELS = {
    RevocationReason.issued_in_error: _l("Issued in error"),
    RevocationReason.misconduct: _l("Misconduct"),
    RevocationReason.exam_irregularity: _l("Exam irregularity"),
    RevocationReason.left_position: _l("Left the position"),
    RevocationReason.other: _l("Other"),
}


class CertificateRevoked(DomainError):
    def __init__(self):
        super().__init__(_("This certificate has been revoked; it can no longer be changed."))


class Certificate(db.Model):
    """One certificate held by one person. Never deleted: revocation and renewal are marks on it."""

    __tablename__ = "certificates"
    __table_args__ = (
        # Exactly one certificate per earning event, however many triggers race to issue it.
        UniqueConstraint("type_code", "person_id", "earning_key", name="uq_certificates_type_person_earning"),
        Index("ix_certificates_person_type", "person_id", "type_code"),
    )

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: public serial, LG-XXXX-XXXX-XXXX-C (random, with a check character)
    serial: Mapped[str] = mapped_column(String(24), unique=True)
    #: certificate type code from types.yaml
    type_code: Mapped[str] = mapped_column(String(40))
    #: the holder
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    #: what earned it, as a stable key (hash of the evidence, "renew:<id>", "admin:<token>")
    earning_key: Mapped[str] = mapped_column(String(80))
    #: the evidence that earned it: [{kind, ref, id, at, score...}], or the admin's reason
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    #: when it was issued (validity starts)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: when it stops being valid; None = never expires
    valid_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: the admin who issued it by hand; None when earned automatically
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: the certificate this one renews (replaces)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), index=True)
    #: when a renewal replaced this certificate
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when it was suspended; None unless suspended now
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: why it is suspended (internal text)
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    #: who suspended it
    suspended_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: when it was revoked (final)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: revocation category, shown publicly
    revoked_category: Mapped[str | None] = mapped_column(String(30))
    #: why it was revoked (internal text)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    #: who revoked it
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: key id of the Ed25519 key that signed the credential
    kid: Mapped[str] = mapped_column(String(64), default="")
    #: the Open Badges 3.0 credential as a compact VC-JWT, signed at issue
    credential_jwt: Mapped[str] = mapped_column(Text, default="")

    holder: Mapped[Person] = relationship(foreign_keys=[person_id])
    replaces: Mapped[Certificate | None] = relationship(remote_side=[id], foreign_keys=[replaces_id])

    def __repr__(self) -> str:
        return f"<Certificate {self.serial} {self.type_code} of {self.person_id}>"

    @property
    def cert_type(self) -> cert_types.CertType | None:
        return cert_types.get(self.type_code)

    def type_name(self, locale: str | None = None) -> str:
        found = self.cert_type
        return found.name(locale) if found else self.type_code

    # --- status: one rule, in Python and in SQL -------------------------------------------------
    @hybrid_property
    def status(self) -> CertStatus:
        now = clock.now()
        if self.revoked_at is not None:
            return CertStatus.revoked
        if self.suspended_at is not None:
            return CertStatus.suspended
        if self.superseded_at is not None:
            return CertStatus.renewed
        until = clock.as_utc(self.valid_until)
        if until is not None and until <= now:
            return CertStatus.expired
        if until is not None and until <= now + EXPIRING_WINDOW:
            return CertStatus.expiring
        return CertStatus.valid

    @status.inplace.expression
    @classmethod
    def _status_expression(cls):
        now = clock.now()
        return case(
            (cls.revoked_at.is_not(None), CertStatus.revoked.value),
            (cls.suspended_at.is_not(None), CertStatus.suspended.value),
            (cls.superseded_at.is_not(None), CertStatus.renewed.value),
            (cls.valid_until <= now, CertStatus.expired.value),
            (cls.valid_until <= now + EXPIRING_WINDOW, CertStatus.expiring.value),
            else_=CertStatus.valid.value,
        )

    @property
    def revocation_reason(self) -> RevocationReason | None:
        return RevocationReason(self.revoked_category) if self.revoked_category else None

    # --- transitions ----------------------------------------------------------------------------
    def _require_not_revoked(self) -> None:
        if self.revoked_at is not None:
            raise CertificateRevoked()

    def suspend(self, actor: Person, reason: str) -> None:
        self._require_not_revoked()
        if self.suspended_at is not None:
            raise DomainError(_("This certificate is already suspended."))
        self.suspended_at, self.suspended_by_id, self.suspended_reason = clock.now(), actor.id, reason

    def reinstate(self) -> None:
        self._require_not_revoked()
        if self.suspended_at is None:
            raise DomainError(_("This certificate is not suspended."))
        self.suspended_at, self.suspended_by_id, self.suspended_reason = None, None, None

    def revoke(self, actor: Person, category: RevocationReason, reason: str) -> None:
        self._require_not_revoked()
        self.revoked_at, self.revoked_by_id = clock.now(), actor.id
        self.revoked_category, self.revoked_reason = category.value, reason

    def supersede(self) -> None:
        """Mark as replaced by a renewal; only a live certificate can be renewed."""
        if not self.status.live:
            raise DomainError(_("Only a valid certificate can be renewed; this one is %(status)s.", status=self.status.label))
        self.superseded_at = clock.now()

    def in_renewal_window(self) -> bool:
        kind = self.cert_type
        if kind is None or kind.renewal is None or self.valid_until is None or not self.status.live:
            return False
        return clock.now() >= clock.as_utc(self.valid_until) - timedelta(days=kind.renewal.window_days)
