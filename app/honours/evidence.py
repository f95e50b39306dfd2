"""The one adapter to the other domains' figures: exams, learning plans, courses and certification.

Everything here calls those domains through their public services (the interface contract) or
reads the facts this package keeps from their events. When a source domain is not installed yet,
its figure is `None` and pages show "not available" — never a made-up number.
"""
from __future__ import annotations

import importlib
import importlib.util
from datetime import date, datetime, time, timezone
from dataclasses import asdict, dataclass
from functools import lru_cache

from sqlalchemy import Integer, func, select


@lru_cache(maxsize=None)
def _module(name: str):
    """`app.<name>.services` if that domain exists, else None."""
    qualified = f"app.{name}.services"
    if importlib.util.find_spec(f"app.{name}") is None or importlib.util.find_spec(qualified) is None:
        return None
    return importlib.import_module(qualified)


def _function(domain: str, name: str):
    module = _module(domain)
    return getattr(module, name, None) if module is not None else None


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def exams_available() -> bool:
    """Exam results reach us through `attempt_finalised`; they exist once the exams domain does."""
    return _function("exams", "best_attempt") is not None


def missed_learning_available() -> bool:
    return _function("plans", "missed_items") is not None


def missed_learning(start: date, end: date, people_filter) -> dict[int, int] | None:
    """Learning items that fell due in [start, end) and were not done, per person id.

    The plans contract does not (yet) say which items fall due when; this asks for
    `app.plans.services.missed_items(start, end) -> {person_id: count}` and reports None
    (shown as "not available") while that does not exist."""
    source = _function("plans", "missed_items")
    if source is None:
        return None
    return {int(person_id): int(count) for person_id, count in source(start, end).items()}


# --- figures ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """One evidence figure: its value, or not available when its source domain is absent."""

    value: float | int | None
    available: bool = True

    def as_json(self) -> dict:
        return asdict(self)


NOT_AVAILABLE = Figure(None, False)


def _ratio(part: int, whole: int) -> Figure:
    return Figure(round(part / whole, 4) if whole else None)


def licensed_share(unit) -> Figure:
    """Share of staff in licensed posts who hold their licence, from certification's `compliance(unit)`."""
    compliance = _function("certification", "compliance") or _compliance_module()
    if compliance is None:
        return NOT_AVAILABLE
    result = compliance(unit)
    total = getattr(result, "total", None)
    if total is not None and hasattr(total, "required"):
        # certification's Compliance: licensed people among those whose post requires a licence
        return _ratio(int(total.licensed), int(total.required))
    for name in ("share", "licensed_share", "rate", "ratio"):
        value = result.get(name) if isinstance(result, dict) else getattr(result, name, None)
        if value is not None:
            return Figure(round(float(value), 4))
    return Figure(round(float(result), 4)) if isinstance(result, (int, float)) else NOT_AVAILABLE


def _compliance_module():
    """certification keeps `compliance(unit)` in its compliance module rather than services (contract drift)."""
    if importlib.util.find_spec("app.certification") is None or importlib.util.find_spec("app.certification.compliance") is None:
        return None
    return getattr(importlib.import_module("app.certification.compliance"), "compliance", None)


def _people_in(unit, positions: tuple[str, ...] | None = None):
    from app.accounts.models import Person, PersonStatus
    from app.org.models import OrgUnit, subtree_clause

    query = (select(Person.id).join(OrgUnit, OrgUnit.id == Person.org_unit_id)
             .where(subtree_clause(OrgUnit.path, unit.path), Person.status == PersonStatus.active))
    return query.where(Person.position.in_(positions)) if positions else query


def exam_figures(people, until: datetime) -> tuple[Figure, Figure]:
    """(pass rate, average score of 100) of the final exam results of `people` up to `until`."""
    if not exams_available():
        return NOT_AVAILABLE, NOT_AVAILABLE
    from app.scorecard.models import ExamResultFact

    count, passed, average = db_session().execute(
        select(func.count(ExamResultFact.id), func.sum(func.cast(ExamResultFact.passed, Integer())), func.avg(ExamResultFact.percent))
        .where(ExamResultFact.person_id.in_(people), ExamResultFact.finished_at <= until)
    ).one()
    return _ratio(int(passed or 0), count), Figure(round(float(average), 1) if average is not None else None)


def plan_figures(people, headcount: int, until: datetime) -> dict[str, Figure]:
    """Completed learning plans (from `plan_completed` events): completion per head, on-time rate, days to complete."""
    if _function("plans", "plan_completed") is None:
        return {"plan_completion": NOT_AVAILABLE, "on_time_rate": NOT_AVAILABLE, "days_to_qualify": NOT_AVAILABLE,
                "people_completed": NOT_AVAILABLE}
    from app.honours.models import PlanCompletionFact as F

    rows = db_session().execute(
        select(F.person_id, F.on_time, F.days).where(F.person_id.in_(people), F.completed_at <= until)
    ).all()
    completed_people = {row.person_id for row in rows}
    timed = [row.on_time for row in rows if row.on_time is not None]
    days = sorted(row.days for row in rows if row.days is not None)
    return {
        "plan_completion": _ratio(len(completed_people), headcount),
        "on_time_rate": _ratio(sum(timed), len(timed)),
        "days_to_qualify": Figure(days[len(days) // 2] if days else None),
        "people_completed": Figure(len(completed_people)),
    }


def db_session():
    from app.extensions import db

    return db.session


def unit_programme_metrics(unit, until: datetime | None = None) -> dict[str, Figure]:
    """Programme figures of a unit as of `until` (default now): licensed share, plan completion
    per head and on-time rate, exam pass rate and average score. Headcount-normalised."""
    from app.core import clock

    until = until or clock.now()
    people = _people_in(unit)
    headcount = db_session().scalar(select(func.count()).select_from(people.subquery()))
    pass_rate, average = exam_figures(people, until)
    plans = plan_figures(people, headcount, until)
    return {"headcount": Figure(headcount), "licensed_share": licensed_share(unit), **plans,
            "pass_rate": pass_rate, "average_score": average}


# --- evidence per honour ------------------------------------------------------------------------


def _month_of(until: datetime):
    return until.date().replace(day=1)


def outlet_evidence(unit, until: datetime) -> dict[str, Figure]:
    """Model outlet: licensed share, plan completion and on-time rate, exam pass rate and average, scorecard rank."""
    from app.scorecard import rankings

    figures = unit_programme_metrics(unit, until)
    figures.pop("days_to_qualify", None)
    branch = _ancestor(unit, "branch")
    rank, of = _unit_rank(rankings, branch, unit, _month_of(until)) if branch else (None, None)
    figures["scorecard_rank"] = Figure(rank)
    figures["scorecard_of"] = Figure(of)
    return figures


def _ancestor(unit, kind_name: str):
    from app.org.models import OrgKind, OrgUnit

    return db_session().scalars(
        select(OrgUnit).where(OrgUnit.id.in_(unit.ancestor_ids()), OrgUnit.kind == OrgKind[kind_name])
    ).first()


def _unit_rank(rankings, scope, unit, month):
    row = next((r for r in rankings.unit_ranking(scope, unit.kind, month) if r.unit_id == unit.id), None)
    return (row.rank, row.of) if row else (None, None)


def coached_unit(person):
    """Whom a coach coaches: an outlet head their outlet, a personal-finance manager their sub-branch."""
    return person.org_unit


def coach_evidence(person, until: datetime) -> dict[str, Figure]:
    """People coached through plans (completions by the staff of the coach's unit, the coach excluded),
    their exam pass rate and median days to qualify."""
    from app.accounts.models import Person

    people = _people_in(coached_unit(person)).where(Person.id != person.id)
    headcount = db_session().scalar(select(func.count()).select_from(people.subquery()))
    plans = plan_figures(people, headcount, until)
    pass_rate, average = exam_figures(people, until)
    return {"coached_people": Figure(headcount), "people_completed": plans["people_completed"],
            "plan_completion": plans["plan_completion"], "pass_rate": pass_rate, "average_score": average,
            "days_to_qualify": plans["days_to_qualify"]}


def faculty_evidence(person, until: datetime) -> dict[str, Figure]:
    """Courses or sessions taught and their ratings. The courses contract names no such service yet;
    this asks for `app.courses.services.teaching_record(person, until) -> (taught, average_rating)`."""
    source = _function("courses", "teaching_record")
    if source is None:
        return {"sessions_taught": NOT_AVAILABLE, "rating": NOT_AVAILABLE}
    taught, rating = source(person, until)
    return {"sessions_taught": Figure(int(taught)), "rating": Figure(round(float(rating), 2) if rating is not None else None)}


def performer_evidence(person, until: datetime) -> dict[str, Figure]:
    """STYLE award: the month's scorecard score and the rank among the same position in the branch."""
    from app.scorecard import rankings
    from app.org.models import OrgKind

    month = _month_of(until)
    branch = rankings.peer_scope(person, OrgKind.branch) or person.org_unit
    row = rankings.rank_of(person, branch, month)
    return {"score": Figure(float(row.total) if row else None), "branch_rank": Figure(row.rank if row else None),
            "branch_of": Figure(row.of if row else None)}


EVIDENCE = {"outlet": outlet_evidence, "coach": coach_evidence, "faculty": faculty_evidence, "performer": performer_evidence}

#: What each figure is called on the page, in display order.
FIGURE_ORDER = ["headcount", "licensed_share", "plan_completion", "on_time_rate", "people_completed", "pass_rate",
                "average_score", "scorecard_rank", "coached_people", "days_to_qualify", "sessions_taught", "rating",
                "score", "branch_rank"]
PERCENT_FIGURES = {"licensed_share", "plan_completion", "on_time_rate", "pass_rate"}


def compute(evidence_kind: str, nominee, until: datetime) -> dict[str, Figure]:
    return EVIDENCE[evidence_kind](nominee, until)


def figure_labels() -> dict:
    from flask_babel import lazy_gettext as _l

    return {
        "headcount": _l("Staff"), "licensed_share": _l("Licensed share in licensed posts"),
        "plan_completion": _l("Plan completion per head"), "on_time_rate": _l("Plans completed on time"),
        "people_completed": _l("People who completed a plan"), "pass_rate": _l("Exam pass rate"),
        "average_score": _l("Average exam score (of 100)"), "scorecard_rank": _l("Scorecard rank among the branch's outlets"),
        "coached_people": _l("People coached"), "days_to_qualify": _l("Median days to qualify"),
        "sessions_taught": _l("Courses or sessions taught"), "rating": _l("Average rating (of 5)"),
        "score": _l("Scorecard score this month"), "branch_rank": _l("Rank in the branch (same position)"),
    }
