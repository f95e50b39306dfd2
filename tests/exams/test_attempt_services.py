"""Attempts: start fixes the question set, order and deadline; saves append steps; submit
grades once; the deadline closes overdue attempts with their saved answers."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.core import clock
from app.core.audit import AuditEvent
from app.core.errors import DomainError
from app.exams import services
from app.exams.models import GRACE, AnswerStep, AttemptClosed, AttemptState
from app.extensions import db as _db

T0 = datetime(2026, 3, 4, 2, 0, tzinfo=timezone.utc)  # a Wednesday, 10:00 in Beijing


def right_answer(slot):
    definition, order = slot.version.definition, slot.option_order
    kind = slot.version.type
    if kind == "single":
        return {"choice": order.index(next(i for i, o in enumerate(definition["options"]) if o["correct"]))}
    if kind == "multiple":
        return {"choices": [order.index(i) for i, o in enumerate(definition["options"]) if o["correct"]]}
    if kind == "truefalse":
        return {"value": definition["answer"]}
    if kind == "fill":
        return {"text": definition["answers"][0]}
    return {"note": "done"}


def answer_all(attempt):
    for slot in attempt.slots:
        services.save_answer(attempt, slot.slot, right_answer(slot))


def test_start_fixes_questions_order_and_deadline(db, exams, trainee):
    clock.freeze(T0)
    attempt = services.start_or_resume(exams["auto"], trainee)
    db.session.commit()
    assert attempt.deadline == T0 + timedelta(minutes=30)
    assert attempt.slot_count == 4 and attempt.max_score == 5
    assert {s.version.question.slug for s in attempt.slots} == {"t-single", "t-multiple", "t-truefalse", "t-fill"}
    # sections keep their order even when questions are shuffled within them
    assert [s.section for s in attempt.slots] == [0, 0, 1, 1]
    order = [(s.question_version_id, list(s.option_order)) for s in attempt.slots]
    again = services.start_or_resume(exams["auto"], trainee)
    assert again.id == attempt.id and [(s.question_version_id, list(s.option_order)) for s in again.slots] == order


def test_an_attempt_keeps_the_version_it_was_given(db, exams, trainee):
    from tests.questions import bank
    from app.questions import services as qs

    attempt = services.start_or_resume(exams["auto"], trainee)
    db.session.commit()
    given = {s.version.question.slug: s.question_version_id for s in attempt.slots}
    qs.import_sources([qs.SourceFile("bank.yaml", bank.QUESTIONS.replace("晨会应每天召开。", "晨会每天召开。"))])
    db.session.commit()
    db.session.expire_all()
    assert {s.version.question.slug: s.question_version_id for s in attempt.slots} == given
    assert services.submit(attempt).state is AttemptState.graded


def test_full_marks_and_pass(db, exams, trainee):
    attempt = services.start_or_resume(exams["auto"], trainee)
    answer_all(attempt)
    services.submit(attempt)
    db.session.commit()
    assert attempt.state is AttemptState.graded and attempt.score == 5 and attempt.passed
    assert services.best_attempt(trainee, "t-auto").id == attempt.id and services.exam_passed(trainee, "t-auto")


def test_answers_are_an_append_only_log_and_the_latest_counts(db, exams, trainee):
    attempt = services.start_or_resume(exams["auto"], trainee)
    slot = next(s for s in attempt.slots if s.version.type == "fill")
    services.save_answer(attempt, slot.slot, {"text": "十九"})
    services.save_answer(attempt, slot.slot, {"text": "２０"})
    db.session.commit()
    steps = db.session.scalars(select(AnswerStep).where(AnswerStep.attempt_id == attempt.id)).all()
    assert [(s.sequence, s.response) for s in steps] == [(1, {"text": "十九"}), (2, {"text": "２０"})]
    services.submit(attempt)
    assert slot.fraction == 1.0


def test_a_retried_save_is_stored_once(db, exams, trainee):
    from app.exams.views import save_with_retry

    attempt = services.start_or_resume(exams["auto"], trainee)
    db.session.commit()
    first = save_with_retry(attempt.id, trainee.id, 1, right_answer(attempt.slots[0]), "c-1")
    again = save_with_retry(attempt.id, trainee.id, 1, right_answer(attempt.slots[0]), "c-1")
    assert again.replayed and again.sequence == first.sequence
    assert db.session.scalar(select(func.count()).select_from(AnswerStep)) == 1


def test_invalid_answers_are_refused_with_the_question_number(db, exams, trainee):
    attempt = services.start_or_resume(exams["auto"], trainee)
    single = next(s for s in attempt.slots if s.version.type == "single")
    with pytest.raises(DomainError) as error:
        services.save_answer(attempt, single.slot, {"choice": 9})
    assert error.value.status == 422 and str(single.slot) in error.value.message
    with pytest.raises(DomainError):
        services.save_answer(attempt, 99, {"choice": 1})


def test_submit_is_idempotent(db, exams, trainee):
    attempt = services.start_or_resume(exams["auto"], trainee)
    answer_all(attempt)
    services.submit(attempt)
    finished = attempt.finished_at
    services.submit(attempt)
    db.session.commit()
    assert attempt.finished_at == finished
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "attempt.finish")) == 1
    with pytest.raises(AttemptClosed):
        services.save_answer(attempt, 1, right_answer(attempt.slots[0]))


# --- deadline edges, frozen clock ----------------------------------------------------------------
def test_saves_accepted_until_deadline_plus_grace_then_refused(db, exams, trainee):
    clock.freeze(T0)
    attempt = services.start_or_resume(exams["auto"], trainee)
    db.session.commit()
    clock.freeze(attempt.deadline + GRACE)  # the last instant that still counts
    services.save_answer(attempt, 1, right_answer(attempt.slots[0]))
    db.session.commit()
    clock.freeze(attempt.deadline + GRACE + timedelta(microseconds=1))
    with pytest.raises(AttemptClosed) as error:
        services.save_answer(attempt, 2, right_answer(attempt.slots[1]))
    assert "已结束" in error.value.message  # "This attempt is closed …", in the default language
    db.session.commit()
    assert attempt.state is not AttemptState.open and attempt.finished_at == attempt.deadline
    assert attempt.finished_by == "deadline"


def test_overdue_attempt_is_closed_lazily_with_saved_answers_and_finish_time_is_the_deadline(db, exams, trainee):
    clock.freeze(T0)
    attempt = services.start_or_resume(exams["auto"], trainee)
    answer_all(attempt)
    db.session.commit()
    clock.freeze(T0 + timedelta(hours=3))
    services.touch(attempt)
    db.session.commit()
    assert attempt.state is AttemptState.graded and attempt.score == 5 and attempt.finished_at == attempt.deadline


def test_close_overdue_command(db, exams, trainee, runner):
    clock.freeze(T0)
    attempt = services.start_or_resume(exams["auto"], trainee)
    services.save_answer(attempt, 1, right_answer(attempt.slots[0]))
    db.session.commit()
    clock.freeze(attempt.deadline + GRACE)
    assert "0" in runner.invoke(args=["exams", "close-overdue"]).output  # still within grace
    clock.freeze(attempt.deadline + GRACE + timedelta(seconds=1))
    result = runner.invoke(args=["exams", "close-overdue"])
    assert result.exit_code == 0 and "1" in result.output
    db.session.expire_all()
    assert attempt.state is AttemptState.graded and attempt.finished_at == attempt.deadline
    assert attempt.score == attempt.slots[0].max_points


def test_submit_after_the_deadline_finishes_at_the_deadline(db, exams, trainee):
    clock.freeze(T0)
    attempt = services.start_or_resume(exams["auto"], trainee)
    clock.freeze(T0 + timedelta(minutes=45))
    services.submit(attempt)
    assert attempt.finished_at == attempt.deadline and attempt.finished_by == "deadline"


# --- eligibility ---------------------------------------------------------------------------------
def test_max_attempts_wait_and_override(db, exams, trainee, make_person, org):
    from app.accounts.models import Role

    trainer = make_person(org["BJ"], roles=[(Role.trainer, org["BJ"])])
    clock.freeze(T0)
    for _ in range(2):
        attempt = services.start_or_resume(exams["all"], trainee)
        services.submit(attempt)
        clock.freeze(clock.now() + timedelta(minutes=30))
        with pytest.raises(DomainError):  # retake wait of one hour
            services.start_or_resume(exams["all"], trainee)
        clock.freeze(clock.now() + timedelta(hours=1))
    with pytest.raises(DomainError) as error:
        services.start_or_resume(exams["all"], trainee)
    assert "2" in error.value.message
    services.grant_override(exams["all"], trainee, 15, 1, "sick on exam day", trainer)
    attempt = services.start_or_resume(exams["all"], trainee)
    assert attempt.deadline == clock.now() + timedelta(minutes=20 + 15)
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "exam.override")).all()
    assert events and events[0].data["reason"] == "sick on exam day" and events[0].actor_id == trainer.id


def test_override_needs_a_reason(db, exams, trainee):
    with pytest.raises(DomainError):
        services.grant_override(exams["all"], trainee, 10, 0, "  ", trainee)


def test_weekly_window_and_audience(db, exams, trainee):
    exam = exams["auto"]
    exam.window = {"weekly": {"weekday": "wed", "start": "18:00", "end": "19:00"}}
    exam.audience = {"positions": ["lobby_manager"]}
    db.session.commit()
    clock.freeze(datetime(2026, 3, 4, 9, 59, tzinfo=timezone.utc))  # Wednesday 17:59 in Beijing
    with pytest.raises(DomainError):
        services.start_or_resume(exam, trainee)
    clock.freeze(datetime(2026, 3, 4, 10, 45, tzinfo=timezone.utc))  # 18:45
    attempt = services.start_or_resume(exam, trainee)
    # the 30-minute limit is cut at the end of the evening meeting (19:00 Beijing = 11:00 UTC)
    assert attempt.deadline == datetime(2026, 3, 4, 11, 0, tzinfo=timezone.utc)
    exam.audience = {"positions": ["teller"]}
    assert not services.eligibility.check(exam, trainee).ok
