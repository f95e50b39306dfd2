"""Evidence figures on small real data: exam attempts, plan enrolments and course ratings as the
exams, plans and courses domains store them (written here directly, as those domains would)."""
from datetime import date, datetime, timezone

import pytest

from app.core import clock
from app.extensions import db
from app.honours import evidence
from app.scorecard import services as scorecard

UNTIL = datetime(2026, 5, 20, 8, tzinfo=timezone.utc)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


@pytest.fixture
def people(org, make_person, ctx):
    clock.freeze(datetime(2026, 5, 20, 8))
    return {
        "coach": make_person(org["BJ-S01-001"], "outlet_head", username="coach"),
        "am": make_person(org["BJ-S01-001"], "wealth_manager", username="am"),
        "teller": make_person(org["BJ-S01-001"], "teller", username="teller"),
        "far": make_person(org["TJ-S01-001"], "wealth_manager", username="far"),  # another branch
        "author": make_person(org["HO"], "head_office_staff", username="author"),
    }


def attempt(person, exam, number, score, passed, graded):
    from app.exams.models import Attempt, AttemptState

    db.session.add(Attempt(exam=exam, person_id=person.id, number=number, seed=1, state=AttemptState.graded,
                           started_at=graded, finished_at=graded, max_score=20, score=score, passed=passed,
                           graded_at=graded))


def test_exam_pass_rate_and_average_from_graded_attempts(people, org):
    from app.exams.models import Attempt, AttemptState, Exam

    exam = Exam(slug="stage-1", title="阶段一", pass_percent=80)
    db.session.add(exam)
    attempt(people["am"], exam, 1, 12, False, at(date(2026, 5, 2)))     # 60
    attempt(people["am"], exam, 2, 18, True, at(date(2026, 5, 9)))      # 90
    attempt(people["teller"], exam, 1, 20, True, at(date(2026, 5, 10)))  # 100
    attempt(people["teller"], exam, 2, 4, False, at(date(2026, 6, 1)))   # after the date: not counted
    attempt(people["far"], exam, 1, 2, False, at(date(2026, 5, 3)))      # another outlet
    db.session.add(Attempt(exam=exam, person_id=people["coach"].id, number=1, seed=1, state=AttemptState.open,
                           max_score=20))                                 # still open: not a result
    db.session.flush()
    pass_rate, average = evidence.exam_figures(evidence._people_in(org["BJ-S01-001"]), UNTIL)
    assert pass_rate.value == round(2 / 3, 4)
    assert average.value == round((60 + 90 + 100) / 3, 1)


def plan(slug="transfer"):
    from app.plans.models import PlanTemplate, PlanVersion

    template = PlanTemplate(slug=slug, title="转岗")
    template.versions.append(PlanVersion(number=1, definition={"stages": []}, checksum="x"))
    db.session.add(template)
    return template


def enrol(person, template, start, completed=None, due=None, assessor=None):
    from app.plans.models import Enrolment, EnrolmentStage, Outcome, Progress

    enrolment = Enrolment(person_id=person.id, version=template.versions[0], template=template, start_date=start,
                          progress=Progress.completed if completed else Progress.active,
                          completed_at=at(completed) if completed else None)
    due = due or date(2026, 12, 31)
    enrolment.stages.append(EnrolmentStage(position=1, due_date=due, nominal_due_date=due,
                                           outcome=Outcome.passed if completed else Outcome.open,
                                           assessor_id=getattr(assessor, "id", None)))
    db.session.add(enrolment)
    return enrolment


def test_outlet_plan_figures_from_enrolments(people, org):
    template = plan()
    enrol(people["am"], template, date(2026, 4, 1), completed=date(2026, 4, 21), due=date(2026, 4, 30))  # on time, 20 days
    enrol(people["teller"], template, date(2026, 3, 1), completed=date(2026, 5, 11), due=date(2026, 5, 1))  # late, 71 days
    enrol(people["coach"], template, date(2026, 5, 1))                                                   # still going
    enrol(people["far"], template, date(2026, 4, 1), completed=date(2026, 4, 2))                          # elsewhere
    db.session.flush()
    figures = evidence.unit_programme_metrics(org["BJ-S01-001"], UNTIL)
    assert figures["headcount"].value == 3
    assert figures["people_completed"].value == 2
    assert figures["plan_completion"].value == round(2 / 3, 4)
    assert figures["on_time_rate"].value == 0.5
    assert figures["days_to_qualify"].value == 71  # the upper median of [20, 71]
    earlier = evidence.unit_programme_metrics(org["BJ-S01-001"], at(date(2026, 5, 1)))
    assert earlier["people_completed"].value == 1  # as of a date: the later completion is not yet there


def test_coach_evidence_counts_their_unit_and_the_trainees_they_assessed(people, org):
    from app.exams.models import Exam

    template = plan()
    enrol(people["am"], template, date(2026, 4, 1), completed=date(2026, 4, 11))
    enrol(people["far"], template, date(2026, 4, 1), completed=date(2026, 4, 21), assessor=people["coach"])
    enrol(people["coach"], template, date(2026, 4, 1), completed=date(2026, 4, 5), assessor=people["coach"])
    exam = Exam(slug="stage-1", title="阶段一", pass_percent=80)
    db.session.add(exam)
    attempt(people["far"], exam, 1, 20, True, at(date(2026, 5, 2)))
    attempt(people["teller"], exam, 1, 10, False, at(date(2026, 5, 2)))
    db.session.flush()
    figures = evidence.coach_evidence(people["coach"], UNTIL)
    assert figures["coached_people"].value == 3  # am and teller in the outlet, far assessed in TJ; not the coach
    assert figures["people_completed"].value == 2
    assert figures["plan_completion"].value == round(2 / 3, 4)
    assert figures["days_to_qualify"].value == 20  # [10, 20]
    assert figures["pass_rate"].value == 0.5


def test_faculty_evidence_from_published_versions_and_their_ratings(people):
    from app.courses.models import Course, CourseOrigin, CourseRating, CourseVersion

    def version(course, number, by, published):
        v = CourseVersion(course=course, number=number, content_hash=f"h{number}", title="课", title_en="Course",
                          part="daily", sort_order=1, minutes=30, source=CourseOrigin.web,
                          published_by_id=getattr(by, "id", None), published_at=at(published))
        db.session.add(v)
        return v

    first, second, third = (Course(slug=s, origin=CourseOrigin.web) for s in ("c1", "c2", "c3"))
    db.session.add_all([first, second, third])
    v1 = version(first, 1, people["author"], date(2026, 1, 5))
    v2 = version(first, 2, people["author"], date(2026, 3, 5))
    v3 = version(second, 1, people["author"], date(2026, 2, 5))
    v4 = version(third, 1, None, date(2026, 2, 5))            # synced from files: nobody's
    version(third, 2, people["author"], date(2026, 6, 1))     # after the date
    db.session.flush()
    for person, v, stars, day in [(people["am"], v1, 5, date(2026, 2, 1)), (people["teller"], v2, 3, date(2026, 4, 1)),
                                  (people["far"], v3, 4, date(2026, 4, 2)), (people["am"], v4, 1, date(2026, 4, 2)),
                                  (people["coach"], v3, 1, date(2026, 5, 30))]:  # rated after the date
        db.session.add(CourseRating(person_id=person.id, version_id=v.id, course_id=v.course_id, stars=stars,
                                    created_at=at(day)))
    db.session.flush()
    figures = evidence.faculty_evidence(people["author"], UNTIL)
    assert figures["sessions_taught"].value == 2
    assert figures["ratings"].value == 3 and figures["rating"].value == 4.0
    assert evidence.faculty_evidence(people["am"], UNTIL)["sessions_taught"].value == 0


def test_missed_learning_asks_the_plans_domain_for_trainees_only(people, monkeypatch):
    template = plan()
    enrol(people["am"], template, date(2026, 4, 1))
    enrol(people["teller"], template, date(2026, 4, 1))
    db.session.flush()
    asked = []

    def missed_items(person, start, end):
        asked.append(person.id)
        return 2 if person.id == people["am"].id else 0

    monkeypatch.setattr(evidence, "_function", lambda domain, name: missed_items if name == "missed_items" else None)
    result = evidence.missed_learning(date(2026, 5, 1), date(2026, 6, 1), lambda column: column.isnot(None))
    assert result == {people["am"].id: 2}
    assert sorted(asked) == sorted([people["am"].id, people["teller"].id])  # not the coach, who has no plan
    scorecard.recompute(date(2026, 5, 1))
    line = next(line for line in scorecard.breakdown(people["am"], date(2026, 5, 1))
                if line["kind"] == "missed_learning")
    assert line["count"] == 2 and line["points"] == "-2" and line["available"]


def test_missed_learning_is_not_available_without_a_source(monkeypatch):
    monkeypatch.setattr(evidence, "_function", lambda domain, name: None)
    assert evidence.missed_learning(date(2026, 5, 1), date(2026, 6, 1), lambda column: column.isnot(None)) is None
