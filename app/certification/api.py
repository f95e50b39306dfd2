"""JSON API: public certificate status; scoped certifications of a person and compliance of a unit."""
from flask import current_app, jsonify
from flask_babel import gettext as _

from app.accounts import services as people_services
from app.api import PUBLIC_ENDPOINTS, bp
from app.api.auth import api_person
from app.api.openapi import SCHEMAS, operation, path_parameter
from app.certification import compliance as compliance_service
from app.certification import services
from app.certification.serials import SerialInvalid
from app.core import clock, policy
from app.core.errors import problem
from app.extensions import limiter
from app.org.services import unit_by_code


def _verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "30 per minute")


@bp.get("/certificates/<path:serial>")
@limiter.limit(_verify_limit)
def certificate_status(serial: str):
    try:
        cert = services.find_by_serial(serial)
    except SerialInvalid as invalid:
        detail = (_("The serial's check character does not match: one character was probably mistyped.")
                  if invalid.reason == "check" else _("That is not a certificate serial (expected LG-XXXX-XXXX-XXXX-X)."))
        return problem(400, detail, serial=serial)
    if cert is None:
        return problem(404, _("No certificate has the serial %(serial)s.", serial=serial))
    return jsonify(services.public_claims(cert, "en"))


PUBLIC_ENDPOINTS.add("api.certificate_status")


def _certificate_json(cert) -> dict:
    return {**services.public_claims(cert, "en"), "replaces": cert.replaces.serial if cert.replaces else None}


@bp.get("/people/<employee_no>/certifications")
def person_certifications(employee_no: str):
    actor = api_person()
    person = people_services.person_by_employee_no(employee_no)
    if person is None:
        return problem(404, _("No person has the employee number %(no)s.", no=employee_no))
    if not policy.can_see_certificates(actor, person):
        return problem(403)
    required = [{"type": row["type"].code, "licensed": row["licensed"],
                 "certificate": row["certificate"].serial if row["certificate"] else None,
                 "missing": [{"kind": r.kind, "ref": r.ref} for r in row["missing"]]}
                for row in services.person_licence_status(person)]
    return jsonify({"employee_no": person.employee_no, "name": person.name, "position": person.position,
                    "required": required, "certificates": [_certificate_json(c) for c in services.certificates_of(person)]})


@bp.get("/org-units/<code>/compliance")
def unit_compliance(code: str):
    actor = api_person()
    unit = unit_by_code(code)
    if unit is None:
        return problem(404, _("No org unit has the code %(code)s.", code=code))
    if not policy.can_see_compliance(actor, unit):
        return problem(403)
    result = compliance_service.compliance(unit)
    return jsonify({"unit": {**unit.as_scope(), **result.total.as_dict()}, "as_of": clock.now().isoformat(),
                    "children": [{**child.as_scope(), **counts.as_dict()} for child, counts in result.children]})


_COUNTS = {name: {"type": "integer"} for name in ("required", "licensed", "unlicensed", "expiring_30", "expiring_60", "expiring_90", "expired")}
SCHEMAS["CertificateStatus"] = {
    "type": "object",
    "description": "Every public claim of a certificate and its current status (valid, expiring, expired, suspended, revoked, renewed)",
    "properties": {
        "serial": {"type": "string"}, "holder": {"type": "string", "description": "name, partly masked"},
        "certificate": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}},
        "issuer": {"type": "string"}, "issued_at": {"type": "string", "format": "date-time"},
        "valid_until": {"type": ["string", "null"], "format": "date-time"},
        "status": {"type": "string", "enum": ["valid", "expiring", "expired", "suspended", "revoked", "renewed"]},
        "status_label": {"type": "string"}, "revoked_at": {"type": ["string", "null"]},
        "revocation_reason": {"type": ["string", "null"]}, "revocation_reason_label": {"type": ["string", "null"]},
        "suspended_at": {"type": ["string", "null"]}, "superseded_at": {"type": ["string", "null"]}, "kid": {"type": "string"},
    },
    "required": ["serial", "holder", "certificate", "issued_at", "valid_until", "status"],
}
SCHEMAS["ComplianceCounts"] = {
    "type": "object",
    "description": "expiring_N counts licensed people whose licence ends within N days (cumulative); expired counts unlicensed people whose certificate lapsed",
    "properties": {**_COUNTS, "code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"}},
    "required": list(_COUNTS),
}
operation("/certificates/{serial}", "get", "Public status of a certificate, for anyone verifying it",
          {"$ref": "#/components/schemas/CertificateStatus"}, public=True, parameters=[path_parameter("serial")],
          errors={400: "Malformed serial or wrong check character", 404: "No such certificate", 429: "Rate limited"})
operation("/people/{employee_no}/certifications", "get", "A person's certificates and what their post requires",
          {"type": "object", "properties": {
              "employee_no": {"type": "string"}, "name": {"type": "string"}, "position": {"type": "string"},
              "required": {"type": "array", "items": {"type": "object"}},
              "certificates": {"type": "array", "items": {"$ref": "#/components/schemas/CertificateStatus"}}},
           "required": ["employee_no", "required", "certificates"]},
          parameters=[path_parameter("employee_no")], errors={403: "Outside your scope", 404: "No such person"})
operation("/org-units/{code}/compliance", "get", "License-to-hold-post compliance of a unit and each child unit",
          {"type": "object", "properties": {
              "unit": {"$ref": "#/components/schemas/ComplianceCounts"}, "as_of": {"type": "string"},
              "children": {"type": "array", "items": {"$ref": "#/components/schemas/ComplianceCounts"}}},
           "required": ["unit", "children"]},
          parameters=[path_parameter("code")], errors={403: "Outside your scope", 404: "No such unit"})
