"""What trainers see about a course: ratings, and who started and finished it by org unit.
Each figure is one grouped query over the people the viewer may see (policy.course_report_scope)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal, or_, select, true

from app.accounts.models import Person, PersonStatus
from app.core import policy
from app.courses.models import Course, CourseRating, CourseState, CourseVersion, Lesson, LessonCompletion, LessonVisit
from app.extensions import db
from app.org.models import OrgUnit


@dataclass
class RatingSummary:
    label: str
    count: int = 0
    total: int = 0
    distribution: dict[int, int] = field(default_factory=lambda: {star: 0 for star in range(1, 6)})

    @property
    def average(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None

    def add(self, stars: int, count: int) -> None:
        self.count += count
        self.total += stars * count
        self.distribution[stars] = self.distribution.get(stars, 0) + count


def ratings(course: Course) -> tuple[RatingSummary, list[tuple[CourseVersion, RatingSummary]]]:
    """The whole course and each version: count, average (two decimals) and 1–5 distribution."""
    rows = db.session.execute(
        select(CourseRating.version_id, CourseRating.stars, func.count())
        .where(CourseRating.course_id == course.id).group_by(CourseRating.version_id, CourseRating.stars)
    ).all()
    overall = RatingSummary("all")
    per_version = {version.id: RatingSummary(str(version.number)) for version in course.versions}
    for version_id, stars, count in rows:
        overall.add(stars, count)
        per_version[version_id].add(stars, count)
    return overall, [(v, per_version[v.id]) for v in reversed(course.versions)]


def comments(course: Course, limit: int = 20) -> list[CourseRating]:
    return list(db.session.scalars(
        select(CourseRating).where(CourseRating.course_id == course.id, CourseRating.comment != "")
        .order_by(CourseRating.updated_at.desc()).limit(limit)))


def _done_per_person(course: Course):
    """Subquery: person_id, lessons of the current version completed (unchanged content)."""
    return (select(LessonCompletion.person_id.label("person_id"), func.count().label("done"))
            .join(Lesson, and_(Lesson.version_id == course.current_version_id, Lesson.slug == LessonCompletion.lesson_slug,
                               Lesson.content_hash == LessonCompletion.content_hash))
            .where(LessonCompletion.course_id == course.id).group_by(LessonCompletion.person_id).subquery())


def _population(course: Course, viewer, state, done):
    """Active people the viewer may see who are meant for the course or have started it."""
    positions = course.current_version.positions
    meant = Person.position.in_(positions) if positions else true()
    return (select(Person).join(OrgUnit, OrgUnit.id == Person.org_unit_id)
            .outerjoin(state, and_(state.c.person_id == Person.id))
            .outerjoin(done, done.c.person_id == Person.id)
            .where(Person.status == PersonStatus.active, policy.in_scope_clause(OrgUnit.path, viewer, policy.COURSE_REPORT_ROLES),
                   or_(meant, state.c.person_id.is_not(None))))


def _states(course: Course):
    return select(CourseState.person_id, CourseState.last_seen_at).where(CourseState.course_id == course.id).subquery()


@dataclass
class UnitRow:
    unit: OrgUnit
    own: bool  # people placed directly in the unit viewed, not in a child
    people: int
    started: int
    finished: int

    @property
    def rate(self) -> float:
        return self.finished / self.people if self.people else 0.0


def by_unit(course: Course, viewer, unit: OrgUnit) -> list[UnitRow]:
    """Per child of `unit` (plus those placed in `unit` itself): people, started, finished — one query."""
    total = len(course.current_version.lessons)
    state, done = _states(course), _done_per_person(course)
    child = OrgUnit.__table__.alias("child")
    upper = func.substr(child.c.path, 1, func.length(child.c.path) - 1) + literal("0")
    grouping = or_(
        and_(child.c.parent_id == unit.id, OrgUnit.path >= child.c.path, OrgUnit.path < upper),
        and_(child.c.id == unit.id, OrgUnit.id == unit.id),
    )
    population = _population(course, viewer, state, done).join(child, grouping).with_only_columns(
        child.c.id, func.count(Person.id), func.count(state.c.person_id),
        func.sum(case((func.coalesce(done.c.done, 0) >= total, 1), else_=0)),
    ).group_by(child.c.id)
    counts = {row[0]: row[1:] for row in db.session.execute(population)}
    units = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(list(counts))))}
    rows = [UnitRow(units[uid], uid == unit.id, people, started, int(finished or 0))
            for uid, (people, started, finished) in counts.items()]
    return sorted(rows, key=lambda r: (not r.own, r.unit.code))


@dataclass
class LearnerRow:
    person: Person
    done: int
    last_seen_at: object
    seconds: int


def learners(course: Course, viewer, finished: bool | None = None):
    """A select of people in the viewer's scope who started the course, with lessons done, last seen and
    time spent (for paging). `finished`: only those who did (True) or did not (False) finish."""
    total = len(course.current_version.lessons)
    state, done = _states(course), _done_per_person(course)
    seconds = (select(LessonVisit.person_id, func.sum(LessonVisit.seconds).label("seconds"))
               .where(LessonVisit.course_id == course.id).group_by(LessonVisit.person_id).subquery())
    query = (_population(course, viewer, state, done).outerjoin(seconds, seconds.c.person_id == Person.id)
             .where(state.c.person_id.is_not(None))
             .add_columns(func.coalesce(done.c.done, 0), state.c.last_seen_at, func.coalesce(seconds.c.seconds, 0))
             .order_by(state.c.last_seen_at.desc(), Person.id))
    if finished is True:
        query = query.where(func.coalesce(done.c.done, 0) >= total)
    elif finished is False:
        query = query.where(func.coalesce(done.c.done, 0) < total)
    return query
