"""Work log, rule sets and monthly scores. Services flush; the request or command commits."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, true

from app.accounts.models import Person
from app.core import audit, clock, events, policy
from app.core.errors import DomainError
from app.extensions import db
from app.honours import evidence
from app.org.models import OrgUnit, subtree_clause
from app.scorecard import rules as R
from app.scorecard.models import (EntryKind, ExamResultFact, MonthlyScore, RuleKind, ScorecardRule,
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


def _rule_sets_by_path() -> list[tuple[str, ScorecardRuleSet, list[R.Rule]]]:
    """Every rule set with its unit path, deepest first ("" for the bank default)."""
    default_rule_set()
    found = db.session.execute(select(ScorecardRuleSet, OrgUnit.path).outerjoin(OrgUnit)).all()
    sets = [(path or "", rule_set, [R.Rule(r.kind, r.points, r.lower, r.upper) for r in rule_set.rules if r.enabled])
            for rule_set, path in found]
    return sorted(sets, key=lambda item: len(item[0]), reverse=True)


def _rules_for(path: str, sets) -> tuple[ScorecardRuleSet, list[R.Rule]]:
    return next((rule_set, rules) for prefix, rule_set, rules in sets if path.startswith(prefix))


def _month_facts(month: date, people_filter) -> dict[int, R.MonthFacts]:
    """Each person's facts for the month, from the work log and the computed sources."""
    start, end = month, next_month(month)
    facts: dict[int, R.MonthFacts] = defaultdict(R.MonthFacts)
    rows = db.session.execute(
        select(WorkLogEntry.person_id, WorkLogEntry.kind, WorkLogEntry.occurred_on, WorkLogEntry.reported_on,
               WorkLogEntry.plan != "", WorkLogEntry.results != "", WorkLogEntry.creativity, WorkLogEntry.score,
               WorkLogEntry.severity)
        .where(WorkLogEntry.occurred_on >= start, WorkLogEntry.occurred_on < end, people_filter(WorkLogEntry.person_id))
    )
    for person_id, kind, day, reported, has_plan, has_results, creativity, score, severity in rows:
        _add_fact(facts[person_id], kind, day, reported, bool(has_plan), bool(has_results), creativity, score, severity)
    _add_computed(facts, start, end, people_filter)
    return facts


def _add_fact(f: R.MonthFacts, kind, day, reported, has_plan, has_results, creativity, score, severity) -> None:
    if kind is EntryKind.call:
        f.calls += 1
    elif kind is EntryKind.visit:
        f.visits.append(R.Visit(day, reported))
    elif kind is EntryKind.event:
        f.events.append(R.Event(has_plan, has_results, creativity))
    elif kind is EntryKind.service_check:
        f.service_scores.append(Decimal(score))
    elif kind is EntryKind.satisfaction:
        f.satisfaction_scores.append(Decimal(score))
    elif kind is EntryKind.complaint:
        f.complaints += 1
    elif kind is EntryKind.misconduct:
        f.misconduct_severities.append(severity or 1)


def _add_computed(facts: dict[int, R.MonthFacts], start: date, end: date, people_filter) -> None:
    """Exam results below the bar and missed learning, where their source domains exist."""
    if evidence.exams_available():
        rows = db.session.execute(
            select(ExamResultFact.person_id, ExamResultFact.percent)
            .where(ExamResultFact.finished_at >= evidence.day_start(start), ExamResultFact.finished_at < evidence.day_start(end),
                   people_filter(ExamResultFact.person_id))
        )
        for person_id, percent in rows:
            facts[person_id].exam_percents = (facts[person_id].exam_percents or []) + [Decimal(percent)]
        for f in facts.values():
            f.exam_percents = f.exam_percents if f.exam_percents is not None else []
    missed = evidence.missed_learning(start, end, people_filter)
    if missed is not None:
        wanted = set(db.session.scalars(select(Person.id).where(people_filter(Person.id))))
        for person_id, count in missed.items():
            if person_id in wanted:
                facts[person_id].missed_learning = count
        for f in facts.values():
            f.missed_learning = f.missed_learning or 0


def recompute(month: date, person_ids: Iterable[int] | None = None, scope: OrgUnit | None = None) -> int:
    """Recompute the month's scores for the given people, or everyone in `scope` (None: the bank).
    Set-based: one read per source, one delete, one bulk insert. Returns the rows written."""
    ids = None if person_ids is None else sorted(set(person_ids))
    people = select(Person.id).join(OrgUnit, OrgUnit.id == Person.org_unit_id)
    if scope is not None:
        people = people.where(subtree_clause(OrgUnit.path, scope.path))
    if ids is not None:
        people = people.where(Person.id.in_(ids))
    people_filter = (lambda column: column.in_(people)) if (ids is not None or scope is not None) else (lambda column: true())
    facts = _month_facts(month, people_filter)
    paths = dict(db.session.execute(
        select(Person.id, OrgUnit.path).join(OrgUnit, OrgUnit.id == Person.org_unit_id).where(people_filter(Person.id))
    ).all()) if facts else {}
    sets = _rule_sets_by_path()
    db.session.execute(delete(MonthlyScore).where(MonthlyScore.month == month, people_filter(MonthlyScore.person_id)))
    rows = [_score_row(person_id, month, f, *_rules_for(paths.get(person_id, ""), sets)) for person_id, f in facts.items()]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(MonthlyScore), rows[start:start + 5000])
    db.session.flush()
    return len(rows)


def _score_row(person_id: int, month: date, facts: R.MonthFacts, rule_set: ScorecardRuleSet, rules) -> dict:
    result = R.evaluate(facts, rules)
    return {"person_id": person_id, "month": month, "total": result.total, "negatives": result.negatives,
            "breakdown": [line.as_json() for line in result.lines], "rule_set_id": rule_set.id, "computed_at": clock.now()}


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


def empty_breakdown(person: Person) -> list[dict]:
    """The breakdown of a month with nothing logged, so the page still explains every rule."""
    facts = R.MonthFacts(exam_percents=[] if evidence.exams_available() else None,
                         missed_learning=0 if evidence.missed_learning_available() else None)
    return [line.as_json() for line in R.evaluate(facts, []).lines]


# --- computed sources arriving as events ----------------------------------------------------------


@events.attempt_finalised.connect
def _exam_result(sender, attempt=None, **_facts) -> None:
    """Keep the normalised result, then rescore that person's month."""
    attempt = attempt or sender
    if not getattr(attempt, "max_score", None) or getattr(attempt, "finished_at", None) is None:
        return
    ref = str(attempt.id)
    if db.session.scalars(select(ExamResultFact.id).where(ExamResultFact.attempt_ref == ref)).first():
        return
    percent = (Decimal(str(attempt.score)) * 100 / Decimal(str(attempt.max_score))).quantize(Decimal("0.1"))
    finished = clock.as_utc(attempt.finished_at)
    db.session.add(ExamResultFact(person_id=attempt.person_id, exam_slug=attempt.exam.slug, percent=percent,
                                  passed=bool(attempt.passed), finished_at=finished, attempt_ref=ref))
    db.session.flush()
    recompute(month_of(finished.date()), [attempt.person_id])
