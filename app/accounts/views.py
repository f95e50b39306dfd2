"""People: list and search within one's scope, a person's page, and (admins) roles and accounts."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import false, or_

from app.accounts import services
from app.accounts.forms import ConfirmForm, GrantRoleForm, PeopleFilterForm
from app.accounts.models import Person, Role
from app.core import policy
from app.core.errors import DomainError
from app.core.pagination import paginate
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause
from app.org.services import unit_by_code

bp = Blueprint("people", __name__, url_prefix="/people")


def _person_or_404(employee_no: str) -> Person:
    return policy.visible_or_404(current_user, services.person_by_employee_no(employee_no), policy.can_see_person)


@bp.route("/")
@login_required
def index():
    policy.require(current_user.is_admin or bool(policy.scope_units(current_user)))
    form = PeopleFilterForm(request.args)
    query = policy.people_in_scope(current_user)
    if form.validate():
        if form.q.data:
            term = f"%{form.q.data.strip()}%"
            query = query.where(or_(Person.name.like(term), Person.employee_no.like(term), Person.username.like(term)))
        if form.position.data:
            query = query.where(Person.position == form.position.data)
        if form.org.data:
            unit = unit_by_code(form.org.data.strip())
            query = query.where(subtree_clause(OrgUnit.path, unit.path)) if unit else query.where(false())
    page = paginate(query.order_by(Person.employee_no))
    return render_template("people/index.html", form=form, page=page)


@bp.route("/<employee_no>")
@login_required
def show(employee_no: str):
    person = _person_or_404(employee_no)
    return render_template(
        "people/show.html", person=person, grant_form=GrantRoleForm(), confirm=ConfirmForm(), new_password=None
    )


@bp.route("/<employee_no>/roles", methods=["POST"])
@login_required
def grant_role(employee_no: str):
    person = _person_or_404(employee_no)
    policy.require(policy.can_administer(current_user))
    form = GrantRoleForm()
    if form.validate_on_submit():
        try:
            services.grant_role(current_user, person, Role(form.role.data), form.unit)
        except DomainError as refused:
            form.role.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Role added."), "success")
            return redirect(url_for(".show", employee_no=employee_no))
    return render_template("people/show.html", person=person, grant_form=form, confirm=ConfirmForm(), new_password=None), 422


@bp.route("/<employee_no>/roles/<int:grant_id>/delete", methods=["GET", "POST"])
@login_required
def revoke_role(employee_no: str, grant_id: int):
    """GET asks for confirmation (works without JavaScript); the role goes only on a confirmed POST."""
    person = _person_or_404(employee_no)
    policy.require(policy.can_administer(current_user))
    grant = services.grant_or_404(person, grant_id)
    form = ConfirmForm()
    if request.method == "POST" and request.form.get("confirmed") == "yes" and form.validate_on_submit():
        try:
            services.revoke_role(current_user, person, grant_id)
        except DomainError as refused:
            db.session.rollback()
            flash(refused.message, "error")
        else:
            db.session.commit()
            flash(_("Role removed."), "success")
        return redirect(url_for(".show", employee_no=employee_no))
    try:
        services.check_revoke(current_user, person, grant)
        refusal = None
    except DomainError as refused:
        refusal = refused.message
    return render_template("people/remove_role.html", person=person, grant=grant, confirm=form, refusal=refusal)


@bp.route("/<employee_no>/disable", methods=["POST"])
@bp.route("/<employee_no>/enable", methods=["POST"], endpoint="enable", defaults={"disabled": False})
@login_required
def disable(employee_no: str, disabled: bool = True):
    person = _person_or_404(employee_no)
    if ConfirmForm().validate_on_submit():
        services.set_disabled(current_user, person, disabled)
        db.session.commit()
        flash(_("Account disabled; its sessions have ended.") if disabled else _("Account enabled."), "success")
    return redirect(url_for(".show", employee_no=employee_no))


@bp.route("/<employee_no>/password", methods=["POST"])
@login_required
def reset_password(employee_no: str):
    person = _person_or_404(employee_no)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".show", employee_no=employee_no))
    password = services.reset_password(current_user, person)
    db.session.commit()
    return render_template(
        "people/show.html", person=person, grant_form=GrantRoleForm(), confirm=ConfirmForm(), new_password=password
    )
