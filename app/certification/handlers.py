"""Automatic issuing: other domains' events, handled in the sender's transaction (so the certificate lands
with the exam result or plan completion that earned it, or neither does). No cron needed."""
from __future__ import annotations

from app.accounts.models import Person
from app.certification import services
from app.certification.requirements import Evidence, GivenFacts, attempt_evidence, qualification_evidence
from app.core import clock, events
from app.extensions import db


def _person(person_id: int) -> Person | None:
    return db.session.get(Person, person_id)


def on_attempt_finalised(sender, attempt=None, **_facts) -> None:
    attempt = attempt or sender
    person = _person(attempt.person_id)
    if person is not None and attempt.passed:
        services.evaluate_all(person, "exam", attempt.exam.slug, GivenFacts(attempt_evidence(attempt)))


def on_plan_completed(sender, enrolment=None, **_facts) -> None:
    enrolment = enrolment or sender
    slug = enrolment.template.slug
    person = _person(enrolment.person_id)
    if person is not None:
        evidence = Evidence("plan", slug, f"enrolment:{enrolment.id}", clock.as_utc(enrolment.completed_at))
        services.evaluate_all(person, "plan", slug, GivenFacts(evidence))


def on_course_completed(sender, course=None, person=None, **_facts) -> None:
    person = person or sender
    slug = getattr(course, "slug", None)
    if isinstance(person, Person) and slug:
        evidence = Evidence("course", slug, f"course:{slug}:{person.id}", clock.now())
        services.evaluate_all(person, "course", slug, GivenFacts(evidence))


def on_qualification_verified(sender, qualification=None, **_facts) -> None:
    qualification = qualification or sender
    person = _person(qualification.person_id)
    if person is not None:
        services.evaluate_all(person, "qualification", qualification.kind, GivenFacts(qualification_evidence(qualification)))


def connect() -> None:
    """Subscribe once (blinker keeps weak references to functions; module-level ones live forever)."""
    events.attempt_finalised.connect(on_attempt_finalised)
    events.plan_completed.connect(on_plan_completed)
    events.course_completed.connect(on_course_completed)
    events.qualification_verified.connect(on_qualification_verified)
