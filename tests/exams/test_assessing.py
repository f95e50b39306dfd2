"""The assessor queue: scope, scoring each criterion, finalisation and its event, changes with a reason."""
import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.core import events
from app.core.errors import DomainError
from app.exams import grading, services
from app.exams.models import AttemptState, GradeChange
from tests.conftest import csrf_token, login
from tests.exams.test_attempt_services import answer_all


@pytest.fixture
def submitted(db, exams, trainee):
    attempt = services.start_or_resume(exams["all"], trainee)
    answer_all(attempt)
    services.submit(attempt)
    db.session.commit()
    return attempt


def test_practical_waits_for_the_assessor_then_the_result_is_final(db, submitted, assessor):
    assert submitted.state is AttemptState.submitted and submitted.score == 5 and submitted.passed is None
    queue = grading.queue(assessor)
    assert [s.attempt_id for s in queue] == [submitted.id]
    received = []

    def receiver(sender, attempt=None, **_facts):
        received.append(attempt)

    events.attempt_finalised.connect(receiver)
    try:
        grading.score_slot(queue[0], assessor, [grading.CriterionInput(3, "好"), grading.CriterionInput(1, "地址没说")])
        db.session.commit()
    finally:
        events.attempt_finalised.disconnect(receiver)  # only ours: other domains' receivers stay
    assert submitted.state is AttemptState.graded and submitted.score == 9 and submitted.passed
    assert received == [submitted] and grading.queue(assessor) == []
    assert services.best_attempt(submitted.person, "t-all").score == 9


def test_points_must_fit_the_rubric(db, submitted, assessor):
    slot = grading.queue(assessor)[0]
    with pytest.raises(DomainError) as error:
        grading.score_slot(slot, assessor, [grading.CriterionInput(4), grading.CriterionInput(1)])
    assert error.value.status == 422 and "开场" in error.value.message
    with pytest.raises(DomainError):
        grading.score_slot(slot, assessor, [grading.CriterionInput(1)])


def test_changing_a_final_grade_needs_a_reason_and_is_logged(db, submitted, assessor):
    slot = grading.queue(assessor)[0]
    grading.score_slot(slot, assessor, [grading.CriterionInput(3), grading.CriterionInput(2)])
    db.session.commit()
    with pytest.raises(DomainError):
        grading.score_slot(slot, assessor, [grading.CriterionInput(0), grading.CriterionInput(2)])
    db.session.rollback()
    grading.score_slot(slot, assessor, [grading.CriterionInput(0), grading.CriterionInput(2)], "录像复核：开场不合格")
    db.session.commit()
    change = db.session.scalars(select(GradeChange)).one()
    assert (change.old_points, change.new_points, change.reason, change.changed_by_id) == (3, 0, "录像复核：开场不合格", assessor.id)
    assert submitted.score == 7 and submitted.passed


def test_an_assessor_cannot_grade_outside_their_scope(client, db, submitted, make_person, org):
    outsider = make_person(org["TJ"], position="product_manager", roles=[(Role.assessor, org["TJ"])], username="tj-assessor")
    trainer = make_person(org["BJ"], roles=[(Role.trainer, org["BJ"])], username="bj-trainer")
    assert grading.queue(outsider) == []
    slot = next(s for s in submitted.slots if s.version.type == "practical")
    with pytest.raises(DomainError) as error:
        grading.score_slot(slot, outsider, [grading.CriterionInput(3), grading.CriterionInput(2)])
    assert error.value.status == 403
    for username in ("tj-assessor", "bj-trainer"):
        login(client, username)
        url = f"/exams/assess/{submitted.id}/{slot.slot}"
        assert client.get(url).status_code == 403
        token = csrf_token(client, "/exams/")
        response = client.post(url, data={"csrf_token": token, "criteria-0-points": 3, "criteria-1-points": 2})
        assert response.status_code == 403
        client.post("/logout", data={"csrf_token": token})
    db.session.expire_all()
    assert slot.fraction is None and trainer.id


def test_assessor_scores_through_the_page(client, db, submitted, assessor):
    login(client, "assessor")
    assert "1" in client.get("/").get_data(as_text=True)
    queue = client.get("/exams/assess").get_data(as_text=True)
    slot = next(s for s in submitted.slots if s.version.type == "practical")
    url = f"/exams/assess/{submitted.id}/{slot.slot}"
    assert url in queue
    token = csrf_token(client, url)
    bad = client.post(url, data={"csrf_token": token, "criteria-0-points": 9, "criteria-1-points": 1})
    assert bad.status_code == 422
    ok = client.post(url, data={"csrf_token": token, "criteria-0-points": 2, "criteria-0-comment": "自信",
                                "criteria-1-points": 2})
    assert ok.status_code == 302
    db.session.expire_all()
    assert submitted.state is AttemptState.graded and submitted.score == 9


def test_a_regrade_that_changes_a_final_result_is_announced_and_the_scorecard_follows(db, submitted, assessor):
    from app.scorecard.models import ExamResultFact

    slot = grading.queue(assessor)[0]
    grading.score_slot(slot, assessor, [grading.CriterionInput(3), grading.CriterionInput(2)])
    db.session.commit()
    assert submitted.passed and submitted.score == 10
    received = []

    def receiver(sender, attempt=None, regraded=None, **_facts):
        received.append((attempt.score, attempt.passed, regraded))

    events.attempt_finalised.connect(receiver)
    try:
        grading.score_slot(slot, assessor, [grading.CriterionInput(3), grading.CriterionInput(2)], "复核无变化")
        db.session.commit()
        assert received == []  # same points: nothing changed, nothing announced
        grading.score_slot(slot, assessor, [grading.CriterionInput(0), grading.CriterionInput(0)], "录像复核：开场和收尾都不合格")
        db.session.commit()
    finally:
        events.attempt_finalised.disconnect(receiver)
    assert received == [(5, False, True)]
    fact = db.session.scalars(select(ExamResultFact).where(ExamResultFact.attempt_ref == str(submitted.id))).one()
    assert (float(fact.percent), fact.passed) == (50.0, False)


def test_an_assessor_never_grades_their_own_attempt(client, db, submitted, trainee, org):
    from app.accounts.models import RoleGrant

    trainee.roles.append(RoleGrant(role=Role.assessor, org_unit=org["BJ"]))  # the trainee is also an assessor
    db.session.commit()
    assert grading.queue(trainee) == []
    slot = next(s for s in submitted.slots if s.version.type == "practical")
    with pytest.raises(DomainError) as error:
        grading.score_slot(slot, trainee, [grading.CriterionInput(3), grading.CriterionInput(2)])
    assert error.value.status == 403
    login(client, "trainee")
    assert client.get(f"/exams/assess/{submitted.id}/{slot.slot}").status_code == 403
