"""Issuing, renewing, suspending and revoking certificates; what a person holds and lacks.
Services flush, never commit: the request, CLI command or event sender commits once."""
from __future__ import annotations

import calendar
import hashlib
import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Person
from app.certification import credential, signing
from app.certification import types as cert_types
from app.certification.models import Certificate, CertStatus, RevocationReason
from app.certification.requirements import DomainFacts, Evidence, earned, renewal_evidence
from app.certification.serials import SerialInvalid, new_serial, normalise
from app.core import audit, clock, events, policy
from app.core.errors import DomainError
from app.extensions import db


def add_months(moment: datetime, months: int) -> datetime:
    """Same day `months` later, clipped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _earning_key(evidence: list[Evidence]) -> str:
    digest = hashlib.sha256("|".join(sorted(e.key for e in evidence)).encode()).hexdigest()
    return "earn:" + digest[:40]


def _insert(cert: Certificate) -> Certificate | None:
    """Insert in a savepoint: when a concurrent trigger already issued for the same earning event, the unique
    constraint refuses this one and the caller's transaction carries on untouched."""
    try:
        with db.session.begin_nested():
            db.session.add(cert)
            db.session.flush()
    except IntegrityError:
        return None
    return cert


def issue(person: Person, cert_type: cert_types.CertType, evidence: list[dict], earning_key: str, *,
          actor: Person | None = None, issued_at: datetime | None = None, replaces: Certificate | None = None,
          valid_from: datetime | None = None) -> Certificate | None:
    """Create, sign and store a certificate; None when this earning event already has one."""
    issued_at = issued_at or clock.now()
    start = valid_from or issued_at
    until = add_months(start, cert_type.validity_months) if cert_type.validity_months else None
    cert = Certificate(serial=new_serial(), type_code=cert_type.code, person_id=person.id, earning_key=earning_key,
                       evidence=evidence, issued_at=issued_at, valid_until=until,
                       issued_by_id=getattr(actor, "id", None), replaces_id=getattr(replaces, "id", None))
    cert.credential_jwt, cert.kid = signing.sign(credential.jwt_payload(credential.build(cert, person, cert_type)))
    if _insert(cert) is None:
        return None
    audit.record("certificate.renew" if replaces else "certificate.issue", cert, actor=actor, serial=cert.serial,
                 type=cert_type.code, holder=person.employee_no, evidence=evidence,
                 replaces=getattr(replaces, "serial", None))
    events.certificate_issued.send(cert, certificate=cert)
    return cert


def live_certificate(person: Person, type_code: str) -> Certificate | None:
    """The person's certificate of this type that licenses them now (the latest-expiring one)."""
    held = [c for c in certificates_of(person) if c.type_code == type_code and c.status.live]
    return max(held, key=lambda c: (c.valid_until is None, c.valid_until or c.issued_at), default=None)


def certificates_of(person: Person) -> list[Certificate]:
    return list(db.session.scalars(
        select(Certificate).where(Certificate.person_id == person.id).order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    ))


def evaluate(person: Person, cert_type: cert_types.CertType, facts: DomainFacts | None = None) -> Certificate | None:
    """Issue or renew automatically when the rules are met now; None when nothing is due."""
    facts = facts or DomainFacts()
    current = live_certificate(person, cert_type.code)
    if current is not None:
        return _maybe_renew(person, cert_type, current, facts)
    evidence = earned(person, cert_type, facts)
    if evidence is None:
        return None
    return issue(person, cert_type, [e.as_json() for e in evidence], _earning_key(evidence))


def _maybe_renew(person, cert_type, current: Certificate, facts) -> Certificate | None:
    if not current.in_renewal_window():
        return None
    window_start = max(clock.as_utc(current.issued_at), clock.as_utc(current.valid_until) - _window(cert_type))
    found = renewal_evidence(person, cert_type, facts, since=window_start)
    return renew(current, [found.as_json()]) if found else None


def _window(cert_type):
    from datetime import timedelta

    return timedelta(days=cert_type.renewal.window_days)


def renew(current: Certificate, evidence: list[dict], actor: Person | None = None) -> Certificate | None:
    """A new certificate replacing `current`, valid from the later of now and the old expiry (so renewing
    early loses no time). One renewal per certificate, enforced by its earning key."""
    cert_type = current.cert_type
    if not current.status.live:
        raise DomainError(_("Only a valid certificate can be renewed; this one is %(status)s.", status=current.status.label))
    start = max(clock.now(), clock.as_utc(current.valid_until)) if current.valid_until else clock.now()
    renewed = issue(current.holder, cert_type, evidence, f"renew:{current.id}", actor=actor, replaces=current, valid_from=start)
    if renewed is not None:
        current.supersede()
    return renewed


def evaluate_all(person: Person, kind: str, ref: str, facts: DomainFacts) -> list[Certificate]:
    """Every type an event about (kind, ref) may earn or renew, evaluated for `person`."""
    issued = [evaluate(person, t, facts) for t in cert_types.all_types().values() if t.mentions(kind, ref)]
    return [cert for cert in issued if cert is not None]


# --- by hand -------------------------------------------------------------------------------------
def admin_issue(actor: Person, person: Person, cert_type: cert_types.CertType, reason: str) -> Certificate:
    policy.require(policy.can_manage_certificates(actor, person))
    if not reason.strip():
        raise DomainError(_("Give a reason for issuing the certificate by hand."), 422)
    if live_certificate(person, cert_type.code) is not None:
        raise DomainError(_("%(name)s already holds a valid %(type)s.", name=person.name, type=cert_type.name_zh))
    key = "admin:" + secrets.token_hex(16)  # each decision by an admin is its own earning event
    return issue(person, cert_type, [{"kind": "admin", "reason": reason.strip(), "by": actor.employee_no}], key, actor=actor)


def suspend(actor: Person, cert: Certificate, reason: str) -> None:
    policy.require(policy.can_manage_certificates(actor, cert.holder))
    cert.suspend(actor, _required_reason(reason))
    audit.record("certificate.suspend", cert, actor=actor, serial=cert.serial, reason=reason.strip())


def reinstate(actor: Person, cert: Certificate) -> None:
    policy.require(policy.can_manage_certificates(actor, cert.holder))
    cert.reinstate()
    audit.record("certificate.reinstate", cert, actor=actor, serial=cert.serial)


def revoke(actor: Person, cert: Certificate, category: RevocationReason, reason: str) -> None:
    policy.require(policy.can_manage_certificates(actor, cert.holder))
    cert.revoke(actor, category, _required_reason(reason))
    audit.record("certificate.revoke", cert, actor=actor, serial=cert.serial, category=category.value, reason=reason.strip())


def _required_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise DomainError(_("Give a reason: it is kept in the certificate's history."), 422)
    return reason.strip()


# --- reading -------------------------------------------------------------------------------------
def find_by_serial(text: str) -> Certificate | None:
    """The certificate for a typed serial; SerialInvalid (before any lookup) when it is malformed or mistyped."""
    serial = normalise(text)
    return db.session.scalars(select(Certificate).where(Certificate.serial == serial)).one_or_none()


def person_licence_status(person: Person) -> list[dict]:
    """For each type the person's position requires: the live certificate, or what they lack."""
    rows = []
    for cert_type in cert_types.required_for(person.position):
        current = live_certificate(person, cert_type.code)
        rows.append({"type": cert_type, "certificate": current, "licensed": current is not None,
                     "missing": [] if current else _missing(person, cert_type)})
    return rows


def _missing(person: Person, cert_type) -> list:
    facts = DomainFacts()
    return [r for r in cert_type.requires if facts.evidence(person, r) is None]


def public_claims(cert: Certificate, locale: str | None = None) -> dict:
    """Everything a verifier is told about a certificate (page and JSON alike)."""
    status = cert.status
    reason = cert.revocation_reason
    return {
        "serial": cert.serial,
        "holder": cert.holder.masked_name,
        "certificate": {"code": cert.type_code, "name": cert.type_name(locale)},
        "issuer": credential.ISSUER_NAME["en" if locale and locale.startswith("en") else "zh"],
        "issued_at": clock.as_utc(cert.issued_at).isoformat(),
        "valid_until": clock.as_utc(cert.valid_until).isoformat() if cert.valid_until else None,
        "status": status.value,
        "status_label": status.label,
        "revoked_at": clock.as_utc(cert.revoked_at).isoformat() if cert.revoked_at else None,
        "revocation_reason": reason.value if reason else None,
        "revocation_reason_label": reason.label if reason else None,
        "suspended_at": clock.as_utc(cert.suspended_at).isoformat() if cert.suspended_at else None,
        "superseded_at": clock.as_utc(cert.superseded_at).isoformat() if cert.superseded_at else None,
        "kid": cert.kid,
    }


__all__ = ["SerialInvalid", "CertStatus"]
