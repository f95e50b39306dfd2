"""Plans: loading templates, enrolling, gating stages on assessment results, evidence, waivers.
Services flush, never commit; the request or CLI command commits once."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import false, func, select
from sqlalchemy.orm import contains_eager

from app.accounts.models import Person, PersonStatus, Role
from app.core import audit, clock, events, files, policy
from app.core.errors import DomainError
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause
from app.plans import progress, schedule
from app.plans.definition import DefinitionInvalid, Problem, parse
from app.plans.models import (Enrolment, EnrolmentStage, EvidenceStatus, HistoryEntry, Outcome, PlanTemplate,
                              PlanVersion, Progress, Qualification)

#: How far in the past a start date may lie (a late registration of a plan already begun).
MAX_PAST_START_DAYS = 30


# --- templates -----------------------------------------------------------------------------------
def template_by_slug(slug: str) -> PlanTemplate | None:
    return db.session.scalars(select(PlanTemplate).where(PlanTemplate.slug == slug)).one_or_none()


def all_templates() -> list[PlanTemplate]:
    return list(db.session.scalars(select(PlanTemplate).order_by(PlanTemplate.slug)))


def save_version(text: str, *, origin: str, actor: Person | None = None, slug: str | None = None) -> PlanVersion | None:
    """Validate `text` and add it as the plan's next version; None when nothing changed.
    A file sync compares with the last file version, so a web edit is not undone by an unchanged file."""
    definition = parse(text)
    if slug is not None and definition["id"] != slug:
        raise DefinitionInvalid([Problem(1, _("the id cannot change from \"%(slug)s\"", slug=slug))])
    checksum = hashlib.sha256(text.encode()).hexdigest()
    template = template_by_slug(definition["id"]) or PlanTemplate(slug=definition["id"])
    compared = [v for v in template.versions if v.origin == origin] if origin == "file" else template.versions[-1:]
    if compared and compared[-1].checksum == checksum:
        return None
    template.title, template.title_en = definition["title"], definition["title_en"]
    version = PlanVersion(number=len(template.versions) + 1, definition=definition, source_text=text,
                          checksum=checksum, origin=origin, created_by_id=getattr(actor, "id", None))
    template.versions.append(version)
    db.session.add(template)
    db.session.flush()
    audit.record("plan.version", template, actor=actor, number=version.number, origin=origin)
    return version


def save_edited(text: str, *, actor: Person, slug: str) -> PlanVersion | None:
    """A plan from the web editor (its data written out as a plan file's text): validated like a file,
    a new version unless the plan means exactly what its latest version does."""
    definition = parse(text)
    template = template_by_slug(slug)
    if template is not None and template.versions and template.latest.definition == definition:
        return None
    return save_version(text, origin="web", actor=actor, slug=slug)


def sync_directory(directory: Path) -> list[PlanVersion]:
    """Load every courses/plans/*.yaml (holidays.yaml aside): all files or none."""
    problems: list[str] = []
    texts = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "holidays.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        try:
            parse(text)
        except DefinitionInvalid as invalid:
            problems += [f"{path.name}:{p.line}: {p.message}" for p in invalid.problems]
        texts.append(text)
    if problems:
        raise SyncFailed(problems)
    return [v for v in (save_version(text, origin="file") for text in texts) if v is not None]


class SyncFailed(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# --- enrolment -----------------------------------------------------------------------------------
@dataclass
class EnrolmentRequest:
    """What an enrolment form or API call asks for."""

    template: PlanTemplate
    start_date: date
    #: stage position → assessor named explicitly (else taken from the template's role)
    assessors: dict[int, Person] = field(default_factory=dict)


class EnrolmentRefused(DomainError):
    """A bulk enrolment refused as a whole: every person's problem, nothing changed."""

    def __init__(self, problems: list[tuple[Person | None, str]]):
        super().__init__("; ".join(message for _person, message in problems), 422)
        self.problems = problems


def enrol_many(actor: Person, people: list[Person], request: EnrolmentRequest) -> list[Enrolment]:
    """Enrol everyone or no one; the refusal lists each person's problem."""
    problems = _request_problems(actor, request)
    if not people:
        problems.append((None, _("No one to enrol: nobody matches.")))
    for person in people:
        problems += [(person, message) for message in _person_problems(actor, person, request.template)]
    if problems:
        raise EnrolmentRefused(problems)
    return [_enrol(actor, person, request) for person in people]


def enrol(actor: Person, person: Person, request: EnrolmentRequest) -> Enrolment:
    try:
        return enrol_many(actor, [person], request)[0]
    except EnrolmentRefused as refused:
        raise DomainError(refused.message, 403 if not policy.can_enrol(actor, person) else 422) from None


def _request_problems(actor: Person, request: EnrolmentRequest) -> list[tuple[None, str]]:
    problems = []
    earliest = clock.today() - timedelta(days=MAX_PAST_START_DAYS)
    if request.start_date < earliest:
        problems.append((None, _("The start date %(date)s is more than %(days)d days in the past (earliest %(earliest)s).",
                                 date=request.start_date.isoformat(), days=MAX_PAST_START_DAYS, earliest=earliest.isoformat())))
    stages = len(request.template.latest.stages)
    for position, assessor in request.assessors.items():
        if not 1 <= position <= stages:
            problems.append((None, _("The plan has no stage %(n)d.", n=position)))
        elif not policy.can_be_assessor(actor, assessor):
            problems.append((None, _("Stage %(n)d: assessor %(name)s (%(no)s) works outside your scope.",
                                     n=position, name=assessor.name, no=assessor.employee_no)))
    return problems


def _person_problems(actor: Person, person: Person, template: PlanTemplate) -> list[str]:
    label = f"{person.name} ({person.employee_no})"
    if not policy.can_enrol(actor, person):
        return [_("%(person)s works outside your scope.", person=label)]
    if person.status is not PersonStatus.active:
        return [_("%(person)s has left the bank.", person=label)]
    if active_enrolment(person, template) is not None:
        return [_("%(person)s is already enrolled in this plan.", person=label)]
    return []


def active_enrolment(person: Person, template: PlanTemplate) -> Enrolment | None:
    return db.session.scalars(select(Enrolment).where(
        Enrolment.person_id == person.id, Enrolment.template_id == template.id, Enrolment.progress == Progress.active,
    )).first()


def _enrol(actor: Person, person: Person, request: EnrolmentRequest) -> Enrolment:
    version = request.template.latest
    enrolment = Enrolment(person=person, version=version, template=request.template, start_date=request.start_date,
                          progress=Progress.active, withdrawn_reason="",
                          enrolled_by_id=actor.id)
    dates = schedule.due_dates(request.start_date, [stage["weeks"] for stage in version.stages])
    for position, (stage, (nominal, actual)) in enumerate(zip(version.stages, dates), start=1):
        assessor = request.assessors.get(position) or find_assessor(actor, person, stage.get("assessor"))
        enrolment.stages.append(EnrolmentStage(position=position, due_date=actual, nominal_due_date=nominal, outcome=Outcome.locked,
                                               assessor=assessor))
    db.session.add(enrolment)
    enrolment.recompute()
    db.session.flush()
    record(enrolment, "enrolled", actor, data={"version": version.number, "start": request.start_date.isoformat()})
    audit.record("plan.enrol", enrolment, actor=actor, person=person.employee_no, plan=request.template.slug)
    evaluate(enrolment)
    return enrolment


def find_assessor(actor: Person, trainee: Person, position: str | None) -> Person | None:
    """Someone holding `position` in the trainee's unit or the nearest ancestor, within the
    enrolling person's scope; assessors by role first, then by employee number."""
    if not position:
        return None
    ids = list(reversed(trainee.org_unit.ancestor_ids()))
    candidates = db.session.scalars(
        select(Person).join(Person.org_unit)
        .where(Person.position == position, Person.org_unit_id.in_(ids), Person.status == PersonStatus.active,
               Person.id != trainee.id, policy.in_scope_clause(OrgUnit.path, actor, (Role.branch_head, Role.trainer)))
    ).all()
    if not candidates:
        return None
    return min(candidates, key=lambda p: (ids.index(p.org_unit_id), not p.has_role(Role.assessor), p.employee_no))


def record(enrolment: Enrolment, action: str, actor: Person | None, stage: int | None = None, note: str = "",
           data: dict | None = None) -> None:
    """Append a history entry. `note` is what a person typed (a reason); anything the system says goes in
    `data` as facts (ids, numbers, dates), put into words in the reader's language when shown."""
    entry = HistoryEntry(action=action, actor_id=getattr(actor, "id", None), stage=stage, note=note[:500],
                         data=data or None, state_after=enrolment.state.value)
    enrolment.history.append(entry)


# --- gating: results decide stages ------------------------------------------------------------------
def assessment_passed(person: Person, assessment: dict) -> bool:
    if assessment["kind"] == "external":
        return verified_qualification(person, assessment["ref"]) is not None
    return progress.exam_passed(person, assessment["ref"])


def evaluate(enrolment: Enrolment, actor: Person | None = None, data: dict | None = None) -> None:
    """Pass each open stage whose assessments are all passed, opening the next, until one is not.
    Called on enrolment and whenever a result arrives (exam finalised, evidence verified)."""
    while enrolment.is_active and (stage := enrolment.open_stage) is not None:
        if enrolment.start_date > clock.today():
            return
        if not all(assessment_passed(enrolment.person, a) for a in stage.definition["assessments"]):
            _fail_if_exhausted(enrolment, stage, actor)
            return
        stage.pass_()
        record(enrolment, "stage_passed", actor, stage.position, data=data)
        _after_decision(enrolment, actor)


def _fail_if_exhausted(enrolment: Enrolment, stage: EnrolmentStage, actor: Person | None) -> None:
    """An exam of the stage has no attempts left (overrides counted), all graded, none passed: the stage
    fails by itself. A trainer may grant an attempt in the exam and reopen the stage."""
    exhausted = _exhausted_assessment(enrolment.person, stage)
    if exhausted is None:
        return
    reason = _("All attempts at %(exam)s used without a pass.", exam=progress.exam_title(exhausted["ref"]))
    stage.fail(reason)
    record(enrolment, "stage_failed", actor, stage.position, data={"exhausted": exhausted["ref"]})
    audit.record("plan.stage_fail", enrolment, actor=actor, stage=stage.position, reason=reason, automatic=True)


def _exhausted_assessment(person: Person, stage: EnrolmentStage) -> dict | None:
    return next((a for a in stage.definition["assessments"] if a["kind"] != "external"
                 and not assessment_passed(person, a) and progress.exam_exhausted(person, a["ref"])), None)


def _after_decision(enrolment: Enrolment, actor: Person | None) -> None:
    if enrolment.progress is Progress.completed:
        record(enrolment, "completed", actor, data={"qualifies_for": True})
        audit.record("plan.completed", enrolment, actor=actor)
        events.plan_completed.send(enrolment, enrolment=enrolment)
    elif enrolment.open_stage is not None:
        record(enrolment, "stage_opened", actor, enrolment.open_stage.position)


def evaluate_person(person: Person, data: dict | None = None) -> None:
    """Re-evaluate the person's active enrolments; `data` says what arrived (an exam, a qualification)."""
    for enrolment in db.session.scalars(select(Enrolment).where(
            Enrolment.person_id == person.id, Enrolment.progress == Progress.active)):
        evaluate(enrolment, data=data)


def plan_completed(person: Person, plan_slug: str) -> bool:
    """Has `person` completed the plan (any version)? The certification domain asks this."""
    return db.session.scalar(select(func.count()).select_from(Enrolment).join(Enrolment.template).where(
        Enrolment.person_id == person.id, PlanTemplate.slug == plan_slug, Enrolment.progress == Progress.completed,
    )) > 0


def missed_items(person: Person, start: date, end: date) -> int:
    """How many of `person`'s learning items fell due in [start, end) — before today — and were not done
    (the scorecard's "missed learning −1 each"). For each stage due then (not waived, the enrolment not
    withdrawn before the date): its course and lesson tasks not complete, and its assessments not passed
    by the end of the due date. Readings and practice sets leave no record of being done, so never count."""
    last = min(end, clock.today())
    stages = db.session.scalars(
        select(EnrolmentStage).join(EnrolmentStage.enrolment).options(contains_eager(EnrolmentStage.enrolment))
        .where(Enrolment.person_id == person.id, EnrolmentStage.due_date >= start, EnrolmentStage.due_date < last,
               EnrolmentStage.outcome != Outcome.waived, Enrolment.start_date <= EnrolmentStage.due_date)
        .order_by(EnrolmentStage.id))
    return sum(_missed_in_stage(person, stage) for stage in stages if not _withdrawn_by(stage))


def _withdrawn_by(stage: EnrolmentStage) -> bool:
    withdrawn = stage.enrolment.withdrawn_at
    return withdrawn is not None and clock.local_date(withdrawn) <= stage.due_date


def _missed_in_stage(person: Person, stage: EnrolmentStage) -> int:
    definition = stage.definition
    tasks = sum(1 for t in definition["tasks"] if t["kind"] == "course" and progress.course_progress(person, t["ref"]) < 1.0
                or t["kind"] == "lesson" and not progress.lesson_done(person, t["ref"]))
    deadline = clock.day_start(stage.due_date + timedelta(days=1))
    late = sum(1 for a in definition["assessments"] if (_passed_at(person, a) or deadline) >= deadline)
    return tasks + late


def _passed_at(person: Person, assessment: dict):
    if assessment["kind"] == "external":
        found = verified_qualification(person, assessment["ref"])
        return clock.as_utc(found.verified_at) if found is not None else None
    return progress.exam_passed_at(person, assessment["ref"])


# --- trainer decisions -----------------------------------------------------------------------------
def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise DomainError(_("Give a reason of at least 4 characters; it is kept in the history."), 422)
    return reason[:500]


def _stage(enrolment: Enrolment, position: int) -> EnrolmentStage:
    stage = next((s for s in enrolment.stages if s.position == position), None)
    if stage is None:
        raise DomainError(_("The plan has no stage %(n)d.", n=position), 404)
    return stage


#: the history action each trainer decision writes
DECISION_ACTIONS = {"waive": "stage_waived", "fail": "stage_failed", "reopen": "stage_reopened"}


def decide_stage(actor: Person, enrolment: Enrolment, position: int, decision: str, reason: str) -> None:
    """A trainer waives, fails or reopens a stage, with a reason."""
    policy.require(policy.can_adjust_stages(actor, enrolment))
    reason, stage = _reason(reason), _stage(enrolment, position)
    if decision == "waive":
        stage.waive(reason)
    elif decision == "fail":
        stage.fail(reason)
    elif decision == "reopen":
        _require_attempt_left(enrolment.person, stage)
        stage.reopen(reason)
    else:
        raise DomainError(_("Unknown decision."), 422)
    record(enrolment, DECISION_ACTIONS[decision], actor, position, reason)
    audit.record(f"plan.stage_{decision}", enrolment, actor=actor, stage=position, reason=reason)
    _after_decision(enrolment, actor)
    evaluate(enrolment, actor)  # the stage now open may already have all its results


def _require_attempt_left(person: Person, stage: EnrolmentStage) -> None:
    """Reopening a stage failed on used-up attempts would fail it again at once: say what to do instead."""
    exhausted = _exhausted_assessment(person, stage)
    if exhausted is not None:
        raise DomainError(_("%(name)s has no attempts left at %(exam)s: grant an extra attempt in the exam first, "
                            "then reopen stage %(n)d.", name=person.name, exam=progress.exam_title(exhausted["ref"]),
                            n=stage.position), 409)


def withdraw(actor: Person, enrolment: Enrolment, reason: str) -> None:
    policy.require(policy.can_withdraw(actor, enrolment))
    reason = _reason(reason)
    enrolment.withdraw(reason)
    record(enrolment, "withdrawn", actor, note=reason)
    audit.record("plan.withdraw", enrolment, actor=actor, reason=reason)


def set_assessor(actor: Person, enrolment: Enrolment, position: int, assessor: Person | None) -> None:
    policy.require(policy.can_withdraw(actor, enrolment))
    if assessor is not None and not policy.can_be_assessor(actor, assessor):
        raise DomainError(_("%(name)s (%(no)s) works outside your scope and cannot assess here.",
                            name=assessor.name, no=assessor.employee_no), 422)
    _stage(enrolment, position).assessor = assessor
    record(enrolment, "assessor_set", actor, position,
           data={"assessor": assessor.employee_no, "name": assessor.name} if assessor else {"assessor": None})


# --- external qualifications -----------------------------------------------------------------------
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
SIGNATURES = {b"%PDF-": ("application/pdf", "pdf"), b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
              b"\xff\xd8\xff": ("image/jpeg", "jpg")}


def sniff(data: bytes) -> tuple[str, str] | None:
    """The evidence's type from its first bytes (never from its name or the browser's claim)."""
    return next((kind for magic, kind in SIGNATURES.items() if data.startswith(magic)), None)


def evidence_dir() -> Path:
    from flask import current_app

    path = Path(current_app.config["INSTANCE_PATH"]) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_evidence(actor: Person, enrolment: Enrolment, kind: str, certificate_no: str, certified_on: date,
                    data: bytes, filename: str) -> Qualification:
    person = enrolment.person
    policy.require(policy.can_upload_evidence(actor, person))
    enrolment.require_active()
    _check_evidence(enrolment, kind, certificate_no, certified_on, data)
    content_type, extension = sniff(data)
    stored = f"{hashlib.sha256(data).hexdigest()[:32]}-{clock.now().strftime('%Y%m%d%H%M%S%f')}.{extension}"
    qualification = Qualification(person=person, enrolment_id=enrolment.id, kind=kind,
                                  certificate_no=certificate_no.strip(), certified_on=certified_on, stored_name=stored,
                                  original_name=Path(filename or "").name[:200], content_type=content_type,
                                  size=len(data), uploaded_by_id=actor.id)
    db.session.add(qualification)
    db.session.flush()
    files.write_in_transaction(evidence_dir() / stored, data)  # removed again if the upload does not commit
    record(enrolment, "evidence_uploaded", actor, enrolment.current_stage,
           data={"kind": kind, "certificate_no": certificate_no.strip()})
    return qualification


def _check_evidence(enrolment: Enrolment, kind: str, certificate_no: str, certified_on: date, data: bytes) -> None:
    wanted = {a["ref"] for s in enrolment.version.stages for a in s["assessments"] if a["kind"] == "external"}
    if kind not in wanted:
        raise DomainError(_("This plan does not ask for the qualification \"%(kind)s\".", kind=kind), 422)
    if not certificate_no or not certificate_no.strip():
        raise DomainError(_("Enter the certificate number."), 422)
    if certified_on > clock.today():
        raise DomainError(_("The certificate date %(date)s is in the future.", date=certified_on.isoformat()), 422)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise DomainError(_("The file is %(size)s MB; evidence may be at most 5 MB.",
                            size=f"{len(data) / 1024 / 1024:.1f}"), 413)
    if not data or sniff(data) is None:
        raise DomainError(_("The file is not a PDF, PNG or JPEG (checked by its content, not its name)."), 422)


def review_evidence(actor: Person, qualification: Qualification, verify: bool, reason: str = "") -> None:
    policy.require(policy.can_review_evidence(actor, qualification))
    enrolment = db.session.get(Enrolment, qualification.enrolment_id) if qualification.enrolment_id else None
    if verify:
        qualification.verify(actor)
    else:
        qualification.reject(actor, _reason(reason))
    audit.record("plan.evidence_" + ("verify" if verify else "reject"), qualification, actor=actor, reason=reason)
    if enrolment is not None:
        action = "evidence_verified" if verify else "evidence_rejected"
        record(enrolment, action, actor, enrolment.current_stage, reason or "",
               data={"kind": qualification.kind, "certificate_no": qualification.certificate_no})
    if verify:
        events.qualification_verified.send(qualification, qualification=qualification)
        evaluate_person(qualification.person, data={"kind": qualification.kind, "certificate_no": qualification.certificate_no})


def verified_qualification(person: Person, kind: str) -> Qualification | None:
    return db.session.scalars(select(Qualification).where(
        Qualification.person_id == person.id, Qualification.kind == kind,
        Qualification.status == EvidenceStatus.verified).order_by(Qualification.verified_at)).first()


def qualifications_of(person: Person) -> list[Qualification]:
    return list(db.session.scalars(select(Qualification).where(Qualification.person_id == person.id)
                                   .order_by(Qualification.uploaded_at.desc())))


def pending_evidence(actor: Person) -> list[Qualification]:
    """Evidence awaiting verification from people `actor` may review."""
    query = (select(Qualification).join(Qualification.person).join(Person.org_unit)
             .where(Qualification.status == EvidenceStatus.pending,
                    policy.in_scope_clause(OrgUnit.path, actor, (Role.assessor, Role.trainer)),
                    Qualification.person_id != actor.id)
             .order_by(Qualification.uploaded_at))
    return list(db.session.scalars(query))


# --- the branch-head list ----------------------------------------------------------------------------
@dataclass
class Filters:
    plan: PlanTemplate | None = None
    stage: int | None = None
    state: str | None = None
    unit: OrgUnit | None = None
    due_before: date | None = None
    #: an unknown org unit was asked for: match nothing rather than everything
    empty: bool = False


def enrolments_query(actor: Person, filters: Filters):
    """One query for everyone enrolled in `actor`'s scope, filtered; state is computed in SQL."""
    query = (select(Enrolment).join(Enrolment.person).join(Person.org_unit)
             .where(policy.in_scope_clause(OrgUnit.path, actor)))
    if filters.empty:
        query = query.where(false())
    if filters.plan is not None:
        query = query.where(Enrolment.template_id == filters.plan.id)
    if filters.stage:
        query = query.where(Enrolment.current_stage == filters.stage)
    if filters.state:
        query = query.where(Enrolment.state == filters.state)
    if filters.unit is not None:
        query = query.where(subtree_clause(OrgUnit.path, filters.unit.path))
    if filters.due_before is not None:
        query = query.where(Enrolment.current_due.is_not(None), Enrolment.current_due <= filters.due_before,
                            Enrolment.progress == Progress.active)
    return query.order_by(Enrolment.current_due.is_(None), Enrolment.current_due, Person.employee_no, Enrolment.id)


def due_this_week(actor: Person) -> list[Enrolment]:
    """Active enrolments whose open stage is due by the end of this week (Sunday), overdue ones first."""
    today = clock.today()
    sunday = today + timedelta(days=6 - today.weekday())
    return list(db.session.scalars(enrolments_query(actor, Filters(due_before=sunday))))


def my_enrolments(person: Person) -> list[Enrolment]:
    return list(db.session.scalars(select(Enrolment).where(Enrolment.person_id == person.id)
                                   .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())))


def people_for_bulk(actor: Person, unit: OrgUnit, position: str | None) -> list[Person]:
    query = (select(Person).join(Person.org_unit).where(subtree_clause(OrgUnit.path, unit.path),
                                                        Person.status == PersonStatus.active))
    if position:
        query = query.where(Person.position == position)
    return list(db.session.scalars(query.order_by(Person.employee_no)))


# --- reactions to other domains ------------------------------------------------------------------
@events.attempt_finalised.connect
def _on_attempt_finalised(sender, attempt=None, **_facts) -> None:
    """An exam result became final: it may pass the stage that asks for that exam."""
    person = db.session.get(Person, attempt.person_id)
    if person is not None:
        slug = getattr(attempt.exam, "slug", "")
        evaluate_person(person, data={"exam": slug} if slug else None)


@events.course_completed.connect
def _on_course_completed(sender, person=None, course=None, **_facts) -> None:
    """Courses do not gate a stage (its assessments do), but the history notes the completion
    for each active enrolment whose open stage lists the course."""
    slug = getattr(course, "slug", str(course))
    for enrolment in db.session.scalars(select(Enrolment).where(
            Enrolment.person_id == person.id, Enrolment.progress == Progress.active)):
        stage = enrolment.open_stage
        if stage is not None and any(t["kind"] == "course" and t["ref"] == slug for t in stage.definition["tasks"]):
            record(enrolment, "course_completed", None, stage.position, data={"course": slug})


def state_counts(actor: Person) -> dict[str, int]:
    """Enrolments in `actor`'s scope by state, in one grouped query."""
    inner = enrolments_query(actor, Filters()).order_by(None).subquery()
    state = Enrolment.state
    rows = db.session.execute(
        select(state, func.count()).select_from(Enrolment).where(Enrolment.id.in_(select(inner.c.id))).group_by(state)
    ).all()
    return {value: count for value, count in rows}


def in_stage(person: Person, stage: int) -> bool:
    """Whether `person` is at plan stage `stage` now: an active enrolment with that stage open.
    The exam engine asks this for exams whose audience is a plan stage."""
    return db.session.scalar(
        select(EnrolmentStage.id)
        .join(Enrolment, Enrolment.id == EnrolmentStage.enrolment_id)
        .where(Enrolment.person_id == person.id, Enrolment.progress == Progress.active,
               EnrolmentStage.position == stage, EnrolmentStage.outcome == Outcome.open)
        .limit(1)
    ) is not None
