"""The one adapter to the other domains' figures: exams, learning plans, courses and certification.

Everything here calls those domains through their public services (the interface contract) or
reads the facts this package keeps from their events. When a source domain is not installed yet,
its figure is `None` and pages show "not available" — never a made-up number.
"""
from __future__ import annotations

import importlib
import importlib.util
from datetime import date, datetime
from dataclasses import asdict, dataclass
from functools import lru_cache

from sqlalchemy import case, func, or_, select


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
    from app.core import clock

    return clock.day_start(day)


def _models(name: str):
    """`app.<name>.models` if that domain exists, else None (read-only use: figures, never writes)."""
    if importlib.util.find_spec(f"app.{name}") is None or importlib.util.find_spec(f"app.{name}.models") is None:
        return None
    return importlib.import_module(f"app.{name}.models")


def exams_available() -> bool:
    """Exam results exist once the exams domain does."""
    return _function("exams", "best_attempt") is not None


def missed_learning_available() -> bool:
    return _function("plans", "missed_items") is not None


def missed_learning(start: date, end: date, people_filter) -> dict[int, int] | None:
    """Learning items that fell due in [start, end) and were not done, per person id, from
    `app.plans.services.missed_items(person, start, end) -> int`; None (shown as "not available")
    while the plans domain does not offer it. Only people with an enrolment begun before `end`
    are asked, so a bank-wide month costs one call per trainee, not per member of staff."""
    source = _function("plans", "missed_items")
    if source is None:
        return None
    from app.accounts.models import Person
    from app.plans.models import Enrolment

    learners = db_session().scalars(select(Person).where(
        people_filter(Person.id), Person.id.in_(select(Enrolment.person_id).where(Enrolment.start_date < end))))
    counts = {person.id: int(source(person, start, end) or 0) for person in learners}
    return {person_id: count for person_id, count in counts.items() if count}


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
    """Share of staff in licensed posts who hold their licence: certification's compliance view."""
    compliance = _compliance_function()
    if compliance is None:
        return NOT_AVAILABLE
    total = compliance(unit).total
    return _ratio(int(total.licensed), int(total.required))


def _compliance_function():
    """`app.certification.compliance.compliance` when the certification domain is installed."""
    if importlib.util.find_spec("app.certification") is None:
        return None
    return importlib.import_module("app.certification.compliance").compliance


def _people_in(unit, positions: tuple[str, ...] | None = None):
    from app.accounts.models import Person, PersonStatus
    from app.org.models import OrgUnit, subtree_clause

    query = (select(Person.id).join(OrgUnit, OrgUnit.id == Person.org_unit_id)
             .where(subtree_clause(OrgUnit.path, unit.path), Person.status == PersonStatus.active))
    return query.where(Person.position.in_(positions)) if positions else query


def exam_figures(people, until: datetime) -> tuple[Figure, Figure]:
    """(pass rate, average score of 100) over the final exam attempts of `people` graded by `until`.
    Read from the exams domain's attempts, so results from before this package existed count too."""
    models = _models("exams") if exams_available() else None
    if models is None:
        return NOT_AVAILABLE, NOT_AVAILABLE
    A = models.Attempt
    percent = A.score * 100.0 / A.max_score
    count, passed, average = db_session().execute(
        select(func.count(A.id), func.sum(case((A.passed.is_(True), 1), else_=0)), func.avg(percent))
        .where(A.person_id.in_(people), A.state == models.AttemptState.graded, A.max_score > 0,
               A.graded_at <= until)
    ).one()
    return _ratio(int(passed or 0), count), Figure(round(float(average), 1) if average is not None else None)


PLAN_FIGURES = ("plan_completion", "on_time_rate", "days_to_qualify", "people_completed")


def plan_figures(people, headcount: int, until: datetime) -> dict[str, Figure]:
    """Learning plans completed by `until`, read from the plans domain's enrolments: people who
    completed one per head, the share completed by their last stage's due date, median days taken."""
    models = _models("plans") if _function("plans", "plan_completed") is not None else None
    if models is None:
        return dict.fromkeys(PLAN_FIGURES, NOT_AVAILABLE)
    E, S = models.Enrolment, models.EnrolmentStage
    last_due = select(func.max(S.due_date)).where(S.enrolment_id == E.id).correlate(E).scalar_subquery()
    rows = db_session().execute(
        select(E.person_id, E.start_date, E.completed_at, last_due)
        .where(E.person_id.in_(people), E.progress == models.Progress.completed, E.completed_at <= until)
    ).all()
    completed_people = {row.person_id for row in rows}
    finished = [(clock_local_date(row.completed_at), row.start_date, row[3]) for row in rows]
    timed = [done <= due for done, _start, due in finished if due is not None]
    days = sorted((done - started).days for done, started, _due in finished)
    return {
        "plan_completion": _ratio(len(completed_people), headcount),
        "on_time_rate": _ratio(sum(timed), len(timed)),
        "days_to_qualify": Figure(days[len(days) // 2] if days else None),
        "people_completed": Figure(len(completed_people)),
    }


def clock_local_date(value: datetime) -> date:
    from app.core import clock

    return clock.local_date(value)


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
    return clock_local_date(until).replace(day=1)


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


def coached_people(person):
    """SELECT of the ids a coach coached: the staff of their unit (themselves excluded) and
    everyone whose learning-plan stage they were the assessor of, wherever that person works."""
    from app.accounts.models import Person

    people = _people_in(coached_unit(person)).where(Person.id != person.id)
    models = _models("plans")
    if models is None:
        return people
    assessed = (select(models.Enrolment.person_id)
                .join(models.EnrolmentStage, models.EnrolmentStage.enrolment_id == models.Enrolment.id)
                .where(models.EnrolmentStage.assessor_id == person.id, models.Enrolment.person_id != person.id))
    return select(Person.id).where(or_(Person.id.in_(people), Person.id.in_(assessed)))


def coach_evidence(person, until: datetime) -> dict[str, Figure]:
    """People coached (the coach's unit and the trainees they assessed in plans), how many of them
    completed a plan, their exam pass rate and average, and the median days to qualify."""
    people = coached_people(person)
    headcount = db_session().scalar(select(func.count()).select_from(people.subquery()))
    plans = plan_figures(people, headcount, until)
    pass_rate, average = exam_figures(people, until)
    return {"coached_people": Figure(headcount), "people_completed": plans["people_completed"],
            "plan_completion": plans["plan_completion"], "pass_rate": pass_rate, "average_score": average,
            "days_to_qualify": plans["days_to_qualify"]}


def faculty_evidence(person, until: datetime) -> dict[str, Figure]:
    """Courses the person authored or revised (published a version of, by `until`) and the learners'
    ratings of those versions given by then, read from the courses domain."""
    models = _models("courses")
    if models is None:
        return {"sessions_taught": NOT_AVAILABLE, "rating": NOT_AVAILABLE, "ratings": NOT_AVAILABLE}
    V, R = models.CourseVersion, models.CourseRating
    authored = select(V.id).where(V.published_by_id == person.id, V.published_at <= until)
    courses = db_session().scalar(select(func.count(func.distinct(V.course_id))).where(V.id.in_(authored)))
    count, average = db_session().execute(
        select(func.count(R.id), func.avg(R.stars)).where(R.version_id.in_(authored), R.created_at <= until)).one()
    return {"sessions_taught": Figure(int(courses)), "rating": Figure(round(float(average), 2) if average is not None else None),
            "ratings": Figure(int(count))}


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
                "ratings", "score", "branch_rank"]
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
        "sessions_taught": _l("Courses authored or revised"), "rating": _l("Average learner rating (of 5)"),
        "ratings": _l("Learner ratings received"),
        "score": _l("Scorecard score this month"), "branch_rank": _l("Rank in the branch (same position)"),
    }
