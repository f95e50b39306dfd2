"""The month's score is computed twice over: set-based in SQL (services.recompute, for speed at 100k
people) and one rule kind at a time in Python (rules.py, which the rule tests pin to domain.md §5).
Random months of facts must get the same lines and total from both."""
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from app.extensions import db as _db
from app.scorecard import rules as R
from app.scorecard import services
from app.scorecard.models import EntryKind, ExamResultFact, RuleKind, WorkLogEntry

MONTH = date(2026, 9, 1)
days = st.integers(min_value=2, max_value=28)
visits = st.lists(st.tuples(days, st.one_of(st.none(), st.integers(min_value=-1, max_value=3))), max_size=4)
events = st.lists(st.tuples(st.booleans(), st.booleans(), st.one_of(st.none(), st.integers(min_value=0, max_value=7))), max_size=4)
service = st.lists(st.sampled_from(["70", "79.9", "80", "95", "95.5", "96", "99", "100"]), max_size=3)
satisfaction = st.lists(st.sampled_from(["5", "7.9", "8", "10"]), max_size=3)
exams = st.lists(st.tuples(st.sampled_from(["quiz-a", "quiz-b"]), st.sampled_from(["0", "50", "79.9", "80", "100"])), max_size=4)
severities = st.lists(st.integers(min_value=0, max_value=4), max_size=3)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(calls=st.integers(min_value=0, max_value=5), visits=visits, events=events, service=service,
       satisfaction=satisfaction, complaints=st.integers(min_value=0, max_value=2), severities=severities, exams=exams)
def test_sql_and_python_agree_on_every_line(org, make_person, calls, visits, events, service, satisfaction, complaints,
                                            severities, exams):
    person = _person(org, make_person)
    _db.session.execute(delete(WorkLogEntry).where(WorkLogEntry.person_id == person.id))
    _db.session.execute(delete(ExamResultFact).where(ExamResultFact.person_id == person.id))
    facts = R.MonthFacts(calls=calls, complaints=complaints, missed_learning=0,
                         service_scores=[Decimal(s) for s in service], satisfaction_scores=[Decimal(s) for s in satisfaction],
                         misconduct_severities=severities, exam_percents=_best_of_each(exams))
    entries = [_entry(person, EntryKind.call) for _ in range(calls)]
    entries += [_entry(person, EntryKind.complaint) for _ in range(complaints)]
    for day, before in visits:
        occurred = MONTH.replace(day=day)
        reported = None if before is None else occurred - timedelta(days=before)
        facts.visits.append(R.Visit(occurred, reported))
        entries.append(_entry(person, EntryKind.visit, occurred_on=occurred, reported_on=reported))
    for has_plan, has_results, creativity in events:
        facts.events.append(R.Event(has_plan, has_results, creativity))
        entries.append(_entry(person, EntryKind.event, plan="方案" if has_plan else "", results="总结" if has_results else "",
                              creativity=creativity))
    entries += [_entry(person, EntryKind.service_check, score=Decimal(s)) for s in service]
    entries += [_entry(person, EntryKind.satisfaction, score=Decimal(s)) for s in satisfaction]
    entries += [_entry(person, EntryKind.misconduct, severity=s) for s in severities]
    _db.session.add_all(entries)
    _db.session.add_all(ExamResultFact(person_id=person.id, exam_slug=slug, percent=Decimal(p), passed=Decimal(p) >= 80,
                                       finished_at=datetime(2026, 9, 15, 8, tzinfo=timezone.utc), attempt_ref=uuid.uuid4().hex[:20])
                        for slug, p in exams)
    _db.session.flush()

    services.recompute(MONTH, [person.id])
    expected = R.evaluate(facts, R.shipped_rules())
    stored = {line["kind"]: (line["count"], Decimal(line["points"])) for line in services.breakdown(person, MONTH)}
    assert stored == {line.kind.value: (line.count, line.points) for line in expected.lines}
    score = services.score_for(person, MONTH)
    assert (score.total if score else Decimal(0)) == expected.total
    assert (score.negatives if score else 0) == expected.negatives


def _best_of_each(results: list[tuple[str, str]]) -> list[Decimal]:
    best: dict[str, Decimal] = {}
    for slug, percent in results:
        best[slug] = max(best.get(slug, Decimal(percent)), Decimal(percent))
    return list(best.values())


def _person(org, make_person):
    """One person for every example (hypothesis runs them all inside one test)."""
    from app.accounts.models import Person

    found = _db.session.query(Person).filter_by(username="sqlcheck").one_or_none()
    return found or make_person(org["BJ-S01-001"], position="wealth_manager", username="sqlcheck")


def _entry(person, kind: EntryKind, **fields) -> WorkLogEntry:
    fields.setdefault("occurred_on", MONTH.replace(day=10))
    return WorkLogEntry(person_id=person.id, entered_by_id=person.id, kind=kind, customer="客户", **fields)
