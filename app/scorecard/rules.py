"""Scorecard rule evaluation: one pure function per rule kind, from a person's month of facts and
the rule rows of that kind to one breakdown line. No database here, so every rule is testable alone.

Notes on the source (domain.md §5):
- service video / mystery shopper lists "below 80: −5; 80–95: −2; 100: +2" and says nothing of 96–99;
  the shipped set gives those 0 points (no row matches) rather than inventing a band.
- "80–95" is shipped as 80 ≤ score < 96, so a 95.5 still counts as "80–95".
- "exam below 80 points −0.5" counts each exam's best result of the month, so retaking a quiz to
  practise improves a result and never costs a second deduction.
- missed learning is computed from the learning domains, never typed in; while those do not say
  which items fell due, the line is shown as "not available" and adds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Callable, Iterable

from flask_babel import lazy_gettext as _l

from app.scorecard.models import RuleKind

ZERO = Decimal("0")


@dataclass
class Visit:
    occurred_on: date
    reported_on: date | None


@dataclass
class Event:
    has_plan: bool
    has_results: bool
    creativity: int | None


@dataclass
class MonthFacts:
    """Everything the rules read about one person in one month."""

    calls: int = 0
    visits: list[Visit] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    service_scores: list[Decimal] = field(default_factory=list)
    satisfaction_scores: list[Decimal] = field(default_factory=list)
    complaints: int = 0
    misconduct_severities: list[int] = field(default_factory=list)
    #: the month's best normalised (0–100) final result of each exam taken; None when the exams domain is absent
    exam_percents: list[Decimal] | None = None
    #: learning items due in the month and not done; None when no source says so
    missed_learning: int | None = None


@dataclass
class Rule:
    """A rule row as the evaluators see it (decoupled from the ORM row)."""

    kind: RuleKind
    points: Decimal
    lower: Decimal | None = None
    upper: Decimal | None = None

    def matches(self, value: Decimal) -> bool:
        return (self.lower is None or value >= self.lower) and (self.upper is None or value < self.upper)


@dataclass
class Line:
    """One line of the breakdown: how many items counted and the points they gave."""

    kind: RuleKind
    count: int
    points: Decimal
    available: bool = True

    def as_json(self) -> dict:
        return {"kind": self.kind.value, "count": self.count, "points": _plain(self.points), "available": self.available}


def _plain(value) -> str:
    """A number as people write it: "0.3", "-2", "10" (not "0.30", "-2.00", "1E+1")."""
    return format(Decimal(value).normalize(), "f")


def _per_item(kind: RuleKind, count: int, rules: list[Rule]) -> Line:
    return Line(kind, count, sum((rule.points * count for rule in rules), ZERO))


def _banded(kind: RuleKind, values: Iterable[Decimal], rules: list[Rule]) -> Line:
    """Each value takes the points of every band it falls in; count is the values that matched a band."""
    count, points = 0, ZERO
    for value in values:
        hits = [rule.points for rule in rules if rule.matches(value)]
        if hits:
            count += 1
            points += sum(hits, ZERO)
    return Line(kind, count, points)


def phone_contact(facts: MonthFacts, rules: list[Rule]) -> Line:
    return _per_item(RuleKind.phone_contact, facts.calls, rules)


def visit(facts: MonthFacts, rules: list[Rule]) -> Line:
    counted = sum(1 for v in facts.visits if v.reported_on is not None and (v.occurred_on - v.reported_on).days >= 1)
    return _per_item(RuleKind.visit, counted, rules)


def event(facts: MonthFacts, rules: list[Rule]) -> Line:
    """An event counts once it has both its plan (before) and its results (after)."""
    counted = sum(1 for e in facts.events if e.has_plan and e.has_results)
    return _per_item(RuleKind.event, counted, rules)


def event_creativity(facts: MonthFacts, rules: list[Rule]) -> Line:
    """Points per creativity point (0–5) of each complete, assessed event."""
    assessed = [e.creativity for e in facts.events if e.has_plan and e.has_results and e.creativity]
    weight = sum(min(max(value, 0), 5) for value in assessed)
    return Line(RuleKind.event_creativity, len(assessed), sum((rule.points * weight for rule in rules), ZERO))


def missed_learning(facts: MonthFacts, rules: list[Rule]) -> Line:
    if facts.missed_learning is None:
        return Line(RuleKind.missed_learning, 0, ZERO, available=False)
    return _per_item(RuleKind.missed_learning, facts.missed_learning, rules)


def exam_below(facts: MonthFacts, rules: list[Rule]) -> Line:
    if facts.exam_percents is None:
        return Line(RuleKind.exam_below, 0, ZERO, available=False)
    return _banded(RuleKind.exam_below, facts.exam_percents, rules)


def misconduct(facts: MonthFacts, rules: list[Rule]) -> Line:
    """Points per severity point: severity 1–3 gives −1…−3 with the shipped −1."""
    weight = sum(min(max(value, 1), 3) for value in facts.misconduct_severities)
    return Line(RuleKind.misconduct, len(facts.misconduct_severities), sum((rule.points * weight for rule in rules), ZERO))


def service_check(facts: MonthFacts, rules: list[Rule]) -> Line:
    return _banded(RuleKind.service_check, facts.service_scores, rules)


def satisfaction(facts: MonthFacts, rules: list[Rule]) -> Line:
    return _banded(RuleKind.satisfaction, facts.satisfaction_scores, rules)


def complaint(facts: MonthFacts, rules: list[Rule]) -> Line:
    return _per_item(RuleKind.complaint, facts.complaints, rules)


EVALUATORS: dict[RuleKind, Callable[[MonthFacts, list[Rule]], Line]] = {
    RuleKind.phone_contact: phone_contact,
    RuleKind.visit: visit,
    RuleKind.event: event,
    RuleKind.event_creativity: event_creativity,
    RuleKind.missed_learning: missed_learning,
    RuleKind.exam_below: exam_below,
    RuleKind.misconduct: misconduct,
    RuleKind.service_check: service_check,
    RuleKind.satisfaction: satisfaction,
    RuleKind.complaint: complaint,
}

RULE_LABELS = {
    RuleKind.phone_contact: _l("Phone contact with a customer"),
    RuleKind.visit: _l("Customer visit reported the day before"),
    RuleKind.event: _l("Event organised (plan before, results after)"),
    RuleKind.event_creativity: _l("Event creativity (per point, 0–5)"),
    RuleKind.missed_learning: _l("Learning item not completed"),
    RuleKind.exam_below: _l("Exam result (of 100)"),
    RuleKind.misconduct: _l("Non-standard behaviour (per severity point, 1–3)"),
    RuleKind.service_check: _l("Service video / mystery shopper score"),
    RuleKind.satisfaction: _l("Customer satisfaction score"),
    RuleKind.complaint: _l("Complaint"),
}

#: Kinds whose rows carry a value band [lower, upper).
BANDED = {RuleKind.exam_below, RuleKind.service_check, RuleKind.satisfaction}


def rule_label(kind: RuleKind | str) -> str:
    return str(RULE_LABELS[RuleKind(kind) if isinstance(kind, str) else kind])


@dataclass
class Result:
    total: Decimal
    negatives: int
    lines: list[Line]


def evaluate(facts: MonthFacts, rules: list[Rule]) -> Result:
    """Every rule kind over the month's facts; the total and the count of deductions."""
    by_kind: dict[RuleKind, list[Rule]] = {}
    for rule in rules:
        by_kind.setdefault(rule.kind, []).append(rule)
    lines = [EVALUATORS[kind](facts, by_kind.get(kind, [])) for kind in RuleKind]
    total = sum((line.points for line in lines), ZERO)
    negatives = sum(line.count for line in lines if line.points < 0)
    return Result(total, negatives, lines)


def D(value) -> Decimal:
    return Decimal(str(value))


#: The sub-branch rule set of domain.md §5, as shipped (kind, points, lower, upper).
SHIPPED_RULES: list[tuple[RuleKind, str, str | None, str | None]] = [
    (RuleKind.phone_contact, "0.1", None, None),
    (RuleKind.visit, "5", None, None),
    (RuleKind.event, "5", None, None),
    (RuleKind.event_creativity, "1", None, None),
    (RuleKind.missed_learning, "-1", None, None),
    (RuleKind.exam_below, "-0.5", None, "80"),
    (RuleKind.misconduct, "-1", None, None),
    (RuleKind.service_check, "-5", None, "80"),
    (RuleKind.service_check, "-2", "80", "96"),
    (RuleKind.service_check, "2", "100", None),
    (RuleKind.satisfaction, "-2", None, "8"),
    (RuleKind.complaint, "-10", None, None),
]
SHIPPED_NAME = "支行绩效考评细则"


def shipped_rules() -> list[Rule]:
    return [Rule(kind, D(points), D(lo) if lo else None, D(hi) if hi else None) for kind, points, lo, hi in SHIPPED_RULES]
