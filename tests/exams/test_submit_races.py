"""Double submit, two tabs and the deadline sweeper racing: exactly one graded result, decided
by the database (a conditional UPDATE), on SQLite and PostgreSQL alike (separate connections)."""
from datetime import timedelta

from sqlalchemy import func, select

from app.core import clock
from app.core.audit import AuditEvent
from app.exams import services
from app.exams.models import Attempt, AttemptState
from app.extensions import db as _db
from tests.conftest import race
from tests.exams.test_attempt_services import T0, answer_all


def run_together(app, attempt_id: int, actions) -> list:
    """Each action gets the attempt as loaded in its own session."""
    return race(app, [lambda action=action: action(_db.session.get(Attempt, attempt_id)) for action in actions])


def finishes(db, attempt_id):
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "attempt.finish", AuditEvent.object_id == str(attempt_id)))


def test_many_simultaneous_submits_grade_once(app, db, exams, trainee):
    attempt = services.start_or_resume(exams["auto"], trainee)
    answer_all(attempt)
    db.session.commit()
    errors = run_together(app, attempt.id, [services.submit] * 6)
    assert errors == []
    db.session.expire_all()
    assert finishes(db, attempt.id) == 1
    assert attempt.state is AttemptState.graded and attempt.score == 5


def test_submit_races_the_deadline_sweeper(app, db, exams, trainee):
    clock.freeze(T0)
    attempt = services.start_or_resume(exams["auto"], trainee)
    answer_all(attempt)
    db.session.commit()
    clock.freeze(attempt.deadline + timedelta(minutes=5))
    errors = run_together(app, attempt.id, [services.submit, lambda a: services.close_overdue(), services.submit,
                                             lambda a: services.close_overdue()])
    assert errors == []
    db.session.expire_all()
    assert finishes(db, attempt.id) == 1
    assert attempt.finished_at == attempt.deadline and attempt.score == 5


def test_two_tabs_saving_the_same_question_keep_both_steps(app, db, exams, trainee):
    from app.exams.views import save_with_retry

    attempt = services.start_or_resume(exams["auto"], trainee)
    db.session.commit()
    fill = next(s.slot for s in attempt.slots if s.version.type == "fill")
    errors = run_together(app, attempt.id, [lambda a, i=i: save_with_retry(a.id, a.person_id, fill, {"text": f"答{i}"}, f"tab-{i}")
                                             for i in range(4)])
    assert errors == []
    steps = services.latest_steps(attempt.id)
    from app.exams.models import AnswerStep

    rows = db.session.scalars(select(AnswerStep).where(AnswerStep.attempt_id == attempt.id)).all()
    assert sorted(r.sequence for r in rows) == [1, 2, 3, 4] and steps[fill].sequence == 4


def test_two_simultaneous_starts_make_one_attempt(app, db, exams, trainee):
    from app.accounts.models import Person

    ids = []
    person_id = trainee.id  # read here: the fixture's object belongs to this thread's session

    def start():
        ids.append(services.start_or_resume(services.exam_by_slug("t-auto"), _db.session.get(Person, person_id)).id)

    errors = race(app, [start] * 3)
    assert errors == [] and len(set(ids)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_saves_racing_a_submit_are_either_graded_or_refused(app, db, exams, trainee):
    from app.exams.models import AttemptClosed
    from app.exams.views import save_with_retry

    attempt = services.start_or_resume(exams["auto"], trainee)
    db.session.commit()
    fill = next(s.slot for s in attempt.slots if s.version.type == "fill")

    def save(i):
        def action(a):
            try:
                save_with_retry(a.id, a.person_id, fill, {"text": f"答{i}"}, f"late-{i}")
            except AttemptClosed:
                pass  # refused: fine, as long as nothing lands after the submit
        return action

    errors = run_together(app, attempt.id, [save(0), save(1), services.submit, save(2), save(3)])
    assert errors == []
    db.session.expire_all()
    latest = services.latest_steps(attempt.id).get(fill)
    slot = next(s for s in attempt.slots if s.slot == fill)
    assert attempt.state is AttemptState.graded
    assert (latest.id if latest else None) == slot.graded_step_id  # the graded answer is the last one stored
