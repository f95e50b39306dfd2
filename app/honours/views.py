"""Honour roll, nominations and their review."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts.forms import ConfirmForm
from app.core import policy
from app.core.errors import DomainError
from app.extensions import db
from app.honours import documents, evidence, services
from app.honours.forms import NominationForm, ReasonForm
from app.honours.models import HonourCategory, Nomination, NominationState
from app.main.navigation import nav_item
from app.org.models import OrgKind, OrgUnit

bp = Blueprint("honours", __name__, url_prefix="/honours")

nav_item("honours.roll", _l("Honours"), order=45)


@bp.app_template_global()
def unit_honours(unit):
    return services.honours_of_unit(unit)


@bp.app_template_global()
def person_honours(person):
    return services.honours_of_person(person)


@bp.app_template_global()
def nomination_visible(nomination) -> bool:
    return policy.can_open_nomination(current_user, nomination)


@bp.app_template_global()
def honour_certificate_allowed(nomination) -> bool:
    """An awarded honour's certificate, for those who may download it."""
    return nomination.state is NominationState.awarded and policy.can_get_honour_document(current_user, nomination)


@bp.app_template_global("figure_labels")
def _figure_labels() -> dict:
    return evidence.figure_labels()


def _nomination_or_404(nomination_id: int) -> Nomination:
    return policy.visible_or_404(current_user, db.session.get(Nomination, nomination_id), policy.can_open_nomination)


def _may_nominate() -> bool:
    return current_user.is_admin or bool(policy.scope_units(current_user, (policy.Role.branch_head, policy.Role.trainer)))


@bp.route("/")
@login_required
def roll():
    """The honour roll, by term, region and category."""
    regions = list(db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.region).order_by(OrgUnit.code)))
    region = next((r for r in regions if r.code == request.args.get("region")), None)
    cats = services.categories(active_only=False)
    category = next((c for c in cats if c.code == request.args.get("category")), None)
    terms = services.awarded_terms()
    term = request.args.get("term") if request.args.get("term") in terms else None
    return render_template("honours/roll.html", honours=services.honour_roll(term, region, category), regions=regions,
                           region=region, categories=cats, category=category, terms=terms, term=term,
                           may_nominate=_may_nominate())


@bp.route("/nominations")
@login_required
def nominations():
    policy.require(_may_nominate())
    state = next((s for s in NominationState if s.value == request.args.get("state")), None)
    return render_template("honours/nominations.html", nominations=services.nominations_for(current_user, state),
                           state=state, states=list(NominationState))


@bp.route("/nominate", methods=["GET", "POST"])
@login_required
def nominate():
    policy.require(_may_nominate())
    form = NominationForm(services.categories())
    if form.validate_on_submit():
        category = form.categories[form.category.data]
        try:
            nomination = services.nominate(current_user, category, form.term.data.strip(), form.statement.data,
                                           unit=form.unit, person=form.person)
        except DomainError as refused:
            if refused.status == 403:
                raise
            db.session.rollback()
            form.statement.errors = list(form.statement.errors) + [refused.message]
        else:
            db.session.commit()
            flash(_("Nomination submitted for review; its evidence is recorded as of today."), "success")
            return redirect(url_for(".nomination", nomination_id=nomination.id))
    elif not form.is_submitted():
        first = next(iter(form.categories.values()), None)
        form.term.data = services.current_term(first.term_kind) if first else ""
    return render_template("honours/nominate.html", form=form, categories=form.categories.values(),
                           current_term=services.current_term), 422 if form.errors else 200


@bp.route("/nominations/<int:nomination_id>")
@login_required
def nomination(nomination_id: int):
    found = _nomination_or_404(nomination_id)
    return render_template("honours/nomination.html", nomination=found, live=services.live_evidence(found),
                           order=evidence.FIGURE_ORDER, percent=evidence.PERCENT_FIGURES, confirm=ConfirmForm(),
                           reason_form=ReasonForm(), may_review=policy.can_review_honours(current_user))


@bp.route("/nominations/<int:nomination_id>/approve", methods=["POST"])
@login_required
def approve(nomination_id: int):
    found = _nomination_or_404(nomination_id)
    if ConfirmForm().validate_on_submit():
        services.approve(current_user, found)
        db.session.commit()
        flash(_("Honour awarded for %(term)s.", term=found.term), "success")
    return redirect(url_for(".nomination", nomination_id=nomination_id))


@bp.route("/nominations/<int:nomination_id>/<any(decline, revoke):action>", methods=["POST"])
@login_required
def decide(nomination_id: int, action: str):
    found = _nomination_or_404(nomination_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        raise DomainError(_("Give a reason; it is recorded and shown to the nominator."), 422)
    getattr(services, action)(current_user, found, form.reason.data)
    db.session.commit()
    flash(_("Nomination declined.") if action == "decline" else _("Honour revoked."), "success")
    return redirect(url_for(".nomination", nomination_id=nomination_id))


@bp.route("/nominations/<int:nomination_id>/certificate.pdf")
@login_required
def certificate_pdf(nomination_id: int):
    """The honour certificate (issued on first download), verifiable at /verify/<serial>."""
    found = policy.visible_or_404(current_user, db.session.get(Nomination, nomination_id), policy.can_get_honour_document)
    doc = documents.document_for(found, actor=current_user)
    db.session.commit()
    return Response(documents.render_pdf(doc), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{doc.serial}.pdf"'})
