"""Progress, completion carry-over across versions, the completion event, time on page, ratings."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.core import clock, events
from app.core.errors import DomainError
from app.courses import authoring, services
from app.courses.models import CourseRating, LessonVisit
from app.extensions import db


@pytest.fixture
def learner(org, make_person):
    return make_person(org["BJ-S01-001"], position="teller")


def _complete_all(person, course):
    for lesson in course.current_version.lessons:
        services.complete_lesson(person, course, lesson)


def test_progress_and_completion(synced, learner):
    alpha = synced["alpha"]
    assert services.course_progress(learner, "alpha") == 0.0
    services.complete_lesson(learner, alpha, alpha.current_version.lessons[0])
    assert services.course_progress(learner, "alpha") == 0.5
    assert not services.course_completed(learner, "alpha")
    services.complete_lesson(learner, alpha, alpha.current_version.lessons[1])
    assert services.course_completed(learner, "alpha")
    assert services.course_progress(learner, "no-such-course") == 0.0


def test_course_completed_event_is_sent_once(synced, learner):
    alpha = synced["alpha"]
    received = []

    def receiver(sender, **facts):
        received.append((sender, facts["course"].slug))

    events.course_completed.connect(receiver)
    try:
        _complete_all(learner, alpha)
        services.complete_lesson(learner, alpha, alpha.current_version.lessons[0])  # again: no second event
    finally:
        events.course_completed.disconnect(receiver)
    assert received == [(learner, "alpha")]


def _republish(course, actor, lesson_slug, new_body):
    draft = authoring.start_draft(course, actor)
    lesson = draft.lesson(lesson_slug)
    authoring.save_lesson(draft, lesson, {"title": lesson.title, "title_en": lesson.title_en, "minutes": lesson.minutes,
                                          "body_md": new_body}, actor)
    return authoring.publish(course, actor)


def test_completions_carry_over_for_unchanged_lessons_only(synced, learner, org, make_person):
    trainer = make_person(org["HO"], roles=[(Role.trainer, org["HO"])])
    alpha = synced["alpha"]
    _complete_all(learner, alpha)
    old_version = alpha.current_version
    new_version = _republish(alpha, trainer, "two", "全新的流程内容。")
    assert new_version.number == 2 and alpha.current_version_id == new_version.id
    status = {l.slug: services.lesson_status(l, services.completions(learner, alpha).get(l.slug)) for l in new_version.lessons}
    assert status == {"one": "done", "two": "changed"}
    assert services.course_progress(learner, "alpha") == 0.5
    assert old_version.lesson("two").body_md != "全新的流程内容。"  # the published version never changed
    services.complete_lesson(learner, alpha, new_version.lesson("two"))
    assert services.course_completed(learner, "alpha")


def test_time_on_page_counts_gaps_and_caps_each_view(synced, learner):
    alpha = synced["alpha"]
    lesson = alpha.current_version.lessons[0]  # 10 minutes: cap is max(10 min, 30 min)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    clock.freeze(start)
    assert services.heartbeat(learner, alpha, lesson, "view-1") == 0
    clock.freeze(start + timedelta(seconds=30))
    assert services.heartbeat(learner, alpha, lesson, "view-1") == 30
    clock.freeze(start + timedelta(hours=3))  # the tab slept: one gap counts at most MAX_BEAT_GAP
    assert services.heartbeat(learner, alpha, lesson, "view-1") == 30 + services.MAX_BEAT_GAP
    moment = start + timedelta(hours=3)
    for _ in range(100):
        moment += timedelta(seconds=60)
        clock.freeze(moment)
        seconds = services.heartbeat(learner, alpha, lesson, "view-1")
    assert seconds == 30 * 60
    assert services.seconds_in_course(learner, alpha) == 30 * 60


def test_a_view_token_cannot_be_reused_for_another_person_or_lesson(synced, learner, org, make_person):
    alpha = synced["alpha"]
    services.heartbeat(learner, alpha, alpha.current_version.lessons[0], "view-x")
    other = make_person(org["BJ"])
    with pytest.raises(DomainError):
        services.heartbeat(other, alpha, alpha.current_version.lessons[0], "view-x")
    with pytest.raises(DomainError):
        services.heartbeat(learner, alpha, alpha.current_version.lessons[1], "view-x")
    assert db.session.scalar(select(LessonVisit.seconds).where(LessonVisit.token == "view-x")) == 0


def test_rating_needs_a_finished_course_and_is_one_per_version(synced, learner, org, make_person):
    alpha = synced["alpha"]
    with pytest.raises(DomainError):
        services.rate(learner, alpha, 5, "")
    _complete_all(learner, alpha)
    for bad in (0, 6):
        with pytest.raises(DomainError):
            services.rate(learner, alpha, bad, "")
    services.rate(learner, alpha, 4, "好")
    services.rate(learner, alpha, 5, "很好")  # edits, does not add
    rows = db.session.scalars(select(CourseRating)).all()
    assert [(r.stars, r.comment) for r in rows] == [(5, "很好")]
    trainer = make_person(org["HO"], roles=[(Role.trainer, org["HO"])])
    _republish(alpha, trainer, "one", "新版本。")
    services.complete_lesson(learner, alpha, alpha.current_version.lesson("one"))
    services.rate(learner, alpha, 3, "")
    assert db.session.query(CourseRating).count() == 2  # one per version


def test_rating_averages_two_decimals(synced, org, make_person):
    from app.courses import reports

    alpha = synced["alpha"]
    stars = [5] * 49 + [4]  # 4.98, as the programme reports
    for value in stars:
        person = make_person(org["TJ-S01-001"], position="teller", password=None)
        _complete_all(person, alpha)
        services.rate(person, alpha, value, "")
    overall, per_version = reports.ratings(alpha)
    assert overall.average == 4.98 and overall.count == 50
    assert overall.distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 49}
    assert per_version[0][1].average == 4.98


def test_catalog_filters_by_position_and_search_finds_chinese_inside_text(synced, learner, org, make_person):
    slugs = [e.course.slug for e in services.catalog(learner)]
    assert slugs == ["beta", "alpha"]  # daily before risk; alpha is for tellers, beta for everyone
    lobby = make_person(org["BJ-S01-001"], position="lobby_manager")
    assert [e.course.slug for e in services.catalog(lobby)] == ["beta"]
    assert [e.course.slug for e in services.catalog(lobby, show_all=True)] == ["beta", "alpha"]
    hits = services.search("三换")
    assert [(h.course.slug, h.lesson.slug) for h in hits] == [("alpha", "one")]
    assert hits[0].match == "三换"
    assert [h.lesson.slug for h in services.search("COHESION")] == ["first"]  # English, any case
    assert services.search("100%") == [] and services.search("_") == []  # wildcards are literal


def test_retired_courses_leave_the_catalog_and_search(synced, learner, org, make_person):
    trainer = make_person(org["HO"], roles=[(Role.trainer, org["HO"])])
    authoring.retire(synced["alpha"], trainer)
    assert [e.course.slug for e in services.catalog(learner, show_all=True)] == ["beta"]
    assert services.search("三换") == []
    with pytest.raises(DomainError):
        authoring.retire(synced["alpha"], trainer)


def test_two_requests_completing_the_same_lesson_at_once_both_succeed(app, synced, learner):
    """The end-of-page beat and a click on "mark as complete" can arrive together (seen as a 500)."""
    from app.accounts.models import Person
    from app.courses.models import Course, CourseState, LessonCompletion
    from tests.conftest import race

    course_id, person_id = synced["alpha"].id, learner.id

    def complete():
        course = db.session.get(Course, course_id)
        services.complete_lesson(db.session.get(Person, person_id), course, course.current_version.lessons[0])

    errors = race(app, [complete] * 3)
    assert errors == []
    assert len(db.session.scalars(select(LessonCompletion).where(LessonCompletion.person_id == person_id)).all()) == 1
    assert len(db.session.scalars(select(CourseState).where(CourseState.person_id == person_id)).all()) == 1
