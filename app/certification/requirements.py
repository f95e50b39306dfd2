"""The one place that asks other domains whether a requirement is met. Earning rules are evaluated by
requirement kind (exam, plan, course, qualification) against a `Facts` source:

* `DomainFacts` asks the exams, plans and courses services (the interface contract); a domain that is not
  installed yet simply meets nothing.
* `GivenFacts` holds facts handed over directly: by an event (the attempt that was just finalised) or a test.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime

from app.certification.types import CertType, Requirement
from app.core import clock


@dataclass(frozen=True)
class Evidence:
    """One met requirement: what (kind, ref), which record proves it (key), and when it was met."""

    kind: str
    ref: str
    key: str
    at: datetime | None = None
    detail: dict = field(default_factory=dict, compare=False, hash=False)

    def as_json(self) -> dict:
        return {"kind": self.kind, "ref": self.ref, "key": self.key, "at": self.at.isoformat() if self.at else None, **self.detail}


def attempt_evidence(attempt, requirement: Requirement | None = None) -> Evidence | None:
    """Evidence from an exam attempt (exams contract: .passed, .score, .max_score, .finished_at, .exam.slug)."""
    if attempt is None or not attempt.passed:
        return None
    if requirement is not None and requirement.min_percent is not None:
        if not attempt.max_score or 100 * attempt.score / attempt.max_score < requirement.min_percent:
            return None
    return Evidence("exam", attempt.exam.slug, f"attempt:{attempt.id}", clock.as_utc(attempt.finished_at),
                    {"score": float(attempt.score), "max_score": float(attempt.max_score)})


def _service(domain: str):
    """app.<domain>.services, or None while that domain is not part of the product yet."""
    qualified = f"app.{domain}.services"
    try:
        return importlib.import_module(qualified)
    except ModuleNotFoundError as missing:
        if missing.name in (qualified, f"app.{domain}"):
            return None
        raise


class DomainFacts:
    """Facts from the other domains' public services."""

    def evidence(self, person, requirement: Requirement) -> Evidence | None:
        return getattr(self, requirement.kind)(person, requirement)

    def exam(self, person, requirement: Requirement) -> Evidence | None:
        exams = _service("exams")
        if exams is None or not hasattr(exams, "best_attempt"):
            return None
        return attempt_evidence(exams.best_attempt(person, requirement.ref), requirement)

    def plan(self, person, requirement: Requirement) -> Evidence | None:
        plans = _service("plans")
        if plans is None or not hasattr(plans, "plan_completed") or not plans.plan_completed(person, requirement.ref):
            return None
        return Evidence("plan", requirement.ref, f"plan:{requirement.ref}:{person.id}")

    def course(self, person, requirement: Requirement) -> Evidence | None:
        courses = _service("courses")
        if courses is None or not hasattr(courses, "course_completed") or not courses.course_completed(person, requirement.ref):
            return None
        return Evidence("course", requirement.ref, f"course:{requirement.ref}:{person.id}")

    def qualification(self, person, requirement: Requirement) -> Evidence | None:
        plans = _service("plans")
        finder = getattr(plans, "verified_qualification", None) if plans else None
        found = finder(person, requirement.ref) if finder else None
        if found is None:
            return None
        return qualification_evidence(found)


def title(kind: str, ref: str, locale: str | None = None) -> str:
    """What a requirement (or a piece of evidence) names, in the reader's language: the exam's, plan's or
    course's title, or the qualification's name, asked of the domain that owns it; the identifier while that
    domain does not know it."""
    found = None
    if kind == "exam":
        finder = getattr(_service("exams"), "exam_by_slug", None)
        found = finder(ref) if finder else None
    elif kind == "plan":
        finder = getattr(_service("plans"), "template_by_slug", None)
        found = finder(ref) if finder else None
    elif kind == "course":
        from werkzeug.exceptions import NotFound

        finder = getattr(_service("courses"), "offered_course", None)
        try:
            found = finder(ref) if finder else None
        except NotFound:
            found = None
    elif kind == "qualification":
        from app.plans.definition import qualification_name

        return qualification_name(ref, str(locale) if locale else None)
    return found.display_title(str(locale) if locale else None) if found is not None else ref


def qualification_evidence(qualification) -> Evidence:
    return Evidence("qualification", qualification.kind, f"qualification:{qualification.id}",
                    clock.as_utc(qualification.verified_at), {"certificate_no": qualification.certificate_no})


class GivenFacts(DomainFacts):
    """Known evidence first (from an event or a test), then, unless `only`, the domains' services."""

    def __init__(self, *known: Evidence, only: bool = False):
        self.known = {(e.kind, e.ref): e for e in known if e is not None}
        self.only = only

    def evidence(self, person, requirement: Requirement) -> Evidence | None:
        found = self.known.get((requirement.kind, requirement.ref))
        if found is not None or self.only:
            return found
        return super().evidence(person, requirement)


def earned(person, cert_type: CertType, facts: DomainFacts) -> list[Evidence] | None:
    """The evidence for every requirement of `cert_type`, or None when one is not met."""
    found = [facts.evidence(person, requirement) for requirement in cert_type.requires]
    return None if any(e is None for e in found) else found


def renewal_evidence(person, cert_type: CertType, facts: DomainFacts, since: datetime) -> Evidence | None:
    """Evidence for the renewal requirement, met after `since` (the start of the renewal window)."""
    if cert_type.renewal is None:
        return None
    found = facts.evidence(person, cert_type.renewal.requirement)
    if found is None or found.at is None or found.at < since:
        return None
    return found
