"""Exam pages: trainees sit exams, assessors score practical items, trainers read statistics
and grant overrides. Views load, check access, call a service and render; they commit once."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import Person, Role
from app.core import policy
from app.core.errors import DomainError
from app.exams import eligibility, grading, presenting, services, stats, windows
from app.exams.forms import ActionForm, AssessForm, OverrideForm
from app.exams.models import Attempt, AttemptSlot, Exam
from app.extensions import db
from app.main.dashboard import Panel, panel
from app.main.navigation import nav_item

bp = Blueprint("exams", __name__, url_prefix="/exams")


def _attempt_for(attempt_id: int, own: bool = True) -> Attempt:
    return policy.visible_or_404(current_user, db.session.get(Attempt, attempt_id),
                                 policy.sits_attempt if own else policy.can_see_attempt)


def _exam(slug: str) -> Exam:
    return services.exam_by_slug(slug) or abort(404)


# --- trainees --------------------------------------------------------------------------------
@bp.route("/")
@login_required
def index():
    exams = db.session.scalars(select(Exam).where(Exam.retired.is_(False)).order_by(Exam.slug)).all()
    mine = [(exam, eligibility.check(exam, current_user)) for exam in exams if eligibility.in_audience(exam, current_user)]
    return render_template("exams/index.html", exams=mine, attempts=services.attempts_of(current_user),
                           describe=windows.describe)


@bp.route("/<slug>")
@login_required
def show(slug: str):
    exam = _exam(slug)
    current = services.open_attempt(exam, current_user)
    if current is not None:
        services.touch(current)
        db.session.commit()
    return render_template("exams/show.html", exam=exam, verdict=eligibility.check(exam, current_user),
                           current=current if current is not None and current.is_open else None,
                           attempts=services.attempts_of(current_user, exam), left=eligibility.attempts_left(exam, current_user),
                           window=windows.describe(exam.window), form=ActionForm())


@bp.route("/<slug>/start", methods=["POST"])
@login_required
def start(slug: str):
    exam = _exam(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    attempt = services.start_or_resume(exam, current_user)
    db.session.commit()
    return redirect(url_for("exams.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    attempt = _attempt_for(attempt_id)
    services.touch(attempt)
    db.session.commit()
    if not attempt.is_open:
        return redirect(url_for("exams.result", attempt_id=attempt.id))
    return render_template("exams/attempt.html", attempt=attempt, slots=presenting.slot_views(attempt, locale=str(get_locale())), form=ActionForm())


@bp.route("/attempts/<int:attempt_id>/answers/<int:slot>", methods=["POST", "PUT"])
@login_required
def save_one(attempt_id: int, slot: int):
    """Autosave of one answer (JSON). Errors come back as problem+json for the script to show.
    Ownership is checked by the save itself, in the same query that locks the attempt."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or "response" not in body:
        raise DomainError(_("Send the answer as JSON: {\"response\": …}."), 400)
    saved = save_with_retry(attempt_id, current_user.id, slot, body.get("response"), body.get("client_seq"))
    return jsonify(saved_json(saved))


def save_with_retry(attempt_id: int, person_id: int, slot: int, response, client_seq):
    """One short transaction per save. A retried save (same client_seq) hits the unique
    constraint and gets the first save's acknowledgement; two tabs saving the same slot at once
    on PostgreSQL may tie on the sequence number, and the loser simply tries again."""
    client_seq = str(client_seq)[:40] if client_seq else None
    for tries in range(5):
        try:
            saved = services.save(attempt_id, person_id, slot, response, client_seq)
            db.session.commit()
            return saved
        except IntegrityError:
            db.session.rollback()
            earlier = services.replayed(attempt_id, client_seq)
            if earlier is not None:
                return earlier
            if tries == 4:
                raise
    raise AssertionError("unreachable")


def saved_json(saved) -> dict:
    return {"slot": saved.slot, "sequence": saved.sequence, "saved_at": saved.saved_at.isoformat(), "replayed": saved.replayed}


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@login_required
def save_all(attempt_id: int):
    """The form without JavaScript: saves every changed answer, then submits if asked."""
    attempt = _attempt_for(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.touch(attempt)
    if attempt.is_open:
        _save_form_answers(attempt)
    if request.form.get("action") == "submit":
        services.submit(attempt)
        db.session.commit()
        return redirect(url_for("exams.result", attempt_id=attempt.id))
    db.session.commit()
    flash(_("Your answers are saved."), "success")
    return redirect(url_for("exams.attempt", attempt_id=attempt.id))


def _save_form_answers(attempt: Attempt) -> None:
    steps = services.latest_steps(attempt.id)
    for slot in attempt.slots:
        raw = _form_value(slot)
        kind, definition = slot.version.kind, slot.version.definition
        step = steps.get(slot.slot)
        before = step.response if step else None
        try:
            after = kind.clean_response(definition, slot.option_order, raw)
        except ValueError as invalid:
            raise DomainError(_("Question %(n)d: %(problem)s", n=slot.slot, problem=str(invalid)), 422) from None
        if after != before:
            services.save_answer(attempt, slot.slot, raw)


def _form_value(slot: AttemptSlot):
    name = f"q{slot.slot}"
    if slot.version.type == "multiple":
        return {"choices": request.form.getlist(name)}
    key = {"single": "choice", "truefalse": "value", "fill": "text", "practical": "note"}[slot.version.type]
    return {key: request.form.get(name)}


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@login_required
def submit(attempt_id: int):
    attempt = _attempt_for(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    services.submit(attempt)
    db.session.commit()
    return redirect(url_for("exams.result", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _attempt_for(attempt_id, own=False)
    services.touch(attempt)
    db.session.commit()
    if attempt.is_open:
        return redirect(url_for("exams.attempt", attempt_id=attempt.id))
    own = attempt.person_id == current_user.id
    review = attempt.review_allowed() or (not own and policy.can_manage_exams(current_user))
    return render_template("exams/result.html", attempt=attempt, sections=presenting.section_scores(attempt, str(get_locale())),
                           review=presenting.review_items(attempt) if review else None, own=own)


# --- assessors -------------------------------------------------------------------------------
@bp.route("/assess")
@login_required
def queue():
    policy.require(current_user.has_role(Role.assessor))
    return render_template("exams/queue.html", items=grading.queue(current_user), done=grading.recently_scored(current_user))


@bp.route("/assess/<int:attempt_id>/<int:slot>", methods=["GET", "POST"])
@login_required
def assess(attempt_id: int, slot: int):
    attempt = policy.visible_or_404(current_user, db.session.get(Attempt, attempt_id), policy.can_assess_attempt)
    item = next((s for s in attempt.slots if s.slot == slot and s.version.type == "practical"), None) or abort(404)
    rubric = item.version.definition["rubric"]
    form = AssessForm(data=None if request.method == "POST" else {"criteria": [
        {"points": c.points, "comment": c.comment} for c in item.criteria] or [{} for _r in rubric]})
    while len(form.criteria) < len(rubric):
        form.criteria.append_entry()
    if form.validate_on_submit():
        inputs = [grading.CriterionInput(entry.form.points.data, entry.form.comment.data or "") for entry in form.criteria]
        grading.score_slot(item, current_user, inputs, form.reason.data or "")
        db.session.commit()
        flash(_("Scores saved."), "success")
        return redirect(url_for("exams.queue"))
    note = services.latest_steps(attempt.id).get(slot)
    return render_template("exams/assess.html", attempt=attempt, item=item, rubric=list(zip(rubric, form.criteria)),
                           form=form, note=note.response.get("note") if note and note.response else "",
                           changes=grading.changes_for(item)), 422 if form.errors else 200


# --- trainers --------------------------------------------------------------------------------
@bp.route("/manage")
@login_required
def manage():
    policy.require(policy.can_manage_exams(current_user))
    exams = db.session.scalars(select(Exam).order_by(Exam.slug)).all()
    return render_template("exams/manage.html", exams=exams, summary=stats.summaries(exams, current_user), describe=windows.describe)


@bp.route("/manage/<slug>/stats")
@login_required
def statistics(slug: str):
    policy.require(policy.can_manage_exams(current_user))
    exam = _exam(slug)
    report = stats.exam_report(exam, current_user)
    return render_template("exams/stats.html", exam=exam, report=report, chart=stats.histogram_svg(report))


@bp.route("/manage/<slug>/overrides", methods=["GET", "POST"])
@login_required
def overrides(slug: str):
    policy.require(policy.can_manage_exams(current_user))
    exam = _exam(slug)
    form = OverrideForm()
    if form.validate_on_submit():
        person = db.session.scalars(select(Person).where(Person.employee_no == form.employee_no.data.strip())).first()
        if person is None or not policy.can_override_exam(current_user, person):
            form.employee_no.errors.append(_("No one with this employee number in your scope."))
        else:
            services.grant_override(exam, person, form.extra_minutes.data or 0, form.extra_attempts.data or 0,
                                    form.reason.data, current_user)
            db.session.commit()
            flash(_("Override granted to %(name)s.", name=person.name), "success")
            return redirect(url_for("exams.overrides", slug=slug))
    visible = [o for o in services.overrides_for(exam) if policy.can_see_person(current_user, o.person)]
    return render_template("exams/overrides.html", exam=exam, form=form, overrides=visible), 422 if form.errors else 200


# --- menu and home page ----------------------------------------------------------------------
nav_item("exams.index", _l("Exams"), order=30)
nav_item("exams.queue", _l("Assessment queue"), lambda p: p.has_role(Role.assessor), order=31, group="teach")
nav_item("exams.manage", _l("Exam statistics"), policy.can_manage_exams, order=33, group="teach")


@panel(order=15)
def exams_panel(person: Person) -> Panel | None:
    exams = db.session.scalars(select(Exam).where(Exam.retired.is_(False)).order_by(Exam.slug)).all()
    ready = [e for e in exams if eligibility.in_audience(e, person) and eligibility.check(e, person).ok]
    recent = services.attempts_of(person)[:5]
    return Panel(_l("My exams"), "exams/panel.html", {"ready": ready, "recent": recent})


@panel(Role.assessor, order=16)
def assessor_panel(person: Person) -> Panel:
    return Panel(_l("Assessment queue"), "exams/panel_assessor.html", {"size": grading.queue_size(person)})


from app.exams.templating import register as _register_templating  # noqa: E402

bp.record_once(_register_templating)

from app.exams.bench_baseline import register as _register_bench_baseline  # noqa: E402

_register_bench_baseline(bp)
