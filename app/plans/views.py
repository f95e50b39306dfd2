"""Plan pages: templates (view, edit), enrolment, the trainee's timeline, the branch-head list and
export, trainer decisions and evidence. Thin: load → check access → call a service → render."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.accounts.models import Role
from app.accounts.services import person_by_employee_no
from app.core import policy
from app.core.errors import DomainError
from app.extensions import db
from app.main.navigation import nav_item
from app.org.services import unit_by_code
from app.plans import editor, export, progress, services, timeline
from app.plans.definition import DefinitionInvalid
from app.plans.forms import (AssessorForm, DecisionForm, EnrolForm, EvidenceForm, ListFilterForm, PlanEditorForm,
                             ReviewForm, TemplateEditForm, WithdrawForm)
from app.plans.models import Enrolment, Qualification, State

bp = Blueprint("plans", __name__, url_prefix="/plans", static_folder="static", static_url_path="/static")


def _oversees(person) -> bool:
    return person.is_admin or bool(policy.scope_units(person))


nav_item("plans.mine", _l("My plans"), lambda p: bool(services.my_enrolments(p)), order=30)
nav_item("plans.index", _l("Learning plans"), _oversees, order=31, group="oversee")
nav_item("plans.enrolments", _l("Enrolled people"), _oversees, order=32, group="oversee")


HISTORY_LABELS = {
    "enrolled": _l("Enrolled"), "stage_opened": _l("Stage opened"), "stage_passed": _l("Stage passed"),
    "stage_waived": _l("Stage waived"), "stage_failed": _l("Stage recorded as failed"),
    "stage_reopened": _l("Stage reopened"), "assessor_set": _l("Assessor changed"),
    "evidence_uploaded": _l("Evidence uploaded"), "evidence_verified": _l("Evidence verified"),
    "evidence_rejected": _l("Evidence rejected"), "withdrawn": _l("Withdrawn"), "completed": _l("Plan completed"),
    "course_completed": _l("Course completed"),
}


@bp.app_context_processor
def _plan_helpers():
    return {"plan_state": State, "history_label": lambda action: HISTORY_LABELS.get(action, action), "policy": policy,
            "plan_task": lambda task: timeline.describe(task, _locale()),
            "history_note": lambda entry: timeline.history_note(entry, _locale())}


def _locale() -> str:
    return str(get_locale())


@bp.app_template_global("visible_enrolments")
def _visible_enrolments(person) -> list[Enrolment]:
    """A person's enrolments the signed-in viewer may open (for the person's page)."""
    return [e for e in services.my_enrolments(person) if policy.can_see_enrolment(current_user, e)]


def _template_or_404(slug: str):
    template = services.template_by_slug(slug)
    if template is None:
        abort(404)
    return template


def _enrolment_or_404(enrolment_id: int) -> Enrolment:
    return policy.visible_or_404(current_user, db.session.get(Enrolment, enrolment_id), policy.can_see_enrolment)


# --- templates -----------------------------------------------------------------------------------
@bp.route("/")
@login_required
def index():
    policy.require(_oversees(current_user))
    return render_template("plans/index.html", templates=services.all_templates())


@bp.route("/<slug>")
@login_required
def show(slug: str):
    policy.require(_oversees(current_user))
    template = _template_or_404(slug)
    number = request.args.get("version", type=int)
    version = next((v for v in template.versions if v.number == number), template.latest)
    return render_template("plans/show.html", template=template, version=version)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """The plan editor: a form of the plan and its stages. The submitted form becomes the data of a plan
    file, checked by the file validator; saving makes a new version (enrolments keep theirs)."""
    template = _template_or_404(slug)
    policy.require(policy.can_edit_plans(current_user))
    problems: dict[str, list[str]] = {}
    if request.method == "POST":
        # A submitted form is read from what was sent only (an unticked box sends nothing).
        form = PlanEditorForm(formdata=request.form)
        op = request.form.get("op")
        if not form.validate_on_submit():
            pass  # the form's own errors (CSRF, a field) are shown below
        elif op:
            # A row button (add, remove, move; without JavaScript): the same form again, changed; nothing saved.
            form = PlanEditorForm(formdata=None, data=editor.apply(editor.submitted_data(form), op))
        else:
            built = editor.plan_data(form, slug)
            try:
                version = services.save_edited(editor.as_yaml(built.data), actor=current_user, slug=slug)
            except DefinitionInvalid as invalid:
                db.session.rollback()
                problems = editor.place(form, built, invalid.problems)
            else:
                db.session.commit()
                flash(_("Saved as version %(n)d.", n=version.number) if version
                      else _("Nothing changed: the plan keeps version %(n)d.", n=template.latest.number), "success")
                return redirect(url_for(".show", slug=slug))
    else:
        form = PlanEditorForm(formdata=None, data=editor.form_data(template.latest.definition))
    editor.prepare(form)
    status = 422 if problems or form.errors else 200
    return render_template("plans/editor.html", template=template, form=form, problems=problems,
                           known=progress.known_ids(_locale())), status


@bp.route("/<slug>/edit/yaml", methods=["GET", "POST"])
@login_required
def edit_yaml(slug: str):
    """The advanced editor: the plan as the text of a plan file."""
    template = _template_or_404(slug)
    policy.require(policy.can_edit_plans(current_user))
    form = TemplateEditForm(data={"source": template.latest.source_text})
    problems = []
    if form.validate_on_submit():
        try:
            version = services.save_version(form.source.data.replace("\r\n", "\n"), origin="web", actor=current_user, slug=slug)
        except DefinitionInvalid as invalid:
            db.session.rollback()
            problems = invalid.problems
        else:
            db.session.commit()
            flash(_("Saved as version %(n)d.", n=version.number) if version else _("Nothing changed."), "success")
            return redirect(url_for(".show", slug=slug))
    status = 422 if problems or form.errors else 200
    return render_template("plans/edit.html", template=template, form=form, problems=problems), status


# --- enrolment -----------------------------------------------------------------------------------
@bp.route("/<slug>/enrol", methods=["GET", "POST"])
@login_required
def enrol(slug: str):
    template = _template_or_404(slug)
    policy.require(current_user.is_admin or current_user.has_role(Role.branch_head, Role.trainer))
    stages = template.latest.stages
    form = EnrolForm(stages=len(stages))
    problems = []
    if form.validate_on_submit():
        try:
            enrolled = services.enrol_many(current_user, _people(form), services.EnrolmentRequest(
                template, form.start_date.data, form.assessor_people))
        except services.EnrolmentRefused as refused:
            db.session.rollback()
            problems = refused.problems
        else:
            db.session.commit()
            flash(_("%(n)d enrolled.", n=len(enrolled)), "success")
            if len(enrolled) == 1:
                return redirect(url_for(".enrolment", enrolment_id=enrolled[0].id))
            return redirect(url_for(".enrolments", plan=slug))
    status = 422 if problems or form.errors else 200
    return render_template("plans/enrol.html", template=template, stages=stages, form=form, problems=problems,
                           max_past=services.MAX_PAST_START_DAYS), status


def _people(form: EnrolForm) -> list:
    people = list(form.people)
    if form.unit is not None:
        policy.require(policy.can_enrol_in_unit(current_user, form.unit))
        known = {p.id for p in people}
        people += [p for p in services.people_for_bulk(current_user, form.unit, form.position.data) if p.id not in known]
    return people


# --- the trainee's view ------------------------------------------------------------------------------
@bp.route("/mine")
@login_required
def mine():
    enrolments = services.my_enrolments(current_user)
    if len(enrolments) == 1:
        return redirect(url_for(".enrolment", enrolment_id=enrolments[0].id))
    return render_template("plans/mine.html", enrolments=enrolments)


@bp.route("/enrolments/<int:enrolment_id>")
@login_required
def enrolment(enrolment_id: int):
    enrolment = _enrolment_or_404(enrolment_id)
    return _render_enrolment(enrolment)


def _render_enrolment(enrolment: Enrolment, status: int = 200, **forms):
    kinds = sorted({a["ref"] for s in enrolment.version.stages for a in s["assessments"] if a["kind"] == "external"})
    context = {
        "decision_form": DecisionForm(), "withdraw_form": WithdrawForm(), "assessor_form": AssessorForm(),
        "evidence_form": EvidenceForm(kinds=kinds, locale=_locale()), "review_form": ReviewForm(),
    }
    context.update(forms)
    return render_template(
        "plans/enrolment.html", enrolment=enrolment, stages=timeline.build(enrolment, _locale()),
        qualifications=services.qualifications_of(enrolment.person), evidence_kinds=kinds,
        can_adjust=policy.can_adjust_stages(current_user, enrolment),
        can_withdraw=policy.can_withdraw(current_user, enrolment),
        can_upload=policy.can_upload_evidence(current_user, enrolment.person), **context,
    ), status


# --- decisions -----------------------------------------------------------------------------------------
@bp.route("/enrolments/<int:enrolment_id>/stages/<int:position>/decide", methods=["POST"])
@login_required
def decide(enrolment_id: int, position: int):
    enrolment = _enrolment_or_404(enrolment_id)
    policy.require(policy.can_adjust_stages(current_user, enrolment))
    form = DecisionForm()
    if not form.validate_on_submit():
        return _render_enrolment(enrolment, 422, decision_form=form)
    services.decide_stage(current_user, enrolment, position, form.decision.data, form.reason.data)
    db.session.commit()
    flash(_("Stage %(n)d: decision recorded.", n=position), "success")
    return redirect(url_for(".enrolment", enrolment_id=enrolment.id))


@bp.route("/enrolments/<int:enrolment_id>/stages/<int:position>/assessor", methods=["POST"])
@login_required
def set_assessor(enrolment_id: int, position: int):
    enrolment = _enrolment_or_404(enrolment_id)
    policy.require(policy.can_withdraw(current_user, enrolment))
    form = AssessorForm()
    if not form.validate_on_submit():
        return _render_enrolment(enrolment, 422, assessor_form=form)
    assessor = None
    if form.employee_no.data:
        assessor = person_by_employee_no(form.employee_no.data.strip())
        if assessor is None:
            form.employee_no.errors.append(_("No one has this employee number."))
            return _render_enrolment(enrolment, 422, assessor_form=form)
    services.set_assessor(current_user, enrolment, position, assessor)
    db.session.commit()
    flash(_("Stage %(n)d: assessor updated.", n=position), "success")
    return redirect(url_for(".enrolment", enrolment_id=enrolment.id))


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(enrolment_id: int):
    enrolment = _enrolment_or_404(enrolment_id)
    policy.require(policy.can_withdraw(current_user, enrolment))
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _render_enrolment(enrolment, 422, withdraw_form=form)
    services.withdraw(current_user, enrolment, form.reason.data)
    db.session.commit()
    flash(_("Withdrawn from the plan."), "success")
    return redirect(url_for(".enrolment", enrolment_id=enrolment.id))


# --- evidence ----------------------------------------------------------------------------------------
@bp.route("/enrolments/<int:enrolment_id>/evidence", methods=["POST"])
@login_required
def upload_evidence(enrolment_id: int):
    enrolment = _enrolment_or_404(enrolment_id)
    policy.require(policy.can_upload_evidence(current_user, enrolment.person))
    kinds = sorted({a["ref"] for s in enrolment.version.stages for a in s["assessments"] if a["kind"] == "external"})
    form = EvidenceForm(kinds=kinds, locale=_locale())
    if form.validate_on_submit():
        upload = form.file.data
        try:
            services.upload_evidence(current_user, enrolment, form.kind.data, form.certificate_no.data,
                                     form.certified_on.data, upload.read(services.MAX_EVIDENCE_BYTES + 1),
                                     upload.filename or "")
        except DomainError as refused:
            db.session.rollback()
            form.file.errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("Evidence uploaded; it counts once an assessor or trainer verifies it."), "success")
            return redirect(url_for(".enrolment", enrolment_id=enrolment.id))
    return _render_enrolment(enrolment, 422, evidence_form=form)


def _qualification_or_404(qualification_id: int) -> Qualification:
    return policy.visible_or_404(current_user, db.session.get(Qualification, qualification_id), policy.can_see_evidence)


@bp.route("/evidence/<int:qualification_id>/file")
@login_required
def evidence_file(qualification_id: int):
    qualification = _qualification_or_404(qualification_id)
    path = services.evidence_dir() / qualification.stored_name
    if not path.is_file():
        abort(404)
    inline = qualification.content_type.startswith("image/")
    response = send_file(path, mimetype=qualification.content_type, as_attachment=not inline,
                         download_name=qualification.original_name or path.name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/evidence/<int:qualification_id>/review", methods=["POST"])
@login_required
def review_evidence(qualification_id: int):
    qualification = _qualification_or_404(qualification_id)
    policy.require(policy.can_review_evidence(current_user, qualification))
    form = ReviewForm()
    back = url_for(".enrolment", enrolment_id=qualification.enrolment_id) if qualification.enrolment_id else url_for(".index")
    if form.validate_on_submit():
        try:
            services.review_evidence(current_user, qualification, verify=bool(form.verify.data), reason=form.reason.data or "")
        except DomainError as refused:
            db.session.rollback()
            flash(refused.message, "error")
        else:
            db.session.commit()
            flash(_("Evidence verified.") if form.verify.data else _("Evidence rejected."), "success")
    return redirect(back)


# --- the branch-head list ---------------------------------------------------------------------------------
@bp.route("/enrolments")
@login_required
def enrolments():
    policy.require(_oversees(current_user))
    templates = services.all_templates()
    form = ListFilterForm(request.args, plans=templates, locale=_locale())
    filters = services.Filters()
    if form.validate():
        filters.plan = next((t for t in templates if t.slug == form.plan.data), None)
        filters.stage = int(form.stage.data) if form.stage.data else None
        filters.state = form.state.data or None
        if form.org.data:
            filters.unit = unit_by_code(form.org.data.strip())
            if filters.unit is None:
                filters.empty = True
                form.org.errors.append(_("There is no org unit with this code."))
    query = services.enrolments_query(current_user, filters)
    if request.args.get("format") == "xlsx":
        return export.xlsx_response(db.session.scalars(query).all(), _locale())
    from app.core.pagination import paginate

    return render_template("plans/enrolments.html", form=form, page=paginate(query),
                           due=services.due_this_week(current_user),
                           pending=services.pending_evidence(current_user))


# --- home-page panels -------------------------------------------------------------------------------------
from app.main.dashboard import Panel, panel  # noqa: E402


@panel(order=15)
def my_plan_panel(person) -> Panel | None:
    """For anyone with an active enrolment: where they are in the plan and what comes next."""
    active = [e for e in services.my_enrolments(person) if e.is_active]
    if not active:
        return None
    enrolment = active[0]
    stages = timeline.build(enrolment, _locale())
    return Panel(_l("My learning plan"), "plans/panel_trainee.html",
                 {"enrolment": enrolment, "stage": stages[enrolment.current_stage - 1], "count": len(active)})


@panel(Role.branch_head, Role.trainer, Role.assessor, order=25)
def plans_panel(person) -> Panel | None:
    counts = services.state_counts(person)
    if not counts:
        return None
    pending = services.pending_evidence(person)
    return Panel(_l("Learning plans in my scope"), "plans/panel_head.html",
                 {"counts": counts, "due": services.due_this_week(person)[:5],
                  "pending": len(pending), "pending_enrolment": pending[0].enrolment_id if pending else None})
