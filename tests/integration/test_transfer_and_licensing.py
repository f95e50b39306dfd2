"""The transfer plan walked end to end through the real exam, assessor, evidence, plan and certification
services; and the outlet-head certificate earned (or not) by the certification exam."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.certification import compliance, services as certs
from app.certification.models import Certificate
from app.core import events
from app.plans import services as plans
from app.plans.models import EvidenceStatus, Outcome, Progress, State
from tests.integration.conftest import score_practicals, sit

PDF = b"%PDF-1.4\n%insurance agent certificate\n%%EOF\n"


def _enrol(bank):
    template = plans.template_by_slug("transfer-to-account-manager")
    enrolment = plans.enrol(bank["head"], bank["teller"], plans.EnrolmentRequest(template, date(2026, 3, 2)))
    return enrolment


def _outcomes(enrolment):
    return [s.outcome for s in enrolment.stages]


def _certificates(person, code):
    return list(Certificate.query.filter_by(person_id=person.id, type_code=code))


def test_transfer_plan_from_enrolment_to_licensed(db, bank, org):
    teller = bank["teller"]
    enrolment = _enrol(bank)
    db.session.commit()
    assert _outcomes(enrolment) == [Outcome.open, Outcome.locked, Outcome.locked]
    assert enrolment.stages[0].assessor_id == bank["product_manager"].id
    assert enrolment.stages[1].assessor_id == bank["senior"].id

    # Stage 1: the business exam, auto-graded at submit → the stage passes → stage 2 opens.
    attempt = sit(db, teller, "transfer-stage-1-exam")
    assert attempt.passed and attempt.score == attempt.max_score == 100
    db.session.refresh(enrolment)
    assert _outcomes(enrolment) == [Outcome.passed, Outcome.open, Outcome.locked]
    assert enrolment.current_stage == 2 and enrolment.state is State.in_progress

    # Stage 2: the drills wait for the assessor; the service exam alone does not pass the stage.
    drills = sit(db, teller, "transfer-stage-2-drills")
    assert not drills.is_final
    sit(db, teller, "transfer-stage-2-exam")
    db.session.refresh(enrolment)
    assert enrolment.current_stage == 2 and enrolment.stages[1].outcome is Outcome.open
    score_practicals(db, bank["senior"], drills)
    db.session.refresh(drills)
    assert drills.is_final and drills.passed
    db.session.refresh(enrolment)
    assert _outcomes(enrolment) == [Outcome.passed, Outcome.passed, Outcome.open]

    # Stage 3: the insurance-agent qualification counts once verified, and completes the plan.
    qualification = plans.upload_evidence(teller, enrolment, "insurance_agent", "BX-2026-0042", date(2026, 3, 3),
                                          PDF, "保险代理人资格证.pdf")
    db.session.commit()
    assert enrolment.progress is Progress.active and not _certificates(teller, "transfer-account-manager")
    plans.review_evidence(bank["product_manager"], qualification, verify=True)
    db.session.commit()
    db.session.refresh(enrolment)
    assert qualification.status is EvidenceStatus.verified
    assert enrolment.progress is Progress.completed and enrolment.state is State.passed
    assert plans.plan_completed(teller, "transfer-to-account-manager")
    assert plans.verified_qualification(teller, "insurance_agent").certificate_no == "BX-2026-0042"
    assert [h.action for h in enrolment.history].count("completed") == 1

    # Exactly one transfer certificate, whatever else re-announces the facts.
    issued = _certificates(teller, "transfer-account-manager")
    assert len(issued) == 1 and issued[0].evidence[0]["kind"] == "plan"
    events.plan_completed.send(enrolment, enrolment=enrolment)
    events.qualification_verified.send(qualification, qualification=qualification)
    plans.evaluate_person(teller)
    db.session.commit()
    assert len(_certificates(teller, "transfer-account-manager")) == 1

    # The transfer is arranged: in the new post the teller counts as licensed in compliance.
    teller.position = "cs_manager"
    db.session.commit()
    outlet = compliance.compliance(org["BJ-S01-001"]).total
    assert (outlet.required, outlet.licensed, outlet.unlicensed) == (1, 1, 0)
    assert compliance.compliance(org["HO"]).total.licensed == 1
    status = certs.person_licence_status(teller)
    assert [(row["type"].code, row["licensed"]) for row in status] == [("transfer-account-manager", True)]


def test_stage_one_failed_exam_keeps_stage_two_locked(db, bank):
    enrolment = _enrol(bank)
    db.session.commit()
    attempt = sit(db, bank["teller"], "transfer-stage-1-exam", correct_slots=10)
    assert attempt.is_final and not attempt.passed
    db.session.refresh(enrolment)
    assert _outcomes(enrolment) == [Outcome.open, Outcome.locked, Outcome.locked]


def test_outlet_head_certificate_earned_by_passing_the_exam(db, bank, org):
    head = bank["outlet_head"]
    assert compliance.compliance(org["BJ-S01-002"]).total.unlicensed == 1
    attempt = sit(db, head, "outlet-head-certification")
    assert attempt.passed and attempt.score == 100
    issued = _certificates(head, "outlet-head")
    assert len(issued) == 1
    assert issued[0].evidence == [{"kind": "exam", "ref": "outlet-head-certification", "key": f"attempt:{attempt.id}",
                                   "at": issued[0].evidence[0]["at"], "score": 100.0, "max_score": 100.0}]
    assert issued[0].status.live
    total = compliance.compliance(org["BJ-S01-002"]).total
    assert (total.required, total.licensed, total.unlicensed) == (1, 1, 0)


def test_outlet_head_below_80_earns_nothing(db, bank, org):
    head = bank["outlet_head"]
    attempt = sit(db, head, "outlet-head-certification", correct_slots=20)
    assert attempt.is_final and not attempt.passed and attempt.score < 80
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 0
    assert compliance.compliance(org["BJ-S01-002"]).total.unlicensed == 1
