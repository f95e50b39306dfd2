"""What learners do with courses: catalog, search, reading, completing, time on page, rating.

Interface for other domains: `course_progress(person, course_slug)`, `course_completed(person, course_slug)`;
`app.core.events.course_completed` is sent when a person's last missing lesson of the current version is completed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import undefer
from werkzeug.exceptions import NotFound

from app.core import clock, events
from app.core.database import add_or_existing
from app.core.errors import DomainError
from app.courses.models import (Course, CourseRating, CourseState, CourseVersion, Lesson, LessonCompletion,
                                LessonVisit)
from app.extensions import db

#: "Continue where you left off" moves only when another lesson is opened or after this pause,
#: so re-reading one page costs no write.
STATE_REFRESH = timedelta(minutes=10)
#: Longest gap between two heartbeats that still counts as reading (the page beats every 30 s).
MAX_BEAT_GAP = 75
#: Time counted for one view of a lesson is capped, so a tab left open does not count hours.
MIN_VIEW_CAP = 10 * 60


# --- finding courses ----------------------------------------------------------------------------

def offered_course(slug: str) -> Course:
    """The course learners may open, or 404."""
    course = db.session.scalars(select(Course).where(Course.slug == slug)).one_or_none()
    if course is None or not course.is_offered:
        raise NotFound()
    return course


def lesson_of(course: Course, lesson_slug: str) -> Lesson:
    lesson = course.current_version.lesson(lesson_slug)
    if lesson is None:
        raise NotFound()
    return lesson


def offered_versions() -> list[tuple[Course, CourseVersion]]:
    rows = db.session.execute(
        select(Course, CourseVersion).join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .where(Course.retired_at.is_(None)).order_by(CourseVersion.part, CourseVersion.sort_order, Course.slug)
    )
    return [(course, version) for course, version in rows]


@dataclass
class CatalogEntry:
    course: Course
    version: CourseVersion
    lessons: int
    done: int
    meant_for_me: bool

    @property
    def progress(self) -> float:
        return self.done / self.lessons if self.lessons else 0.0


def catalog(person, show_all: bool = False) -> list[CatalogEntry]:
    """Offered courses in part and order; only those meant for the person's position unless `show_all`."""
    counts = lesson_counts()
    done = done_by_course(person)
    entries = []
    for course, version in offered_versions():
        mine = version.meant_for(person.position)
        if mine or show_all:
            entries.append(CatalogEntry(course, version, counts.get(version.id, 0), done.get(course.id, 0), mine))
    return entries


def lesson_counts() -> dict[int, int]:
    return dict(db.session.execute(select(Lesson.version_id, func.count()).group_by(Lesson.version_id)).all())


def _current_match():
    """Join condition: a completion that counts for its course's current version (same lesson, same content)."""
    return and_(Lesson.version_id == Course.current_version_id, Lesson.slug == LessonCompletion.lesson_slug,
                Lesson.content_hash == LessonCompletion.content_hash)


def done_by_course(person) -> dict[int, int]:
    """Course id → how many lessons of its current version the person has completed."""
    query = (select(LessonCompletion.course_id, func.count()).join(Course, Course.id == LessonCompletion.course_id)
             .join(Lesson, _current_match()).where(LessonCompletion.person_id == person.id)
             .group_by(LessonCompletion.course_id))
    return dict(db.session.execute(query).all())


@dataclass
class SearchHit:
    course: Course
    version: CourseVersion
    lesson: Lesson | None
    before: str
    match: str
    after: str


def search(query: str, limit: int = 50) -> list[SearchHit]:
    """Substring search over lesson titles and text of offered courses (works for Chinese, which has no spaces)."""
    needle = " ".join(query.split())[:100]
    if len(needle) < 1:
        return []
    pattern = "%" + needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = db.session.execute(
        select(Course, CourseVersion, Lesson).options(undefer(Lesson.search_text))
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .join(Lesson, Lesson.version_id == CourseVersion.id)
        .where(Course.retired_at.is_(None), func.lower(Lesson.search_text).like(pattern, escape="\\"))
        .order_by(CourseVersion.part, CourseVersion.sort_order, Lesson.position).limit(limit)
    )
    return [_hit(course, version, lesson, needle) for course, version, lesson in rows]


def _hit(course, version, lesson, needle: str) -> SearchHit:
    text = lesson.search_text
    at = text.lower().find(needle.lower())
    if at < 0:
        return SearchHit(course, version, lesson, text[:80], "", "")
    start = max(at - 30, 0)
    end = at + len(needle)
    return SearchHit(course, version, lesson, ("…" if start else "") + text[start:at], text[at:end],
                     text[end:end + 60] + ("…" if end + 60 < len(text) else ""))


# --- progress -----------------------------------------------------------------------------------

def completions(person, course: Course) -> dict[str, LessonCompletion]:
    rows = db.session.scalars(select(LessonCompletion).where(
        LessonCompletion.person_id == person.id, LessonCompletion.course_id == course.id))
    return {row.lesson_slug: row for row in rows}


def lesson_status(lesson: Lesson, completion: LessonCompletion | None) -> str:
    """"done", "changed" (completed, but the lesson changed since) or "todo"."""
    if completion is None:
        return "todo"
    return "done" if completion.content_hash == lesson.content_hash else "changed"


def progress_of(person, course: Course) -> float:
    lessons = course.current_version.lessons
    done = completions(person, course)
    finished = sum(1 for lesson in lessons if lesson_status(lesson, done.get(lesson.slug)) == "done")
    return finished / len(lessons) if lessons else 0.0


def course_progress(person, course_slug: str) -> float:
    """Share (0.0–1.0) of the current version's lessons the person has completed; 0.0 for unknown courses."""
    course = db.session.scalars(select(Course).where(Course.slug == course_slug)).one_or_none()
    if course is None or course.current_version is None:
        return 0.0
    return progress_of(person, course)


def course_completed(person, course_slug: str) -> bool:
    return course_progress(person, course_slug) >= 1.0


def lesson_completed(person, slug: str) -> bool:
    """Is the lesson "<course>/<lesson>" completed in its offered course's current version (not changed
    since)? False for a course or lesson that is not offered."""
    course_slug, _, lesson_slug = slug.partition("/")
    try:
        course = offered_course(course_slug)
        lesson = lesson_of(course, lesson_slug)
    except NotFound:
        return False
    return lesson_status(lesson, completions(person, course).get(lesson.slug)) == "done"


def complete_lesson(person, course: Course, lesson: Lesson, *, automatic: bool = False) -> bool:
    """Mark the lesson read (again, if it changed since). Sends course_completed when this finishes the
    course. Returns whether the course is now complete."""
    before = progress_of(person, course)
    row = completions(person, course).get(lesson.slug)
    if row is None:  # two requests may get here at once (the end-of-page beat and a click)
        row = add_or_existing(LessonCompletion(person_id=person.id, course_id=course.id, lesson_slug=lesson.slug,
                                               content_hash=lesson.content_hash, version_id=lesson.version_id,
                                               automatic=automatic, completed_at=clock.now()),
                              lambda: completions(person, course).get(lesson.slug))
    if row.content_hash != lesson.content_hash:
        row.content_hash, row.version_id, row.automatic, row.completed_at = (
            lesson.content_hash, lesson.version_id, automatic, clock.now())
    state = _state(person, course, lesson)
    db.session.flush()
    after = progress_of(person, course)
    if after >= 1.0 and before < 1.0:
        state.completed_at = state.completed_at or clock.now()
        db.session.flush()
        events.course_completed.send(person, person=person, course=course)
    return after >= 1.0


def opened_lesson(person, course: Course, lesson: Lesson) -> bool:
    """Remember where the person is, for "continue where you left off" (at most one write per pause).
    Returns whether anything was written."""
    state = _stored_state(person, course)
    if state is not None and state.last_lesson_slug == lesson.slug and clock.now() - state.last_seen_at < STATE_REFRESH:
        return False
    _state(person, course, lesson, state)
    db.session.flush()
    return True


def _stored_state(person, course: Course) -> CourseState | None:
    return db.session.scalars(select(CourseState).where(
        CourseState.person_id == person.id, CourseState.course_id == course.id)).one_or_none()


def _state(person, course: Course, lesson: Lesson, state: CourseState | None = None) -> CourseState:
    if state is None:
        state = _stored_state(person, course)
    if state is None:
        state = add_or_existing(CourseState(person_id=person.id, course_id=course.id, last_lesson_slug=lesson.slug),
                                lambda: _stored_state(person, course))
    state.last_lesson_slug, state.last_seen_at = lesson.slug, clock.now()
    return state


def continue_points(person, limit: int = 3) -> list[tuple[CourseState, Course, CourseVersion, Lesson | None]]:
    """The courses the person opened most recently, with the lesson to continue at."""
    rows = db.session.execute(
        select(CourseState, Course, CourseVersion).join(Course, Course.id == CourseState.course_id)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .where(CourseState.person_id == person.id, Course.retired_at.is_(None))
        .order_by(CourseState.last_seen_at.desc()).limit(limit)
    )
    return [(state, course, version, version.lesson(state.last_lesson_slug) or (version.lessons or [None])[0])
            for state, course, version in rows]


# --- time on page -------------------------------------------------------------------------------

def heartbeat(person, course: Course, lesson: Lesson, token: str) -> int:
    """Count the time since this view's previous beat (at most MAX_BEAT_GAP), up to the view's cap.
    Returns the seconds counted for the view so far."""
    if not token or len(token) > 40:
        raise DomainError(_("The page view id is missing or too long."), 400)
    visit = db.session.scalars(select(LessonVisit).where(LessonVisit.token == token)).one_or_none()
    now = clock.now()
    if visit is None:
        visit = LessonVisit(token=token, person_id=person.id, lesson_id=lesson.id, course_id=course.id,
                            started_at=now, last_beat_at=now, seconds=0)
        db.session.add(visit)
    elif visit.person_id != person.id or visit.lesson_id != lesson.id:
        raise DomainError(_("This page view belongs to another lesson."), 400)
    else:
        gap = int((now - clock.as_utc(visit.last_beat_at)).total_seconds())
        cap = max(MIN_VIEW_CAP, 3 * lesson.minutes * 60)
        visit.seconds = min(cap, visit.seconds + max(0, min(gap, MAX_BEAT_GAP)))
        visit.last_beat_at = now
    db.session.flush()
    return visit.seconds


def seconds_in_course(person, course: Course) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(LessonVisit.seconds), 0)).where(
        LessonVisit.person_id == person.id, LessonVisit.course_id == course.id)) or 0


# --- ratings ------------------------------------------------------------------------------------

def my_rating(person, course: Course) -> CourseRating | None:
    return db.session.scalars(select(CourseRating).where(
        CourseRating.person_id == person.id, CourseRating.version_id == course.current_version_id)).one_or_none()


def rate(person, course: Course, stars: int, comment: str) -> CourseRating:
    """Rate the current version (once per version; rating again edits it). Only after finishing the course."""
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise DomainError(_("A rating is 1 to 5 stars."), 422)
    if len(comment or "") > 2000:
        raise DomainError(_("The comment is longer than 2,000 characters."), 422)
    if progress_of(person, course) < 1.0:
        raise DomainError(_("You can rate a course once you have completed all its lessons."), 409)
    rating = my_rating(person, course)
    if rating is None:
        rating = CourseRating(person_id=person.id, course_id=course.id, version_id=course.current_version_id)
        db.session.add(rating)
    rating.stars, rating.comment = stars, (comment or "").strip()
    db.session.flush()
    return rating
