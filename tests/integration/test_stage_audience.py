"""Exams whose audience is a plan stage are open to the people at that stage, and only to them."""
from datetime import date

from app.exams import services as exams
from app.exams.eligibility import in_audience
from app.plans import services as plans
from tests.integration.conftest import sit


def test_stage_exams_follow_the_trainees_current_stage(db, bank):
    teller = bank["teller"]
    stage1, stage2 = exams.exam_by_slug("transfer-stage-1-exam"), exams.exam_by_slug("transfer-stage-2-exam")
    assert not in_audience(stage1, teller)  # not enrolled: no stage exam
    plans.enrol(bank["head"], teller, plans.EnrolmentRequest(plans.template_by_slug("transfer-to-account-manager"),
                                                             date(2026, 3, 2)))
    db.session.commit()
    assert in_audience(stage1, teller) and not in_audience(stage2, teller)
    sit(db, teller, "transfer-stage-1-exam")
    assert not in_audience(stage1, teller) and in_audience(stage2, teller)
