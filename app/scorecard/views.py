"""Work log, a person's scorecard, rankings and rule sets. Views load, check access, call a service, render."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.accounts.forms import ConfirmForm
from app.accounts.models import Person
from app.accounts.positions import POSITIONS
from app.accounts.services import person_by_employee_no
from app.core import policy
from app.core.errors import DomainError
from app.core.tabular import TableInvalid
from app.extensions import db
from app.honours import evidence
from app.main.dashboard import Panel, panel
from app.main.navigation import nav_item
from app.org.models import OrgKind, OrgUnit
from app.org.services import root_unit, unit_by_code
from app.scorecard import charts, imports, rankings, services
from app.scorecard.forms import CreativityForm, EntryForm, ImportForm, OverrideForm, ResultsForm, RuleSetForm
from app.scorecard.models import SELF_KINDS, EntryKind, ScorecardRuleSet, WorkLogEntry
from app.scorecard.months import current_month, last_months, parse_month
from app.scorecard.rules import BANDED, rule_label

bp = Blueprint("scorecard", __name__, url_prefix="/scorecard")
INSPECTION_KINDS = [kind for kind in EntryKind if kind.inspection]


def _oversees(person: Person) -> bool:
    return person.is_admin or bool(policy.scope_units(person))


def _edits_rules(person: Person) -> bool:
    return person.is_admin or bool(policy.scope_units(person, policy.HEAD_ROLES))


nav_item("scorecard.log", _l("Work log"), order=40)
nav_item("scorecard.rankings", _l("Rankings"), order=41)
nav_item("scorecard.units", _l("Unit rankings"), _oversees, order=42, group="oversee")
nav_item("scorecard.rule_sets", _l("Scorecard rules"), _edits_rules, order=85, group="oversee")


@bp.app_template_global()
def scorecard_rule_label(kind: str) -> str:
    return rule_label(kind)


def _person_or_404(employee_no: str) -> Person:
    person = person_by_employee_no(employee_no)
    if person is None:
        abort(404)
    policy.require(policy.can_see_person(current_user, person))
    return person


def _entry_or_404(entry_id: int) -> WorkLogEntry:
    entry = db.session.get(WorkLogEntry, entry_id)
    if entry is None:
        abort(404)
    policy.require(policy.can_see_person(current_user, entry.person))
    return entry


def _month():
    return parse_month(request.args.get("month"), current_month())


# --- work log -----------------------------------------------------------------------------------


@bp.route("/log", methods=["GET", "POST"])
@login_required
def log():
    form = EntryForm(list(SELF_KINDS))
    if form.validate_on_submit():
        services.add_entry(current_user, current_user, form.entry())
        db.session.commit()
        flash(_("Entry saved; your score is updated."), "success")
        return redirect(url_for(".log"))
    return _log_page(current_user, form, "scorecard/log.html"), 422 if form.errors else 200


@bp.route("/people/<employee_no>/inspect", methods=["GET", "POST"])
@login_required
def inspect(employee_no: str):
    person = _person_or_404(employee_no)
    policy.require(policy.can_enter_inspection(current_user, person))
    form = EntryForm(INSPECTION_KINDS)
    if form.validate_on_submit():
        services.add_entry(current_user, person, form.entry())
        db.session.commit()
        flash(_("Inspection item saved; %(name)s's score is updated.", name=person.name), "success")
        return redirect(url_for(".inspect", employee_no=employee_no))
    return _log_page(person, form, "scorecard/inspect.html"), 422 if form.errors else 200


def _log_page(person: Person, form: EntryForm, template: str) -> str:
    month = _month()
    return render_template(template, person=person, form=form, month=month, entries=services.entries_for(person, month),
                           score=services.score_for(person, month), confirm=ConfirmForm(),
                           results_form=ResultsForm(), creativity_form=CreativityForm())


@bp.route("/entries/<int:entry_id>/results", methods=["POST"])
@login_required
def record_results(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = ResultsForm()
    if not form.validate_on_submit():
        raise DomainError(_("Write the results of the event."), 422)
    services.record_results(current_user, entry, form.results.data)
    db.session.commit()
    flash(_("Results saved; the event now counts."), "success")
    return redirect(request.form.get("next") or url_for(".log"))


@bp.route("/entries/<int:entry_id>/creativity", methods=["POST"])
@login_required
def assess(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = CreativityForm()
    if not form.validate_on_submit():
        raise DomainError("; ".join(form.creativity.errors) or _("Creativity is assessed from 0 to 5."), 422)
    services.assess_creativity(current_user, entry, form.creativity.data)
    db.session.commit()
    flash(_("Creativity assessed."), "success")
    return redirect(url_for(".person", employee_no=entry.person.employee_no, month=f"{entry.occurred_on:%Y-%m}"))


@bp.route("/entries/<int:entry_id>/delete", methods=["POST"])
@login_required
def delete_entry(entry_id: int):
    entry = _entry_or_404(entry_id)
    if ConfirmForm().validate_on_submit():
        person = entry.person
        services.delete_entry(current_user, entry)
        db.session.commit()
        flash(_("Entry removed; the score is updated."), "success")
        return redirect(url_for(".person", employee_no=person.employee_no))
    return redirect(url_for(".log"))


@bp.route("/import", methods=["GET", "POST"])
@login_required
def upload():
    form = ImportForm()
    errors, result = None, None
    if form.validate_on_submit():
        try:
            result = imports.import_work_log(form.file.data.read(), form.file.data.filename or "", current_user)
        except TableInvalid as invalid:
            db.session.rollback()
            errors = invalid.errors
        else:
            db.session.commit()
    return render_template("scorecard/import.html", form=form, errors=errors, result=result), 422 if errors or form.errors else 200


# --- a person's scorecard -----------------------------------------------------------------------


@bp.route("/me")
@login_required
def me():
    return redirect(url_for(".person", employee_no=current_user.employee_no))


@bp.route("/people/<employee_no>")
@login_required
def person(employee_no: str):
    person = _person_or_404(employee_no)
    month = _month()
    score = services.score_for(person, month)
    ranks = [(level, scope, rankings.rank_of(person, scope, month))
             for level in rankings.PEER_LEVELS if (scope := rankings.peer_scope(person, level)) is not None]
    trend_scope = rankings.peer_scope(person, OrgKind.sub_branch) or person.org_unit
    trend = rankings.person_trend(person, trend_scope, last_months(6, month))
    return render_template(
        "scorecard/person.html", person=person, month=month, score=score, ranks=ranks, trend=trend, trend_scope=trend_scope,
        breakdown=services.breakdown(person, month),
        entries=services.entries_for(person, month), confirm=ConfirmForm(), results_form=ResultsForm(),
        creativity_form=CreativityForm(), can_inspect=policy.can_enter_inspection(current_user, person),
        score_chart=charts.line_chart([(f"{p.month:%m}", float(p.total)) for p in trend], _("Score by month")),
        rank_chart=charts.line_chart([(f"{p.month:%m}", p.rank) for p in trend if p.rank], _("Rank by month"), invert=True),
    )


# --- rankings -----------------------------------------------------------------------------------


def _scope_arg(default: OrgUnit) -> OrgUnit:
    code = request.args.get("scope")
    if not code:
        return default
    unit = unit_by_code(code)
    if unit is None:
        abort(404)
    return unit


@bp.route("/rankings", endpoint="rankings")
@login_required
def rankings_page():
    month = _month()
    scope = _scope_arg(rankings.peer_scope(current_user, OrgKind.outlet) or current_user.org_unit)
    position = request.args.get("position") or current_user.position
    if position not in POSITIONS:
        abort(404)
    page = max(request.args.get("page", 1, type=int), 1)
    rows = rankings.person_ranking(scope, month, position, limit=50, offset=(page - 1) * 50)
    own_levels = [(level, unit) for level in rankings.PEER_LEVELS if (unit := rankings.peer_scope(current_user, level))]
    return render_template(
        "scorecard/rankings.html", rows=rows, unit_names=_unit_names({row.unit_code for row in rows}), scope=scope,
        month=month, position=position, page=page, levels=own_levels,
        positions=POSITIONS, names_visible=policy.unit_in_scope(current_user, scope), months=last_months(12),
        chart=charts.bar_chart([(_display_name(row, scope), float(row.total)) for row in rows[:15]], _("Score")),
    )


def _unit_names(codes) -> dict[str, str]:
    """Unit code → the unit's name in the UI language (its English name on English pages, when it has one)."""
    locale = str(get_locale())
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.code.in_(list(codes)))) if codes else []
    return {unit.code: unit.display_name(locale) for unit in units}


def _display_name(row, scope: OrgUnit) -> str:
    if row.person_id == current_user.id or policy.unit_in_scope(current_user, scope):
        return row.name
    return row.name[:1] + "*" * max(len(row.name) - 1, 1)


@bp.route("/units")
@login_required
def units():
    policy.require(_oversees(current_user))
    month = _month()
    scope = _scope_arg(policy.widest_scope(current_user))
    policy.require(policy.unit_in_scope(current_user, scope))
    levels = [kind for kind in OrgKind if kind.value > scope.kind.value]
    if not levels:
        abort(404)
    level = next((k for k in levels if k.name == request.args.get("level")), levels[0])
    position = request.args.get("position") or None
    rows = rankings.unit_ranking(scope, level, month, position if position in POSITIONS else None)
    locale = str(get_locale())
    units_by_id = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_([row.unit_id for row in rows])))}
    names = {unit_id: unit.display_name(locale) for unit_id, unit in units_by_id.items()}
    metrics = {row.unit_id: evidence.unit_programme_metrics(units_by_id[row.unit_id]) for row in rows[:60]}
    trend = rankings.unit_trend(scope, last_months(6, month), position if position in POSITIONS else None)
    return render_template(
        "scorecard/units.html", rows=rows, metrics=metrics, names=names, scope=scope, level=level, levels=levels,
        month=month, position=position, positions=POSITIONS, months=last_months(12),
        chart=charts.bar_chart([(names.get(row.unit_id, row.name), round(float(row.per_head), 2)) for row in rows[:20]], _("Average score per head")),
        trend_chart=charts.line_chart([(f"{p.month:%m}", float(p.total)) for p in trend], _("Average score per head by month")),
        trend=trend,
    )


# --- rule sets ----------------------------------------------------------------------------------


@bp.route("/rules")
@login_required
def rule_sets():
    policy.require(_edits_rules(current_user))
    default = services.default_rule_set()
    overrides = [s for s in db.session.scalars(select(ScorecardRuleSet).where(ScorecardRuleSet.org_unit_id.is_not(None)))
                 if policy.can_edit_rules(current_user, s.org_unit)]
    return render_template("scorecard/rule_sets.html", default=default, overrides=overrides, form=OverrideForm(),
                           can_edit_default=policy.can_edit_rules(current_user, None))


@bp.route("/rules/new", methods=["POST"])
@login_required
def new_rule_set():
    form = OverrideForm()
    if not form.validate_on_submit():
        raise DomainError(_("Enter the code of the unit the rule set is for."), 422)
    unit = unit_by_code(form.unit_code.data.strip())
    if unit is None:
        raise DomainError(_("There is no org unit with code “%(code)s”.", code=form.unit_code.data), 422)
    rule_set = services.create_override(current_user, unit)
    db.session.commit()
    return redirect(url_for(".rule_set", set_id=rule_set.id))


@bp.route("/rules/<int:set_id>", methods=["GET", "POST"])
@login_required
def rule_set(set_id: int):
    found = db.session.get(ScorecardRuleSet, set_id) or abort(404)
    policy.require(policy.can_edit_rules(current_user, found.org_unit) or (found.org_unit is None and _edits_rules(current_user)))
    form = RuleSetForm(data=None if request.method == "POST" else _rule_set_data(found))
    if form.validate_on_submit():
        changes = [services.RuleChange(int(row.rule_id.data), row.points.data, row.lower.data, row.upper.data, row.enabled.data)
                   for row in form.rules]
        services.update_rules(current_user, found, form.name.data, changes)
        db.session.commit()
        flash(_("Rules saved; scores in this scope are recomputed."), "success")
        return redirect(url_for(".rule_set", set_id=set_id))
    rows = list(zip(found.rules, form.rules))
    return render_template("scorecard/rule_set.html", rule_set=found, form=form, rows=rows, banded=BANDED,
                           confirm=ConfirmForm(), can_edit=policy.can_edit_rules(current_user, found.org_unit)), 422 if form.errors else 200


def _rule_set_data(rule_set: ScorecardRuleSet) -> dict:
    return {"name": rule_set.name, "rules": [
        {"rule_id": r.id, "points": r.points, "lower": r.lower, "upper": r.upper, "enabled": r.enabled} for r in rule_set.rules]}


@bp.route("/rules/<int:set_id>/delete", methods=["POST"])
@login_required
def delete_rule_set(set_id: int):
    found = db.session.get(ScorecardRuleSet, set_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        services.delete_override(current_user, found)
        db.session.commit()
        flash(_("The unit's rule set is removed; the rules above it apply again."), "success")
    return redirect(url_for(".rule_sets"))


# --- home page ----------------------------------------------------------------------------------


@panel(order=15)
def score_panel(person: Person) -> Panel:
    month = current_month()
    outlet = rankings.peer_scope(person, OrgKind.outlet) or person.org_unit
    return Panel(_l("My score this month"), "scorecard/panel.html",
                 {"score": services.score_for(person, month), "rank": rankings.rank_of(person, outlet, month),
                  "scope": outlet, "month": month})
