"""Work log, scores, rule sets, rankings and import against the database."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.accounts.models import Role
from app.core import clock
from app.core.errors import DomainError
from app.core.tabular import TableInvalid
from app.extensions import db as _db
from app.org.models import OrgKind
from app.scorecard import imports, rankings, services
from app.scorecard.models import EntryKind, MonthlyScore
from app.scorecard.services import EntryInput

MAY = date(2026, 5, 1)


@pytest.fixture(autouse=True)
def _may(ctx):
    clock.freeze(datetime(2026, 5, 20, 8))


@pytest.fixture
def people(org, make_person):
    outlet = org["BJ-S01-001"]
    return {
        "am1": make_person(outlet, "wealth_manager", name="甲经理"),
        "am2": make_person(outlet, "wealth_manager", name="乙经理"),
        "am3": make_person(org["BJ-S01-002"], "wealth_manager", name="丙经理"),
        "tj": make_person(org["TJ-S01-001"], "wealth_manager", name="丁经理"),
        "head": make_person(org["BJ"], "pf_manager", roles=[(Role.branch_head, org["BJ"])]),
        "admin": make_person(org["HO"], "head_office_staff", roles=[(Role.admin, None)]),
    }


def call(day=date(2026, 5, 10), **kw):
    return EntryInput(kind=EntryKind.call, occurred_on=day, customer="客户A", **kw)


def total(person, month=MAY):
    score = services.score_for(person, month)
    return score.total if score else Decimal(0)


def test_logging_calls_and_a_reported_visit_scores_them(people):
    am = people["am1"]
    for _ in range(3):
        services.add_entry(am, am, call())
    services.add_entry(am, am, EntryInput(EntryKind.visit, date(2026, 5, 12), "客户B", reported_on=date(2026, 5, 11)))
    services.add_entry(am, am, EntryInput(EntryKind.visit, date(2026, 5, 13), "客户C", reported_on=date(2026, 5, 13)))
    assert total(am) == Decimal("5.3")
    lines = {line["kind"]: line for line in services.breakdown(am, MAY)}
    assert lines["visit"]["count"] == 1 and lines["phone_contact"]["count"] == 3


def test_inspection_items_are_entered_by_a_head_in_scope_only(people):
    am, head = people["am1"], people["head"]
    item = EntryInput(EntryKind.service_check, date(2026, 5, 10), score=Decimal(79))
    with pytest.raises(DomainError):
        services.add_entry(am, am, item)  # not by the person themselves
    services.add_entry(head, am, item)
    assert total(am) == -5
    with pytest.raises(DomainError):
        services.add_entry(head, people["tj"], item)  # TJ is outside the BJ head's scope
    with pytest.raises(DomainError):
        services.add_entry(head, am, call())  # calls are the person's own to log


def test_event_counts_once_results_are_in_and_creativity_adds(people):
    am, head = people["am1"], people["head"]
    entry = services.add_entry(am, am, EntryInput(EntryKind.event, date(2026, 5, 15), "幸福小区", plan="理财讲座"))
    assert total(am) == 0
    services.record_results(am, entry, "到场60人，新客20户")
    assert total(am) == 5
    services.assess_creativity(head, entry, 4)
    assert total(am) == 9
    with pytest.raises(DomainError):
        services.assess_creativity(head, entry, 6)


def test_bad_entries_are_refused_with_the_field_named(people):
    am = people["am1"]
    problems = services.entry_problems(EntryInput(EntryKind.call, date(2026, 6, 1), ""), date(2026, 5, 20))
    assert {name for name, _m in problems} == {"occurred_on", "customer"}
    with pytest.raises(DomainError):
        services.add_entry(am, am, EntryInput(EntryKind.event, date(2026, 5, 1), "X", plan=""))
    assert _db.session.query(MonthlyScore).count() == 0


def test_removing_an_entry_recomputes(people):
    am = people["am1"]
    entry = services.add_entry(am, am, call())
    services.delete_entry(am, entry)
    assert services.score_for(am, MAY) is None


def test_a_branch_rule_set_overrides_the_default_for_its_subtree(people, org):
    am, tj, head = people["am1"], people["tj"], people["head"]
    services.add_entry(am, am, call())
    services.add_entry(tj, tj, call())
    rule_set = services.create_override(head, org["BJ"])
    phone = next(r for r in rule_set.rules if r.kind.value == "phone_contact")
    changes = [services.RuleChange(r.id, Decimal("1") if r is phone else r.points, r.lower, r.upper, r.enabled)
               for r in rule_set.rules]
    services.update_rules(head, rule_set, rule_set.name, changes)
    assert total(am) == 1 and total(tj) == Decimal("0.1")
    with pytest.raises(Exception):
        services.create_override(head, org["TJ"])  # outside the head's scope
    services.delete_override(head, rule_set)
    assert total(am) == Decimal("0.1")


def test_ranking_orders_by_score_then_fewer_deductions_then_employee_no(people, org):
    am1, am2, am3, head = people["am1"], people["am2"], people["am3"], people["head"]
    # am1: +2 (100 on mystery shopper) -2 (satisfaction 7) = 0 with two... one deduction
    services.add_entry(head, am1, EntryInput(EntryKind.service_check, date(2026, 5, 3), score=Decimal(100)))
    services.add_entry(head, am1, EntryInput(EntryKind.satisfaction, date(2026, 5, 3), score=Decimal(7)))
    # am2: 0 with no deductions → ahead of am1 at the same total
    # am3: 0.3 → first
    for _ in range(3):
        services.add_entry(am3, am3, call())
    rows = rankings.person_ranking(org["BJ"], MAY, "wealth_manager")
    assert [r.person_id for r in rows] == [am3.id, am2.id, am1.id]
    assert [r.rank for r in rows] == [1, 2, 3] and rows[0].of == 3
    assert rankings.rank_of(am1, org["BJ-S01-001"], MAY).rank == 2
    # equal score and deductions: the lower employee number wins
    assert rankings.rank_of(am1, org["HO"], MAY).of == 4


def test_unit_ranking_is_per_head(people, org, make_person):
    am1, am3 = people["am1"], people["am3"]
    services.add_entry(am1, am1, call())  # outlet 001: 0.1 over 2 heads
    services.add_entry(am3, am3, call())  # outlet 002: 0.1 over 1 head
    rows = rankings.unit_ranking(org["BJ"], OrgKind.outlet, MAY)
    assert [r.code for r in rows] == ["BJ-S01-002", "BJ-S01-001"]
    assert float(rows[0].per_head) == pytest.approx(0.1)
    branches = rankings.unit_ranking(org["HO"], OrgKind.branch, MAY)
    assert [r.code for r in branches][0] == "BJ" and branches[0].headcount == 4


def test_person_trend_gives_score_and_rank_per_month(people, org):
    am1 = people["am1"]
    services.add_entry(am1, am1, call(date(2026, 4, 3)))
    trend = rankings.person_trend(am1, org["BJ-S01"], [date(2026, 4, 1), MAY])
    assert [(p.month, p.total, p.rank) for p in trend] == [(date(2026, 4, 1), Decimal("0.1"), 1), (MAY, 0, 1)]


CSV = """工号,类型,日期,客户,报备日期,分数,严重程度,备注
{am},电话,2026-05-02,客户A,,,,
{am},拜访,2026-05-03,客户B,2026-05-02,,,
"""


def test_import_saves_all_rows_and_scores(people):
    am = people["am1"]
    result = imports.import_work_log(CSV.format(am=am.employee_no).encode(), "log.csv", am)
    assert result.entries == 2 and total(am) == Decimal("5.1")


def test_import_with_any_bad_row_saves_nothing_and_names_row_and_column(people):
    am, tj = people["am1"], people["tj"]
    bad = CSV.format(am=am.employee_no) + f"{am.employee_no},飞行,2026-05-04,,,,,\n{tj.employee_no},电话,2026-05-04,X,,,,\n" \
                                          f"{am.employee_no},神秘人检查,2026-13-01,,,abc,,\n"
    with pytest.raises(TableInvalid) as invalid:
        imports.import_work_log(bad.encode(), "log.csv", am)
    found = {(e.row, e.column) for e in invalid.value.errors}
    assert {(4, "kind"), (5, "employee_no"), (6, "occurred_on"), (6, "score")} <= found
    _db.session.rollback()
    assert services.score_for(am, MAY) is None


def test_exam_results_below_80_count_once_the_exams_domain_reports_them(people, monkeypatch):
    from types import SimpleNamespace

    from app.core import events
    from app.honours import evidence

    monkeypatch.setattr(evidence, "exams_available", lambda: True)
    am = people["am1"]
    attempt = SimpleNamespace(id=991, person_id=am.id, exam=SimpleNamespace(slug="stage-1"), score=15, max_score=20,
                              passed=False, finished_at=datetime(2026, 5, 5, 9))
    # the receiver connected to attempt_finalised, called directly: other domains' receivers expect a real attempt
    assert services._exam_result in [r() for r in events.attempt_finalised.receivers.values()]
    services._exam_result(attempt, attempt=attempt)
    services._exam_result(attempt, attempt=attempt)  # sent twice, counted once
    assert total(am) == Decimal("-0.5")


def test_only_each_exams_best_result_of_the_month_counts(people):
    from types import SimpleNamespace

    am = people["am1"]

    def result(attempt_id, slug, score, day):
        attempt = SimpleNamespace(id=attempt_id, person_id=am.id, exam=SimpleNamespace(slug=slug), score=score, max_score=100,
                                  passed=score >= 80, finished_at=datetime(2026, 5, day, 9))
        services._exam_result(attempt, attempt=attempt)

    result(1001, "quiz-team-building", 70, 3)
    result(1002, "quiz-team-building", 75, 4)  # a retake that still falls short: one deduction, not two
    assert total(am) == Decimal("-0.5")
    result(1003, "quiz-team-building", 90, 5)  # practice paid off: no deduction at all
    assert total(am) == Decimal("0")
    result(1004, "stage-1", 60, 6)  # another exam counts on its own
    assert total(am) == Decimal("-0.5")
