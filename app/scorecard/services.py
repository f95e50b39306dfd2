"""Work log, rule sets and monthly scores. Services flush; the request or command commits."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from flask_babel import gettext as _
from sqlalchemy import (Date, Numeric, String, and_, bindparam, case, cast, delete, func, insert, literal, null, or_,
                        select, true, union_all)
from sqlalchemy.orm import aliased

from app.accounts.models import Person
from app.core import audit, clock, events, policy
from app.core.errors import DomainError
from app.core.types import UTCDateTime
from app.extensions import db
from app.honours import evidence
from app.org.models import OrgUnit, subtree_bounds
from app.scorecard import rules as R
from app.scorecard.models import (EntryKind, ExamResultFact, MonthlyScore, MonthlyScoreLine, RuleKind, ScorecardRule,
                                  ScorecardRuleSet, WorkLogEntry)
from app.scorecard.months import month_of, next_month

# --- work log ---------------------------------------------------------------------------------


@dataclass
class EntryInput:
    """A work-log entry as typed in a form or a spreadsheet row, before it is checked."""

    kind: EntryKind
    occurred_on: date
    customer: str = ""
    reported_on: date | None = None
    plan: str = ""
    results: str = ""
    score: Decimal | None = None
    severity: int | None = None
    note: str = ""


def entry_problems(data: EntryInput, today: date) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with `data`; shared by the form and the import."""
    problems: list[tuple[str, str]] = []
    kind = data.kind
    if data.occurred_on > today and kind is not EntryKind.event:
        problems.append(("occurred_on", _("The date is in the future; only events can be planned ahead.")))
    if data.occurred_on.year < 2000:
        problems.append(("occurred_on", _("The date is before 2000.")))
    if kind in (EntryKind.call, EntryKind.visit, EntryKind.event) and not data.customer.strip():
        problems.append(("customer", _("Name the customer (or, for an event, the company or community).")))
    if data.reported_on is not None and data.reported_on > today:
        problems.append(("reported_on", _("The report date is in the future.")))
    if kind is EntryKind.event and not data.plan.strip():
        problems.append(("plan", _("An event needs its plan, written before it takes place.")))
    if kind is EntryKind.event and data.results.strip() and data.occurred_on > today:
        problems.append(("results", _("Results can be recorded only once the event has taken place.")))
    problems += _score_problems(data)
    if kind is EntryKind.misconduct and data.severity not in (1, 2, 3):
        problems.append(("severity", _("Severity must be 1, 2 or 3.")))
    if kind in (EntryKind.complaint, EntryKind.misconduct) and not data.note.strip():
        problems.append(("note", _("Describe what happened.")))
    return problems


def _score_problems(data: EntryInput) -> list[tuple[str, str]]:
    ceiling = {EntryKind.service_check: 100, EntryKind.satisfaction: 10}.get(data.kind)
    if ceiling is None:
        return []
    if data.score is None or not 0 <= data.score <= ceiling:
        return [("score", _("The score must be a number from 0 to %(max)d.", max=ceiling))]
    return []


def check_entry_access(actor: Person, person: Person, kind: EntryKind) -> None:
    allowed = policy.can_enter_inspection(actor, person) if kind.inspection else policy.can_log_own_work(actor, person)
    if not allowed:
        raise DomainError(
            _("Inspection items are entered by a head for people in their scope.") if kind.inspection
            else _("Calls, visits and events are logged by the person themselves."), 403)


def add_entry(actor: Person, person: Person, data: EntryInput) -> WorkLogEntry:
    check_entry_access(actor, person, data.kind)
    problems = entry_problems(data, clock.today())
    if problems:
        raise DomainError(problems[0][1], 422)
    entry = WorkLogEntry(person=person, entered_by=actor, **data.__dict__)
    db.session.add(entry)
    db.session.flush()
    audit.record("worklog.add", entry, actor=actor, person=person.employee_no, kind=data.kind.value)
    recompute(month_of(entry.occurred_on), [person.id])
    return entry


def record_results(actor: Person, entry: WorkLogEntry, results: str) -> None:
    """An event's results, written after it (by the person who logged it)."""
    check_entry_access(actor, entry.person, entry.kind)
    if entry.kind is not EntryKind.event:
        raise DomainError(_("Only events have results."), 409)
    if entry.occurred_on > clock.today():
        raise DomainError(_("Results can be recorded only once the event has taken place."), 409)
    if not results.strip():
        raise DomainError(_("Write the results of the event."), 422)
    entry.results = results.strip()
    audit.record("worklog.results", entry, actor=actor)
    recompute(month_of(entry.occurred_on), [entry.person_id])


def assess_creativity(actor: Person, entry: WorkLogEntry, value: int) -> None:
    if not policy.can_enter_inspection(actor, entry.person):
        raise DomainError(_("Creativity is assessed by a head for people in their scope."), 403)
    entry.assess_creativity(value)
    audit.record("worklog.creativity", entry, actor=actor, creativity=value)
    recompute(month_of(entry.occurred_on), [entry.person_id])


def delete_entry(actor: Person, entry: WorkLogEntry) -> None:
    """The one who entered it removes a mistaken entry; the month is recomputed."""
    if entry.entered_by_id != actor.id and not actor.is_admin:
        raise DomainError(_("Only the person who entered it may remove this entry."), 403)
    audit.record("worklog.delete", entry, actor=actor, kind=entry.kind.value, occurred_on=entry.occurred_on.isoformat())
    month, person_id = month_of(entry.occurred_on), entry.person_id
    db.session.delete(entry)
    db.session.flush()
    recompute(month, [person_id])


def entries_for(person: Person, month: date) -> list[WorkLogEntry]:
    return list(db.session.scalars(
        select(WorkLogEntry).where(WorkLogEntry.person_id == person.id, WorkLogEntry.occurred_on >= month,
                                   WorkLogEntry.occurred_on < next_month(month))
        .order_by(WorkLogEntry.occurred_on.desc(), WorkLogEntry.id.desc())
    ))


# --- rule sets ----------------------------------------------------------------------------------


def default_rule_set() -> ScorecardRuleSet:
    found = db.session.scalars(select(ScorecardRuleSet).where(ScorecardRuleSet.org_unit_id.is_(None))).one_or_none()
    return found or install_shipped_rules()


def install_shipped_rules(unit: OrgUnit | None = None, name: str = R.SHIPPED_NAME) -> ScorecardRuleSet:
    rule_set = ScorecardRuleSet(org_unit=unit, name=name)
    for position, rule in enumerate(R.shipped_rules()):
        rule_set.rules.append(ScorecardRule(position=position, kind=rule.kind, points=rule.points,
                                            lower=rule.lower, upper=rule.upper))
    db.session.add(rule_set)
    db.session.flush()
    return rule_set


def effective_rule_set(unit: OrgUnit) -> ScorecardRuleSet:
    """The set on the nearest unit at or above `unit`, else the bank default."""
    sets = db.session.scalars(
        select(ScorecardRuleSet).join(OrgUnit).where(OrgUnit.id.in_(unit.ancestor_ids())).order_by(OrgUnit.path.desc())
    ).first()
    return sets or default_rule_set()


def create_override(actor: Person, unit: OrgUnit) -> ScorecardRuleSet:
    """A set for `unit`'s subtree, starting as a copy of what applies there now."""
    policy.require(policy.can_edit_rules(actor, unit))
    if db.session.scalars(select(ScorecardRuleSet).where(ScorecardRuleSet.org_unit_id == unit.id)).first():
        raise DomainError(_("%(unit)s already has its own rule set.", unit=unit.name), 409)
    base = effective_rule_set(unit)
    rule_set = ScorecardRuleSet(org_unit=unit, name=f"{unit.name} · {base.name}", updated_by_id=actor.id)
    for rule in base.rules:
        rule_set.rules.append(ScorecardRule(position=rule.position, kind=rule.kind, points=rule.points,
                                            lower=rule.lower, upper=rule.upper, enabled=rule.enabled))
    db.session.add(rule_set)
    db.session.flush()
    audit.record("scorecard.rules.create", rule_set, actor=actor, unit=unit.code)
    return rule_set


@dataclass
class RuleChange:
    rule_id: int
    points: Decimal
    lower: Decimal | None
    upper: Decimal | None
    enabled: bool


def update_rules(actor: Person, rule_set: ScorecardRuleSet, name: str, changes: list[RuleChange]) -> None:
    policy.require(policy.can_edit_rules(actor, rule_set.org_unit))
    rules = {rule.id: rule for rule in rule_set.rules}
    before = {rule.id: _rule_text(rule) for rule in rule_set.rules}
    for change in changes:
        rule = rules.get(change.rule_id)
        if rule is None:
            raise DomainError(_("That rule is not part of this set."), 404)
        if change.lower is not None and change.upper is not None and change.lower >= change.upper:
            raise DomainError(_("%(rule)s: the lower bound must be below the upper bound.", rule=R.rule_label(rule.kind)), 422)
        rule.points, rule.lower, rule.upper, rule.enabled = change.points, change.lower, change.upper, change.enabled
    rule_set.name = name.strip() or rule_set.name
    rule_set.updated_at, rule_set.updated_by_id = clock.now(), actor.id
    db.session.flush()
    audit.record("scorecard.rules.update", rule_set, actor=actor, before=before,
                 after={rule.id: _rule_text(rule) for rule in rule_set.rules})
    recompute_scope(rule_set.org_unit)


def delete_override(actor: Person, rule_set: ScorecardRuleSet) -> None:
    if rule_set.org_unit is None:
        raise DomainError(_("The bank default rule set cannot be removed."), 409)
    policy.require(policy.can_edit_rules(actor, rule_set.org_unit))
    unit = rule_set.org_unit
    audit.record("scorecard.rules.delete", rule_set, actor=actor, unit=unit.code)
    db.session.delete(rule_set)
    db.session.flush()
    recompute_scope(unit)


def _rule_text(rule: ScorecardRule) -> str:
    return f"{rule.kind.value} {rule.points} [{rule.lower},{rule.upper}) {'on' if rule.enabled else 'off'}"


# --- scores -------------------------------------------------------------------------------------


def _effective_set_id(unit_path):
    """SQL: the id of the rule set in force at `unit_path`: the deepest unit set above it, else the default."""
    set_unit = aliased(OrgUnit)
    return (
        select(ScorecardRuleSet.id).outerjoin(set_unit, set_unit.id == ScorecardRuleSet.org_unit_id)
        .where(or_(ScorecardRuleSet.org_unit_id.is_(None), _within(unit_path, set_unit.path)))
        .order_by(func.length(func.coalesce(set_unit.path, "")).desc()).limit(1).correlate_except(ScorecardRuleSet, set_unit)
        .scalar_subquery()
    )


def _within(path, ancestor_path):
    """SQL: `path` lies in the subtree at `ancestor_path`, both columns (subtree_clause for a column bound)."""
    upper = func.substr(ancestor_path, 1, func.length(ancestor_path) - 1).op("||")(literal("0"))
    return and_(path >= ancestor_path, path < upper)


# The month's statements take these bind parameters, so each shape is built once per process.
_MONTH, _MONTH_END = bindparam("month", type_=Date), bindparam("month_end", type_=Date)
_DAY_START, _DAY_END = bindparam("day_start", type_=UTCDateTime()), bindparam("day_end", type_=UTCDateTime())


def _items(people_filter, with_exams: bool):
    """Every item the month's rules count, one row each: (person_id, kind, item, value, weight).
    `value` is what banded rules compare; `weight` multiplies the points (creativity, severity)."""
    W = WorkLogEntry
    complete_event = and_(W.kind == EntryKind.event, W.plan != "", W.results != "")
    per_entry = [
        (RuleKind.phone_contact, W.kind == EntryKind.call, None, 1),
        (RuleKind.visit, and_(W.kind == EntryKind.visit, W.reported_on < W.occurred_on), None, 1),
        (RuleKind.event, complete_event, None, 1),
        (RuleKind.event_creativity, and_(complete_event, W.creativity > 0), None,
         case((W.creativity > 5, 5), else_=W.creativity)),
        (RuleKind.misconduct, W.kind == EntryKind.misconduct, None,
         case((func.coalesce(W.severity, 1) < 1, 1), (W.severity > 3, 3), else_=func.coalesce(W.severity, 1))),
        (RuleKind.service_check, W.kind == EntryKind.service_check, W.score, 1),
        (RuleKind.satisfaction, W.kind == EntryKind.satisfaction, W.score, 1),
        (RuleKind.complaint, W.kind == EntryKind.complaint, None, 1),
    ]
    in_month = and_(W.occurred_on >= _MONTH, W.occurred_on < _MONTH_END, people_filter(W.person_id))
    parts = [select(W.person_id, literal(kind.value, String(30)).label("kind"), W.id.label("item"),
                    cast(value if value is not None else null(), Numeric(10, 2)).label("value"),
                    (literal(weight) if isinstance(weight, int) else weight).label("weight"))
             .where(in_month, condition) for kind, condition, value, weight in per_entry]
    if with_exams:  # each exam's best result of the month: a retake improves a result, never costs again
        X = ExamResultFact
        best = (select(X.person_id, func.min(X.id).label("item"), func.max(X.percent).label("percent"))
                .where(X.finished_at >= _DAY_START, X.finished_at < _DAY_END, people_filter(X.person_id))
                .group_by(X.person_id, X.exam_slug).subquery("best_exam_results"))
        parts.append(select(best.c.person_id, literal(RuleKind.exam_below.value, String(30)), best.c.item,
                            cast(best.c.percent, Numeric(10, 2)), literal(1)))
    return union_all(*parts).subquery("items")


def _insert_lines(people_filter, with_exams: bool):
    """One INSERT … SELECT for the month: each item joined to the enabled rules of its kind in the
    person's rule set (and band), summed per person and kind."""
    items = _items(people_filter, with_exams)
    rule_set_of = (select(Person.id.label("person_id"), _effective_set_id(OrgUnit.path).label("rule_set_id"))
                   .join(OrgUnit, OrgUnit.id == Person.org_unit_id).where(people_filter(Person.id)).subquery("sets"))
    rule = aliased(ScorecardRule)
    lines = (
        select(items.c.person_id, _MONTH, items.c.kind, func.count(func.distinct(items.c.item)),
               func.round(func.sum(rule.points * items.c.weight), 2))
        .join(rule_set_of, rule_set_of.c.person_id == items.c.person_id)
        .join(rule, and_(rule.rule_set_id == rule_set_of.c.rule_set_id, rule.kind == items.c.kind, rule.enabled,
                         or_(rule.lower.is_(None), items.c.value >= rule.lower),
                         or_(rule.upper.is_(None), items.c.value < rule.upper)))
        .group_by(items.c.person_id, items.c.kind)
    )
    return insert(MonthlyScoreLine.__table__).from_select(["person_id", "month", "kind", "count", "points"], lines)


def _insert_missed_learning(month: date, people_filter) -> None:
    """Missed learning comes from the plans domain, person by person: its few lines are added here."""
    missed = evidence.missed_learning(month, next_month(month), people_filter)
    if not missed:
        return
    paths = dict(db.session.execute(select(Person.id, OrgUnit.path).join(OrgUnit, OrgUnit.id == Person.org_unit_id)
                                    .where(Person.id.in_(list(missed)))).all())
    sets = _rule_sets_by_path()
    rows = []
    for person_id, count in missed.items():
        rules = [r for r in _rules_for(paths.get(person_id, ""), sets)[1] if r.kind is RuleKind.missed_learning]
        if rules:
            rows.append({"person_id": person_id, "month": month, "kind": RuleKind.missed_learning, "count": count,
                         "points": sum((r.points * count for r in rules), R.ZERO)})
    if rows:
        db.session.execute(insert(MonthlyScoreLine), rows)


def _rule_sets_by_path() -> list[tuple[str, ScorecardRuleSet, list[R.Rule]]]:
    """Every rule set with its unit path, deepest first ("" for the bank default)."""
    found = db.session.execute(select(ScorecardRuleSet, OrgUnit.path).outerjoin(OrgUnit)).all()
    sets = [(path or "", rule_set, [R.Rule(r.kind, r.points, r.lower, r.upper) for r in rule_set.rules if r.enabled])
            for rule_set, path in found]
    return sorted(sets, key=lambda item: len(item[0]), reverse=True)


def _rules_for(path: str, sets) -> tuple[ScorecardRuleSet, list[R.Rule]]:
    return next((rule_set, rules) for prefix, rule_set, rules in sets if path.startswith(prefix))


def _insert_totals(people_filter):
    """One INSERT … SELECT: each person's total and count of deductions from their lines."""
    L = MonthlyScoreLine
    totals = (
        select(L.person_id, _MONTH, func.round(func.sum(L.points), 2),
               func.sum(case((L.points < 0, L.count), else_=0)),
               _effective_set_id(OrgUnit.path), bindparam("now", type_=UTCDateTime()))
        .join(Person, Person.id == L.person_id).join(OrgUnit, OrgUnit.id == Person.org_unit_id)
        .where(L.month == _MONTH, people_filter(L.person_id)).group_by(L.person_id, OrgUnit.path)
    )
    return insert(MonthlyScore.__table__).from_select(["person_id", "month", "total", "negatives", "rule_set_id", "computed_at"], totals)


def _people_filter(ids=None, scope=None):
    """SQL filter on a person-id column: those among `ids` and/or in the subtree `scope` = (low, high)
    (values or bind parameters); everyone when both are None."""
    if ids is None and scope is None:
        return lambda column: true()
    people = select(Person.id).join(OrgUnit, OrgUnit.id == Person.org_unit_id)
    if scope is not None:
        people = people.where(OrgUnit.path >= scope[0], OrgUnit.path < scope[1])
    if ids is not None:
        people = people.where(Person.id.in_(ids))
    return lambda column: column.in_(people)


@functools.cache
def _month_statements(by_ids: bool, by_scope: bool, with_exams: bool) -> tuple:
    """The deletes and the two INSERT … SELECTs of a recompute, for one shape of filter. Building
    them costs several times running them for one person, and every finished exam runs them."""
    people_filter = _people_filter(bindparam("ids", expanding=True) if by_ids else None,
                                   (bindparam("scope_low"), bindparam("scope_high")) if by_scope else None)
    deletes = tuple(delete(table).where(table.c.month == _MONTH, people_filter(table.c.person_id))
                    for table in (MonthlyScoreLine.__table__, MonthlyScore.__table__))
    return deletes, _insert_lines(people_filter, with_exams), _insert_totals(people_filter)


def recompute(month: date, person_ids: Iterable[int] | None = None, scope: OrgUnit | None = None) -> int:
    """Recompute the month's scores for the given people, or everyone in `scope` (None: the bank).
    Set-based, whatever the number of people: two deletes, one INSERT … SELECT of the lines of every
    rule kind, one of the totals (plus the few missed-learning lines). Returns the scores written."""
    ids = None if person_ids is None else sorted(set(person_ids))
    bounds = subtree_bounds(scope.path) if scope is not None else None
    deletes, lines, totals = _month_statements(ids is not None, bounds is not None, evidence.exams_available())
    params = {"month": month, "month_end": next_month(month), "day_start": evidence.day_start(month),
              "day_end": evidence.day_start(next_month(month)), "now": clock.now()}
    if ids is not None:
        params["ids"] = ids
    if bounds is not None:
        params["scope_low"], params["scope_high"] = bounds
    default_rule_set()
    for statement in deletes:
        db.session.execute(statement, params)
    db.session.execute(lines, params)
    _insert_missed_learning(month, _people_filter(ids, bounds))
    written = db.session.execute(totals, params).rowcount
    db.session.flush()
    _expire_scores()
    return written


def _expire_scores() -> None:
    """Scores loaded before the recompute are stale: reload them when next read. Only these: expiring
    everything would make the caller (a submit, say) reload its whole object graph."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, (MonthlyScore, MonthlyScoreLine)):
            db.session.expire(obj)


def recompute_scope(unit: OrgUnit | None) -> None:
    """After a rule change: every month that has scores or entries in the subtree."""
    months = set(db.session.scalars(select(MonthlyScore.month).distinct()))
    months.add(month_of(clock.today()))
    for month in sorted(months):
        recompute(month, scope=unit)


def score_for(person: Person, month: date) -> MonthlyScore | None:
    return db.session.scalars(
        select(MonthlyScore).where(MonthlyScore.person_id == person.id, MonthlyScore.month == month)
    ).one_or_none()


def breakdown(person: Person, month: date) -> list[dict]:
    """Every rule kind's line for the person's month, zero where nothing counted, so the page
    explains every rule; lines whose source domain is absent are marked not available."""
    stored = {line.kind: line for line in db.session.scalars(
        select(MonthlyScoreLine).where(MonthlyScoreLine.person_id == person.id, MonthlyScoreLine.month == month))}
    unavailable = {RuleKind.exam_below: not evidence.exams_available(),
                   RuleKind.missed_learning: not evidence.missed_learning_available()}
    lines = []
    for kind in RuleKind:
        line = stored.get(kind)
        lines.append(R.Line(kind, line.count if line else 0, line.points if line else R.ZERO,
                            available=not unavailable.get(kind, False)).as_json())
    return lines


# --- computed sources arriving as events ----------------------------------------------------------


@events.attempt_finalised.connect
def _exam_result(sender, attempt=None, **_facts) -> None:
    """Keep the normalised result (updated when a regrade changes it), then rescore that person's month."""
    attempt = attempt or sender
    if not getattr(attempt, "max_score", None) or getattr(attempt, "finished_at", None) is None:
        return
    ref = str(attempt.id)
    percent = (Decimal(str(attempt.score)) * 100 / Decimal(str(attempt.max_score))).quantize(Decimal("0.1"))
    finished = clock.as_utc(attempt.finished_at)
    fact = db.session.scalars(select(ExamResultFact).where(ExamResultFact.attempt_ref == ref)).first()
    if fact is None:
        db.session.add(ExamResultFact(person_id=attempt.person_id, exam_slug=attempt.exam.slug, percent=percent,
                                      passed=bool(attempt.passed), finished_at=finished, attempt_ref=ref))
    elif (fact.percent, fact.passed) == (percent, bool(attempt.passed)):
        return
    else:
        fact.percent, fact.passed = percent, bool(attempt.passed)
    db.session.flush()
    recompute(month_of(clock.local_date(finished)), [attempt.person_id])
