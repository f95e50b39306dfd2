"""Demo learning: the demo trainee part-way through one course and finished (and rated) another; staff in the
demo branch and beyond with progress and ratings, so trainers' reports have something to show.
Courses are loaded by `flask courses sync` before the seed (make run does that); all through the real services."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person, PersonStatus
from app.core import clock
from app.courses import services
from app.demo.accounts import DEMO_BRANCH
from app.demo.steps import DemoContext, step
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause

COMMENTS = ["讲得很实用，回网点就能用。", "案例贴近实际，三换技巧很有帮助。", "表格清楚，便于复习。", "", ""]


@step(30)
def learning(context: DemoContext) -> None:
    offered = services.offered_versions()
    if not offered:
        context.report.append(_("Courses: none loaded (run flask courses sync before the seed); no demo progress."))
        return
    started = clock.now()
    try:
        _trainee(context.accounts.get("trainee"), offered, started)
        people = _others(context, offered, started)
    finally:
        clock.freeze(None)
    db.session.flush()
    context.report.append(_("Courses: demo progress for the trainee and %(people)d other staff.", people=people))


def _trainee(trainee: Person | None, offered, started) -> None:
    if trainee is None:
        return
    mine = [course for course, version in offered if version.meant_for(trainee.position)] or [c for c, _v in offered]
    finished = next((c for c in mine if c.slug == "complaint-handling"), mine[0])
    _read(trainee, finished, len(finished.current_version.lessons), started - timedelta(days=6))
    services.rate(trainee, finished, 5, COMMENTS[1])
    partly = next(c for c in mine + [c for c, _v in offered] if c.id != finished.id)
    _read(trainee, partly, 2, started - timedelta(days=1))


def _others(context: DemoContext, offered, started) -> int:
    rng = context.rng
    branch = context.bank.branches.get(DEMO_BRANCH) if context.bank else None
    query = select(Person).join(OrgUnit, OrgUnit.id == Person.org_unit_id).where(
        Person.status == PersonStatus.active, Person.username.is_(None)).order_by(Person.id)
    local = list(db.session.scalars(query.where(subtree_clause(OrgUnit.path, branch.path)).limit(60))) if branch else []
    elsewhere = list(db.session.scalars(query.limit(400)))
    people = local + rng.sample(elsewhere, min(40, len(elsewhere)))
    for index, person in enumerate(dict.fromkeys(people)):
        meant = [course for course, version in offered if version.meant_for(person.position)]
        for course in rng.sample(meant, min(len(meant), rng.randint(1, 3))):
            total = len(course.current_version.lessons)
            lessons = total if rng.random() < 0.55 else rng.randint(1, total)
            _read(person, course, lessons, started - timedelta(days=rng.randint(1, 60), minutes=index))
            if lessons == total and rng.random() < 0.8:
                services.rate(person, course, 5 if rng.random() < 0.9 else 4, rng.choice(COMMENTS))
    return len(dict.fromkeys(people))


def _read(person: Person, course, count: int, at) -> None:
    """Open and complete the first `count` lessons, a few minutes apart, counting reading time."""
    for number, lesson in enumerate(course.current_version.lessons[:count]):
        moment = at + timedelta(minutes=8 * number)
        clock.freeze(moment)
        services.opened_lesson(person, course, lesson)
        token = f"demo-{person.id}-{lesson.id}"
        services.heartbeat(person, course, lesson, token)
        clock.freeze(moment + timedelta(seconds=60))
        services.heartbeat(person, course, lesson, token)
        services.complete_lesson(person, course, lesson, automatic=number % 2 == 0)
