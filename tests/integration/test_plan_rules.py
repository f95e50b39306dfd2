"""Plan rules that need the other domains for real: a stage fails by itself when the exam's attempts are used
up (overrides counted), lesson ticks come from the courses engine, and missed learning items per person."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from flask_babel import force_locale

from app.accounts.models import Role
from app.certification.models import Certificate
from app.config import ROOT
from app.core import clock
from app.core.errors import DomainError
from app.courses import services as courses
from app.courses.sync import sync as sync_courses
from app.exams import services as exams
from app.plans import progress, services as plans
from app.plans.models import Outcome, Progress, State
from tests.integration.conftest import sit


@pytest.fixture
def trainer(org, make_person):
    return make_person(org["HO"], "head_office_staff", roles=[(Role.trainer, org["HO"])], username="trainer")


def _licensing(bank, trainer, db):
    template = plans.template_by_slug("outlet-head-licensing")
    enrolment = plans.enrol(bank["head"], bank["outlet_head"], plans.EnrolmentRequest(template, date(2026, 3, 2)))
    plans.decide_stage(trainer, enrolment, 1, "waive", "已在原岗位完成手册学习")
    db.session.commit()
    return enrolment


def _fail_once(db, person):
    attempt = sit(db, person, "outlet-head-certification", correct_slots=10)
    assert attempt.is_final and not attempt.passed
    clock.freeze(clock.now() + timedelta(hours=25))  # the exam's 24-hour wait between attempts
    return attempt


def test_stage_fails_when_attempts_are_used_up_and_reopens_after_an_override(db, bank, trainer):
    head = bank["outlet_head"]
    enrolment = _licensing(bank, trainer, db)
    assert [s.outcome for s in enrolment.stages] == [Outcome.waived, Outcome.open]
    for _ in range(2):
        _fail_once(db, head)
        db.session.refresh(enrolment)
        assert enrolment.stages[1].outcome is Outcome.open and enrolment.is_active
    _fail_once(db, head)
    db.session.refresh(enrolment)
    assert enrolment.stages[1].outcome is Outcome.failed and enrolment.state is State.failed
    failed = [h for h in enrolment.history if h.action == "stage_failed"]
    assert len(failed) == 1 and failed[0].actor_id is None and failed[0].stage == 2

    with force_locale("en"), pytest.raises(DomainError) as refused:
        plans.decide_stage(trainer, enrolment, 2, "reopen", "补考一次")
    assert refused.value.status == 409 and "grant an extra attempt" in refused.value.message
    db.session.rollback()
    db.session.refresh(enrolment)
    assert enrolment.progress is Progress.failed

    exams.grant_override(exams.exam_by_slug("outlet-head-certification"), head, 0, 1, "辅导后补考", trainer)
    plans.decide_stage(trainer, enrolment, 2, "reopen", "辅导后补考一次")
    db.session.commit()
    assert enrolment.stages[1].outcome is Outcome.open and enrolment.is_active
    sit(db, head, "outlet-head-certification")
    db.session.refresh(enrolment)
    assert enrolment.progress is Progress.completed
    assert Certificate.query.filter_by(person_id=head.id, type_code="outlet-head").count() == 1


def test_exam_without_a_limit_never_fails_the_stage(db, bank):
    template = plans.template_by_slug("transfer-to-account-manager")
    enrolment = plans.enrol(bank["head"], bank["teller"], plans.EnrolmentRequest(template, date(2026, 3, 2)))
    db.session.commit()
    for _ in range(3):
        sit(db, bank["teller"], "transfer-stage-1-exam", correct_slots=5)
    db.session.refresh(enrolment)
    assert enrolment.stages[0].outcome is Outcome.open and not progress.exam_exhausted(bank["teller"], "transfer-stage-1-exam")


@pytest.fixture
def manual(db):
    sync_courses(ROOT / "courses")
    db.session.commit()


def _tick(person, course_slug, lesson_slug):
    course = courses.offered_course(course_slug)
    courses.complete_lesson(person, course, courses.lesson_of(course, lesson_slug))


def test_missed_items_counts_tasks_and_late_assessments_per_person(db, bank, manual):
    teller, other = bank["teller"], bank["outlet_head"]
    template = plans.template_by_slug("transfer-to-account-manager")
    plans.enrol(bank["head"], teller, plans.EnrolmentRequest(template, date(2026, 3, 2)))  # stage 1 due 9 March
    db.session.commit()
    _tick(teller, "team-building", "training-coaching")
    db.session.commit()
    assert progress.lesson_done(teller, "team-building/training-coaching")
    assert not progress.lesson_done(teller, "transfer-stage-2/sales-scripts")
    sit(db, teller, "transfer-stage-1-exam")  # passed on 4 March, before the due date

    clock.freeze(datetime(2026, 3, 12, 9, tzinfo=timezone.utc))
    # Stage 1: the course transfer-stage-1 is not finished; the lesson is ticked, the exam passed in time.
    assert plans.missed_items(teller, date(2026, 3, 1), date(2026, 4, 1)) == 1
    assert plans.missed_items(teller, date(2026, 3, 10), date(2026, 4, 1)) == 0  # stage 2 is not due yet

    clock.freeze(datetime(2026, 3, 25, 9, tzinfo=timezone.utc))  # stage 2 was due on 23 March
    # Stage 2: one course, two lessons, the drills and the service exam: five items.
    assert plans.missed_items(teller, date(2026, 3, 10), date(2026, 4, 1)) == 5
    assert plans.missed_items(teller, date(2026, 3, 1), date(2026, 4, 1)) == 6
    assert plans.missed_items(other, date(2026, 3, 1), date(2026, 4, 1)) == 0


def test_missed_items_skip_waived_stages_and_earlier_withdrawals(db, bank, trainer):
    template = plans.template_by_slug("transfer-to-account-manager")
    enrolment = plans.enrol(bank["head"], bank["teller"], plans.EnrolmentRequest(template, date(2026, 3, 2)))
    plans.decide_stage(trainer, enrolment, 1, "waive", "原岗位已考过")
    plans.withdraw(bank["head"], enrolment, "调往其他岗位")
    db.session.commit()
    clock.freeze(datetime(2026, 4, 20, 9, tzinfo=timezone.utc))
    assert plans.missed_items(bank["teller"], date(2026, 3, 1), date(2026, 5, 1)) == 0


def test_exam_passed_late_still_counts_as_missed(db, bank):
    template = plans.template_by_slug("transfer-to-account-manager")
    plans.enrol(bank["head"], bank["teller"], plans.EnrolmentRequest(template, date(2026, 2, 20)))  # due 27 Feb
    db.session.commit()
    sit(db, bank["teller"], "transfer-stage-1-exam")  # 4 March: a week late
    clock.freeze(datetime(2026, 3, 5, 9, tzinfo=timezone.utc))
    # The course, the lesson and the exam passed a week late.
    assert plans.missed_items(bank["teller"], date(2026, 2, 1), date(2026, 3, 1)) == 3
