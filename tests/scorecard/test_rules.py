"""Every rule of the shipped sub-branch set (domain.md §5), at its boundaries."""
from datetime import date
from decimal import Decimal

import pytest

from app.scorecard import rules as R
from app.scorecard.models import RuleKind

SHIPPED = R.shipped_rules()


def line(facts: R.MonthFacts, kind: RuleKind) -> R.Line:
    return next(line for line in R.evaluate(facts, SHIPPED).lines if line.kind is kind)


def test_phone_contacts_give_a_tenth_each():
    assert line(R.MonthFacts(calls=23), RuleKind.phone_contact).points == Decimal("2.3")
    assert line(R.MonthFacts(calls=0), RuleKind.phone_contact).points == 0


@pytest.mark.parametrize("reported, counts", [
    (date(2026, 5, 9), True),    # the day before
    (date(2026, 5, 1), True),    # well before
    (date(2026, 5, 10), False),  # the same day is too late
    (date(2026, 5, 11), False),  # reported afterwards
    (None, False),               # never reported
])
def test_a_visit_counts_only_if_reported_the_day_before(reported, counts):
    facts = R.MonthFacts(visits=[R.Visit(date(2026, 5, 10), reported)])
    assert line(facts, RuleKind.visit).points == (Decimal(5) if counts else 0)


def test_an_event_needs_plan_and_results_and_creativity_adds_up_to_five():
    facts = R.MonthFacts(events=[R.Event(True, True, 5), R.Event(True, True, 2), R.Event(True, False, 5),
                                 R.Event(True, True, None)])
    assert line(facts, RuleKind.event).count == 3
    assert line(facts, RuleKind.event).points == 15
    assert line(facts, RuleKind.event_creativity).points == 7  # the event without results earns nothing


def test_creativity_never_exceeds_five_per_event():
    facts = R.MonthFacts(events=[R.Event(True, True, 9)])
    assert line(facts, RuleKind.event_creativity).points == 5


@pytest.mark.parametrize("percent, points", [("79.9", "-0.5"), ("80", "0"), ("100", "0"), ("0", "-0.5")])
def test_exam_below_80_costs_half_a_point(percent, points):
    facts = R.MonthFacts(exam_percents=[Decimal(percent)])
    assert line(facts, RuleKind.exam_below).points == Decimal(points)


def test_exam_and_missed_learning_lines_are_not_available_without_their_source():
    facts = R.MonthFacts()
    assert not line(facts, RuleKind.exam_below).available
    assert not line(facts, RuleKind.missed_learning).available
    assert line(R.MonthFacts(missed_learning=3), RuleKind.missed_learning).points == -3


@pytest.mark.parametrize("severities, points", [([1], -1), ([3], -3), ([2, 3], -5), ([], 0)])
def test_non_standard_behaviour_costs_its_severity(severities, points):
    assert line(R.MonthFacts(misconduct_severities=severities), RuleKind.misconduct).points == points


@pytest.mark.parametrize("score, points", [
    ("0", -5), ("79", -5), ("79.5", -5), ("80", -2), ("95", -2), ("95.5", -2), ("96", 0), ("99", 0), ("100", 2),
])
def test_service_video_and_mystery_shopper_bands(score, points):
    assert line(R.MonthFacts(service_scores=[Decimal(score)]), RuleKind.service_check).points == points


@pytest.mark.parametrize("score, points", [("7.9", -2), ("8", 0), ("10", 0), ("0", -2)])
def test_satisfaction_below_8_costs_two(score, points):
    assert line(R.MonthFacts(satisfaction_scores=[Decimal(score)]), RuleKind.satisfaction).points == points


def test_each_complaint_costs_ten():
    assert line(R.MonthFacts(complaints=2), RuleKind.complaint).points == -20


def test_total_and_negatives_add_up():
    facts = R.MonthFacts(calls=10, complaints=1, service_scores=[Decimal(100)], misconduct_severities=[2])
    result = R.evaluate(facts, SHIPPED)
    assert result.total == Decimal("1") - 10 + 2 - 2
    assert result.negatives == 2  # the complaint and the behaviour; the +2 inspection is not a deduction


def test_an_edited_rule_changes_the_result():
    rules = [R.Rule(RuleKind.phone_contact, Decimal("0.5"))]
    assert R.evaluate(R.MonthFacts(calls=4), rules).total == 2
