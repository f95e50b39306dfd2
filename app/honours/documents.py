"""The honour certificate: an awarded honour as a verifiable document. It reuses the certification
domain's parts — the serial with its check character, the Ed25519 signing key and JWKS, the PDF layout and
the public /verify/<serial> page — so a person or an outlet handed one can check it like any certificate.

The document (serial and signed claims) is issued once per honour, on the first download; a revoked
honour keeps its serial and shows as revoked on verification."""
from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.certification import credential, pdf, signing, verification
from app.certification.serials import new_serial
from app.core import audit, clock
from app.core.errors import DomainError
from app.core.types import UTCDateTime
from app.extensions import db
from app.honours.models import Nomination, NominationState


class HonourDocument(db.Model):
    """The verifiable document of one awarded honour."""

    __tablename__ = "honour_documents"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the honour (an approved nomination); one document each
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id", ondelete="CASCADE"), unique=True)
    #: public serial, LG-XXXX-XXXX-XXXX-C, in the same format (and check character) as certificates
    serial: Mapped[str] = mapped_column(String(24), unique=True)
    #: when the document was first produced
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: the signing key's id (JWK thumbprint), published in /.well-known/jwks.json
    kid: Mapped[str] = mapped_column(String(64), default="")
    #: compact JWS (EdDSA) over every claim as of issue: honour, term, holder, award date, issuer
    claims_jwt: Mapped[str] = mapped_column(Text, default="")

    nomination: Mapped[Nomination] = relationship()

    def __repr__(self) -> str:
        return f"<HonourDocument {self.serial} nomination={self.nomination_id}>"


def _step_at(nomination: Nomination, action: str) -> datetime | None:
    return next((clock.as_utc(step.at) for step in reversed(nomination.steps) if step.action == action), None)


def awarded_at(nomination: Nomination) -> datetime | None:
    """When the honour was awarded (decided_at moves on a later revocation; the step does not)."""
    return _step_at(nomination, "awarded")


def public_holder(nomination: Nomination) -> str:
    """An outlet by its full name; a person by their name partly hidden, as on certificates."""
    return nomination.nominee_unit.name if nomination.nominee_unit else nomination.nominee_person.masked_name


def _payload(nomination: Nomination, serial: str, issued_at: datetime) -> dict:
    base, category = credential.base_url(), nomination.category
    return {
        "iss": base, "jti": f"{base}/verify/{serial}", "iat": int(issued_at.timestamp()), "type": "HonourAward",
        "serial": serial,
        "honour": {"code": category.code, "name": category.name, "name_en": category.name_en},
        "term": nomination.term,
        "holder": {"kind": nomination.category.nominee_kind.value, "name": public_holder(nomination)},
        "awarded_at": awarded_at(nomination).isoformat(),
        "issuer": credential.ISSUER_NAME,
    }


def document_for(nomination: Nomination, actor=None) -> HonourDocument:
    """The honour's document, issued (serial, signature) the first time; exactly one even when two
    downloads race (the unique nomination id settles it)."""
    if nomination.state is not NominationState.awarded:
        raise DomainError(_("Only an awarded honour has a certificate; this nomination is %(state)s.",
                            state=nomination.state.label), 409)
    existing = _existing(nomination)
    if existing is not None:
        return existing
    now = clock.now()
    doc = HonourDocument(nomination_id=nomination.id, serial=new_serial(), issued_at=now)
    doc.claims_jwt, doc.kid = signing.sign(_payload(nomination, doc.serial, now))
    try:
        with db.session.begin_nested():
            db.session.add(doc)
            db.session.flush()
    except IntegrityError:
        return _existing(nomination)
    audit.record("honour.document", nomination, actor=actor, serial=doc.serial)
    return doc


def _existing(nomination: Nomination) -> HonourDocument | None:
    return db.session.scalars(select(HonourDocument).where(HonourDocument.nomination_id == nomination.id)).one_or_none()


def find_by_serial(serial: str) -> HonourDocument | None:
    """`serial` already normalised (see app.certification.serials.normalise)."""
    return db.session.scalars(select(HonourDocument).where(HonourDocument.serial == serial)).one_or_none()


def public_claims(doc: HonourDocument, locale: str | None = None) -> dict:
    """Everything a verifier is told about the honour: what, for which term, to whom, when, and its status now."""
    nomination = doc.nomination
    revoked = nomination.state is NominationState.revoked
    english = bool(locale and locale.startswith("en"))
    return {
        "serial": doc.serial,
        "honour": nomination.category.display_name(locale),
        "term": nomination.term,
        "holder": public_holder(nomination),
        "holder_kind": nomination.category.nominee_kind.value,
        "awarded_at": awarded_at(nomination),
        "status": "revoked" if revoked else "awarded",
        "status_label": nomination.state.label,
        "revoked_at": _step_at(nomination, "revoked") if revoked else None,
        "issuer": credential.ISSUER_NAME["en" if english else "zh"],
        "kid": doc.kid,
    }


def render_pdf(doc: HonourDocument) -> bytes:
    """The honour certificate, in the certificate's layout."""
    nomination = doc.nomination
    category, unit, person = nomination.category, nomination.nominee_unit, nomination.nominee_person
    if unit is not None:
        holder, note = unit.name, " · ".join(a.name for a in _ancestors(unit))
    else:
        holder, note = person.name, f"员工号 Employee No. {person.employee_no} · {person.org_unit.name}"
    details = [("证书编号 Serial", doc.serial), ("荣誉期 Term", nomination.term),
               ("授予日期 Awarded", pdf.printed_date(awarded_at(nomination))),
               ("授予机构 Awarded by", f"{credential.ISSUER_NAME['zh']} · {credential.ISSUER_NAME['en']}")]
    return pdf.render_document(pdf.Document(f"{category.name}荣誉证书", f"{category.name_en or category.code} · Honour certificate",
                                            holder, note, details, doc.serial, lead="兹授予 / This honour is awarded to"))


def _ancestors(unit) -> list:
    """The outlet's branch and sub-branch (not head office or the region), nearest last."""
    from app.org.models import OrgKind, OrgUnit

    ids = [i for i in unit.ancestor_ids() if i != unit.id]
    found = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [found[i] for i in ids if i in found and found[i].kind in (OrgKind.branch, OrgKind.sub_branch)]


@verification.register
def _verification_page(serial: str):
    doc = find_by_serial(serial)
    if doc is None:
        return None
    return "certification/verify_honour.html", {"doc": doc, "claims": public_claims(doc, str(get_locale() or ""))}
