"""Earning rules, issuing exactly once (also under concurrency), expiry and renewal with a frozen clock."""
import threading
from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import Person
from app.certification import services
from app.certification.models import Certificate, CertStatus, RevocationReason
from app.certification.requirements import GivenFacts, earned
from app.certification.types import Requirement
from app.core import clock
from app.core.audit import AuditEvent
from app.extensions import db
from tests.certification.conftest import T0, exam_passed, only, plan_done


def test_outlet_head_certificate_is_earned_by_passing_the_exam(db, people, outlet_head_type):
    clock.freeze(T0)
    person = people["bj_outlet_head"]
    assert services.evaluate(person, outlet_head_type, only()) is None
    cert = services.evaluate(person, outlet_head_type, only(exam_passed()))
    assert cert.status is CertStatus.valid
    assert cert.valid_until == T0.replace(year=2028)
    assert cert.evidence[0]["key"] == "attempt:1"
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == str(cert.id))) == "certificate.issue"


def test_a_plan_or_an_unrelated_exam_does_not_earn_the_outlet_head_certificate(db, people, outlet_head_type, transfer_type):
    person = people["bj_outlet_head"]
    assert services.evaluate(person, outlet_head_type, only(plan_done(), exam_passed(slug="quiz-programme"))) is None
    cert = services.evaluate(person, transfer_type, only(plan_done()))
    assert cert is not None and cert.valid_until is None  # the transfer qualification does not expire


def test_every_requirement_must_be_met_and_thresholds_apply(people, outlet_head_type):
    person = people["bj_outlet_head"]
    strict = Requirement("exam", "outlet-head-certification", min_percent=95)
    from app.certification.requirements import attempt_evidence
    from types import SimpleNamespace

    attempt = SimpleNamespace(id=7, passed=True, score=90, max_score=100, finished_at=T0,
                              exam=SimpleNamespace(slug="outlet-head-certification"))
    assert attempt_evidence(attempt, strict) is None
    assert attempt_evidence(attempt, Requirement("exam", "outlet-head-certification")) is not None
    both = outlet_head_type.__class__(**{**outlet_head_type.__dict__, "requires": (
        Requirement("exam", "outlet-head-certification"), Requirement("plan", "outlet-head-licensing"))})
    assert earned(person, both, only(exam_passed())) is None
    assert len(earned(person, both, only(exam_passed(), plan_done(slug="outlet-head-licensing")))) == 2


def test_the_same_earning_event_issues_once(db, people, outlet_head_type):
    person = people["bj_outlet_head"]
    first = services.evaluate(person, outlet_head_type, only(exam_passed()))
    first.revoke(people["admin"], RevocationReason.issued_in_error, "test")
    db.session.flush()
    # Revoked: the same exam attempt does not earn it again; a new passed attempt does.
    assert services.evaluate(person, outlet_head_type, only(exam_passed())) is None
    assert services.evaluate(person, outlet_head_type, only(exam_passed(attempt_id=2))) is not None


def test_concurrent_triggers_issue_exactly_one_certificate(app, people, outlet_head_type):
    person_id = people["bj_outlet_head"].id
    db.session.remove()
    barrier = threading.Barrier(6)
    results, errors = [], []

    def trigger():
        try:
            with app.app_context():
                person = db.session.get(Person, person_id)
                barrier.wait()
                cert = services.evaluate(person, outlet_head_type, only(exam_passed(attempt_id=42)))
                db.session.commit()
                results.append(cert is not None)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=trigger) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Certificate)) == 1
    assert results.count(True) == 1


def test_status_moves_from_valid_to_expiring_to_expired_with_the_clock(db, people, outlet_head_type):
    clock.freeze(T0)
    cert = services.evaluate(people["bj_outlet_head"], outlet_head_type, only(exam_passed()))
    db.session.commit()

    def status_in_sql():
        return db.session.scalar(select(Certificate.status).where(Certificate.id == cert.id))

    assert cert.status is CertStatus.valid and status_in_sql() == "valid"
    clock.freeze(T0.replace(year=2028) - timedelta(days=59))
    assert cert.status is CertStatus.expiring and status_in_sql() == "expiring"
    clock.freeze(T0.replace(year=2028) + timedelta(seconds=1))
    assert cert.status is CertStatus.expired and status_in_sql() == "expired"


def test_renewal_within_the_window_replaces_the_certificate(db, people, outlet_head_type):
    clock.freeze(T0)
    person = people["bj_outlet_head"]
    old = services.evaluate(person, outlet_head_type, only(exam_passed()))
    expiry = T0.replace(year=2028)
    # Passing again before the window opens does nothing.
    clock.freeze(expiry - timedelta(days=120))
    assert services.evaluate(person, outlet_head_type, only(exam_passed(2, clock.now()))) is None
    clock.freeze(expiry - timedelta(days=30))
    new = services.evaluate(person, outlet_head_type, only(exam_passed(3, clock.now())))
    assert new.replaces_id == old.id
    assert old.status is CertStatus.renewed and new.status is CertStatus.valid
    assert new.valid_until == expiry.replace(year=2030)  # renewing early loses no time
    # A second trigger for the same renewal issues nothing.
    assert services.evaluate(person, outlet_head_type, only(exam_passed(4, clock.now()))) is None
    assert services.live_certificate(person, "outlet-head").id == new.id


def test_suspension_and_reinstatement_are_audited(db, people, outlet_head_type):
    cert = services.evaluate(people["bj_outlet_head"], outlet_head_type, only(exam_passed()))
    services.suspend(people["admin"], cert, "complaint")
    assert cert.status is CertStatus.suspended
    services.reinstate(people["admin"], cert)
    assert cert.status is CertStatus.valid
    services.revoke(people["admin"], cert, RevocationReason.misconduct, "confirmed")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-4:] == ["certificate.issue", "certificate.suspend", "certificate.reinstate", "certificate.revoke"]


def test_what_a_person_lacks_for_their_post(people):
    rows = services.person_licence_status(people["bj_outlet_head"])
    assert [row["type"].code for row in rows] == ["outlet-head"]
    assert not rows[0]["licensed"] and rows[0]["missing"][0].ref == "outlet-head-certification"
    assert services.person_licence_status(people["bj_teller"]) == []


def test_domain_facts_without_evidence_meet_nothing(people, outlet_head_type):
    assert services.evaluate(people["bj_outlet_head"], outlet_head_type, GivenFacts()) is None
