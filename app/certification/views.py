"""Pages: my certificates, a person's certificates, a certificate (with admin actions), the compliance view
and its exports; public: /verify and the JWKS."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts import services as people_services
from app.accounts.forms import ConfirmForm
from app.accounts.models import Person
from app.certification import compliance as compliance_service
from app.certification import export, handlers, pdf, services, signing, verification
from app.certification import types as cert_types
from app.certification.forms import IssueForm, RevokeForm, SuspendForm, VerifyForm
from app.certification.models import Certificate, RevocationReason
from app.certification.serials import SerialInvalid, normalise
from app.core import policy
from app.core.errors import DomainError
from app.extensions import csrf, db, limiter
from app.main.navigation import nav_item
from app.org.services import unit_by_code

bp = Blueprint("certification", __name__)
handlers.connect()


@bp.record_once
def _create_signing_key(state) -> None:
    """The signing key is created on first start, not on the first certificate, so the JWKS is never empty."""
    with state.app.app_context():
        signing.ensure_key()


def _verify_limit() -> str:
    return current_app.config.get("VERIFY_RATE_LIMIT", "30 per minute")


def _locale() -> str:
    return str(get_locale())


def _sees_compliance(person: Person) -> bool:
    return person.is_admin or bool(policy.scope_units(person, policy.COMPLIANCE_ROLES))


@bp.app_template_global("requirement_title")
def _requirement_title(kind: str, ref: str) -> str:
    """The exam, plan, course or qualification a requirement or evidence names, by its title (for the macros).
    Kept for the request: a person's page names the same few requirements row after row."""
    from app.certification.requirements import title

    known = g.setdefault("requirement_titles", {})
    if (kind, ref) not in known:
        known[(kind, ref)] = title(kind, ref, _locale())
    return known[(kind, ref)]


@bp.app_template_global("may_see_certificates")
def _may_see_certificates(holder: Person) -> bool:
    """Whether the signed-in viewer may open `holder`'s certificates (for the person's page)."""
    return policy.can_see_certificates(current_user, holder)


nav_item("certification.mine", _l("Certificates"), order=60)
nav_item("certification.compliance_home", _l("Licence compliance"), _sees_compliance, order=61, group="oversee")


# --- signed-in pages ------------------------------------------------------------------------------
@bp.route("/certification/")
@login_required
def mine():
    return render_template("certification/person.html", person=current_user, status=services.person_licence_status(current_user),
                           certificates=services.certificates_of(current_user), issue_form=None, own=True)


def _person_or_404(employee_no: str) -> Person:
    return policy.visible_or_404(current_user, people_services.person_by_employee_no(employee_no),
                                 policy.can_see_certificates)


@bp.route("/certification/people/<employee_no>")
@login_required
def person(employee_no: str):
    found = _person_or_404(employee_no)
    form = IssueForm(locale=_locale()) if policy.can_manage_certificates(current_user, found) else None
    return _render_person(found, form)


def _render_person(found: Person, form, status: int = 200):
    return render_template("certification/person.html", person=found, status=services.person_licence_status(found),
                           certificates=services.certificates_of(found), issue_form=form,
                           own=found.id == current_user.id), status


@bp.route("/certification/people/<employee_no>/issue", methods=["POST"])
@login_required
def issue(employee_no: str):
    found = _person_or_404(employee_no)
    policy.require(policy.can_manage_certificates(current_user, found))
    form = IssueForm(locale=_locale())
    if form.validate_on_submit():
        try:
            cert = services.admin_issue(current_user, found, cert_types.get(form.type_code.data), form.reason.data)
        except DomainError as refused:
            db.session.rollback()
            form.type_code.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Certificate %(serial)s issued.", serial=cert.serial), "success")
            return redirect(url_for(".certificate", serial=cert.serial))
    return _render_person(found, form, 422)


def _certificate_or_404(serial: str) -> Certificate:
    try:
        cert = services.find_by_serial(serial)
    except SerialInvalid:
        abort(404)
    if cert is None:
        abort(404)
    policy.require(policy.can_see_certificates(current_user, cert.holder))
    return cert


@bp.route("/certification/certificates/<serial>")
@login_required
def certificate(serial: str):
    cert = _certificate_or_404(serial)
    return _render_certificate(cert)


def _render_certificate(cert, suspend_form=None, revoke_form=None, status=200):
    manage = policy.can_manage_certificates(current_user, cert.holder)
    return render_template("certification/certificate.html", cert=cert, manage=manage, claims=services.public_claims(cert, _locale()),
                           suspend_form=suspend_form or SuspendForm(), revoke_form=revoke_form or RevokeForm(),
                           confirm=ConfirmForm()), status


@bp.route("/certification/certificates/<serial>/suspend", methods=["POST"])
@login_required
def suspend(serial: str):
    cert = _certificate_or_404(serial)
    form = SuspendForm()
    if not form.validate_on_submit():
        return _render_certificate(cert, suspend_form=form, status=422)
    services.suspend(current_user, cert, form.reason.data)
    db.session.commit()
    flash(_("Certificate suspended."), "success")
    return redirect(url_for(".certificate", serial=cert.serial))


@bp.route("/certification/certificates/<serial>/reinstate", methods=["POST"])
@login_required
def reinstate(serial: str):
    cert = _certificate_or_404(serial)
    if ConfirmForm().validate_on_submit():
        services.reinstate(current_user, cert)
        db.session.commit()
        flash(_("Certificate reinstated."), "success")
    return redirect(url_for(".certificate", serial=cert.serial))


@bp.route("/certification/certificates/<serial>/revoke", methods=["POST"])
@login_required
def revoke(serial: str):
    cert = _certificate_or_404(serial)
    form = RevokeForm()
    if not form.validate_on_submit():
        return _render_certificate(cert, revoke_form=form, status=422)
    services.revoke(current_user, cert, RevocationReason(form.category.data), form.reason.data)
    db.session.commit()
    flash(_("Certificate revoked."), "success")
    return redirect(url_for(".certificate", serial=cert.serial))


@bp.route("/certification/certificates/<serial>.pdf")
@login_required
def certificate_pdf(serial: str):
    cert = _certificate_or_404(serial)
    return Response(pdf.render(cert), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{cert.serial}.pdf"'})


@bp.route("/certification/certificates/<serial>.jwt")
@login_required
def certificate_jwt(serial: str):
    cert = _certificate_or_404(serial)
    return Response(cert.credential_jwt, mimetype="application/vc+jwt",
                    headers={"Content-Disposition": f'attachment; filename="{cert.serial}.jwt"'})


# --- compliance -----------------------------------------------------------------------------------
@bp.route("/certification/compliance/")
@login_required
def compliance_home():
    policy.require(_sees_compliance(current_user))
    roots = policy.scope_units(current_user, policy.COMPLIANCE_ROLES)
    unit = policy.widest_scope(current_user) if roots is None else min(roots, key=lambda u: u.depth)
    return redirect(url_for(".compliance", code=unit.code))


def _unit_or_404(code: str):
    unit = unit_by_code(code)
    if unit is None:
        abort(404)
    policy.require(policy.can_see_compliance(current_user, unit))
    return unit


def _state_arg() -> str | None:
    state = request.args.get("state") or None
    if state is not None and state not in compliance_service.STATES:
        abort(400)
    return state


@bp.route("/certification/compliance/<code>")
@login_required
def compliance(code: str):
    unit = _unit_or_404(code)
    state = _state_arg()
    result = compliance_service.compliance(unit)
    people = compliance_service.people(unit, state, limit=200) if state else None
    ancestors = [a for a in _ancestors(unit) if policy.can_see_compliance(current_user, a)]
    return render_template("certification/compliance.html", result=result, state=state, people=people,
                           ancestors=ancestors, states=compliance_service.STATES)


def _ancestors(unit):
    from sqlalchemy import select

    from app.org.models import OrgUnit

    return list(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit.ancestor_ids())).order_by(OrgUnit.path)))


@bp.route("/certification/compliance/<code>/export.<fmt>")
@login_required
def compliance_export(code: str, fmt: str):
    unit = _unit_or_404(code)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    result = compliance_service.compliance(unit)
    people = compliance_service.people(unit, _state_arg() or "unlicensed", limit=20_000)
    if fmt == "csv":
        body, mimetype = export.to_csv(result, people, _locale()), "text/csv"
    else:
        body, mimetype = export.to_xlsx(result, people, _locale()), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    filename = f"compliance-{unit.code}.{fmt}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- public ---------------------------------------------------------------------------------------
@bp.route("/verify", methods=["GET"])
@limiter.limit(_verify_limit)
def verify_form():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(url_for(".verify", serial=form.serial.data.strip()))
    return render_template("certification/verify.html", form=form, cert=None, claims=None, error=None)


@bp.route("/verify/<path:serial>")
@limiter.limit(_verify_limit)
def verify(serial: str):
    form = VerifyForm(data={"serial": serial})
    try:
        cert = services.find_by_serial(serial)
    except SerialInvalid as invalid:
        return render_template("certification/verify.html", form=form, cert=None, claims=None, error=_serial_message(invalid)), 400
    if cert is None:
        other = verification.find(normalise(serial))
        if other is not None:
            return render_template(other[0], form=form, **other[1])
        return render_template("certification/verify.html", form=form, cert=None, claims=None,
                               error=_("No certificate has the serial %(serial)s. Check it against the printed certificate.", serial=serial)), 404
    return render_template("certification/verify.html", form=form, cert=cert, claims=services.public_claims(cert, _locale()), error=None)


def _serial_message(invalid: SerialInvalid) -> str:
    if invalid.reason == "check":
        return _("The serial's last character does not match the others: one character was probably mistyped. Check it against the printed certificate.")
    return _("That is not a certificate serial. A serial looks like LG-XXXX-XXXX-XXXX-X (letters and digits).")


@bp.route("/.well-known/jwks.json")
def jwks():
    response = jsonify(signing.jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


csrf.exempt(jwks)


# --- home-page panels -----------------------------------------------------------------------------
from app.accounts.models import Role  # noqa: E402
from app.main.dashboard import Panel, panel  # noqa: E402


@panel(order=25)
def licence_panel(person: Person) -> Panel | None:
    """The holder's own notice: what their post requires, and certificates running out within 90 days."""
    from app.certification import reminders

    status = services.person_licence_status(person)
    soon = reminders.expiring(90, holder=person)
    if not status and not soon:
        return None
    return Panel(_l("My licence"), "certification/panel_mine.html", {"status": status, "soon": soon})


@panel(Role.branch_head, Role.admin, order=26)
def compliance_panel(person: Person) -> Panel | None:
    """Heads: the compliance of their widest scope, and whose licence runs out next."""
    from app.certification import reminders

    roots = policy.scope_units(person, policy.COMPLIANCE_ROLES)
    unit = policy.widest_scope(person) if roots is None else min(roots, key=lambda u: u.depth, default=None)
    if unit is None:
        return None
    total, computed_at = compliance_service.summary(unit)
    return Panel(_l("Licence compliance"), "certification/panel_compliance.html",
                 {"unit": unit, "total": total, "computed_at": computed_at})
