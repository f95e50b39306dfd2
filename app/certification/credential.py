"""The Open Badges 3.0 OpenBadgeCredential for a certificate, secured as a VC-JWT (compact JWS, EdDSA).
Per OB 3.0 §8.2 the JWT payload is the credential itself, with the registered claims iss, jti, sub, nbf,
exp and iat mirroring it. The credential records what was true at issue; `credentialStatus` points to the
live status (suspension, revocation, renewal), which a signature cannot know in advance."""
from __future__ import annotations

import hashlib
import os
from datetime import datetime

from flask import has_request_context, request

from app.core import clock

#: The issuing organisation printed on the certificate and named in the credential.
ISSUER_NAME = {"zh": "总行个人金融业务部", "en": "Personal Finance Department, Head Office"}
OB_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def base_url() -> str:
    """Where verification links point: PUBLIC_BASE_URL, else the current request's host."""
    configured = os.environ.get("PUBLIC_BASE_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://localhost:5000"


def _iso(value) -> str | None:
    return clock.as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _identity_hash(employee_no: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((employee_no + salt).encode()).hexdigest()


def build(cert, holder, cert_type) -> dict:
    """The credential as a dict; every claim shown on the verification page is in here."""
    base = base_url()
    subject_id = f"{base}/verify/{cert.serial}#holder"
    credential = {
        "@context": OB_CONTEXT,
        "id": f"{base}/verify/{cert.serial}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": f"{base}/", "type": ["Profile"], "name": ISSUER_NAME["zh"],
                   "description": ISSUER_NAME["en"]},
        "name": cert_type.name_zh,
        "validFrom": _iso(cert.issued_at),
        "credentialSubject": {
            "id": subject_id,
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": holder.masked_name},
                {"type": "IdentityObject", "identityType": "identifier", "hashed": True,
                 "identityHash": _identity_hash(holder.employee_no, cert.serial), "salt": cert.serial},
            ],
            "achievement": {
                "id": f"{base}/certification/types/{cert_type.code}",
                "type": ["Achievement"],
                "achievementType": "License",
                "name": cert_type.name_zh,
                "description": cert_type.name_en,
                "humanCode": cert_type.code,
                "criteria": {"narrative": "; ".join(f"{r.kind}: {r.ref}" for r in cert_type.requires)},
            },
        },
        "credentialStatus": {"id": f"{base}/api/v1/certificates/{cert.serial}", "type": "LeadGooseCertificateStatus"},
    }
    if cert.valid_until is not None:
        credential["validUntil"] = _iso(cert.valid_until)
    return credential


def jwt_payload(credential: dict) -> dict:
    """The credential plus the registered JWT claims that mirror it (OB 3.0 §8.2.4)."""
    def seconds(text: str) -> int:
        return int(datetime.fromisoformat(text).timestamp())

    claims = {"iss": credential["issuer"]["id"], "jti": credential["id"], "sub": credential["credentialSubject"]["id"],
              "nbf": seconds(credential["validFrom"]), "iat": seconds(credential["validFrom"])}
    if "validUntil" in credential:
        claims["exp"] = seconds(credential["validUntil"])
    return {**credential, **claims}
