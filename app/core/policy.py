"""Every access decision, in one place. Pages and the API both ask here.

A person sees their own records. Branch heads, trainers and assessors see the people in the
org subtrees their roles are granted on; head-office admins see everything.
"""
from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true
from werkzeug.exceptions import Forbidden, NotFound

from app.accounts.models import Person, Role
from app.org.models import OrgUnit, subtree_clause

#: Roles that may look at other people in their subtree.
OVERSIGHT_ROLES = (Role.branch_head, Role.trainer, Role.assessor)


def require(allowed: bool) -> None:
    """Stop the request with 403 unless `allowed`."""
    if not allowed:
        raise Forbidden()


def visible_or_404(actor: Person, obj, may_see):
    """`obj` when it exists (404 otherwise) and `may_see(actor, obj)` holds (403 otherwise):
    the one way pages load an object named in the URL."""
    if obj is None:
        raise NotFound()
    require(may_see(actor, obj))
    return obj


def scope_units(actor: Person, roles=OVERSIGHT_ROLES) -> list[OrgUnit] | None:
    """The subtree roots `actor` may act on through `roles`; None means the whole bank."""
    if actor.is_admin:
        return None
    return [grant.org_unit for grant in actor.roles if grant.role in roles and grant.org_unit is not None]


def in_scope_clause(path_column, actor: Person, roles=OVERSIGHT_ROLES):
    """SQL condition on an org path column: the row lies in one of `actor`'s subtrees."""
    units = scope_units(actor, roles)
    if units is None:
        return true()
    if not units:
        return false()
    return or_(*(subtree_clause(path_column, unit.path) for unit in units))


def people_in_scope(actor: Person, roles=OVERSIGHT_ROLES):
    """A select of the people `actor` may see through `roles` (not themselves unless in scope)."""
    return select(Person).join(Person.org_unit).where(in_scope_clause(OrgUnit.path, actor, roles))


def unit_in_scope(actor: Person, unit: OrgUnit, roles=OVERSIGHT_ROLES) -> bool:
    units = scope_units(actor, roles)
    return units is None or any(root.contains(unit) for root in units)


def can_see_person(actor: Person, person: Person, roles=OVERSIGHT_ROLES) -> bool:
    return actor.id == person.id or unit_in_scope(actor, person.org_unit, roles)


def can_administer(actor: Person) -> bool:
    """Head-office administration: roster import, roles, accounts."""
    return actor.is_admin


def can_grant(actor: Person, role: Role, unit: OrgUnit | None) -> bool:
    """Only admins grant roles; scoped roles need a unit."""
    return actor.is_admin and (unit is not None or not role.scoped)


def widest_scope(actor: Person) -> OrgUnit:
    """The widest unit the person may see: the root for admins, else their shallowest grant,
    else their own unit."""
    units = scope_units(actor)
    if units is None:
        from app.org.services import root_unit

        return root_unit()
    return min(units, key=lambda unit: unit.depth, default=actor.org_unit)


# --- performance evaluation and honours (issue 8) ------------------------------------------------
#: Roles that may enter inspection items (mystery shopper, complaints, ...) and assess events.
HEAD_ROLES = (Role.branch_head,)


def can_log_own_work(actor: Person, person: Person) -> bool:
    """Calls, visits and events are logged by the person themselves."""
    return actor.id == person.id


def can_enter_inspection(actor: Person, person: Person) -> bool:
    """Inspection items are entered by a head for someone else in their scope."""
    return actor.id != person.id and unit_in_scope(actor, person.org_unit, HEAD_ROLES)


def can_edit_rules(actor: Person, unit: OrgUnit | None) -> bool:
    """Head office edits the bank default (unit None) and any set; a branch head the sets in their scope."""
    if actor.is_admin:
        return True
    return unit is not None and unit_in_scope(actor, unit, HEAD_ROLES)


def can_nominate(actor: Person, unit: OrgUnit) -> bool:
    """Branch heads and trainers nominate outlets and people in their scope."""
    return unit_in_scope(actor, unit, (Role.branch_head, Role.trainer))


def can_review_honours(actor: Person) -> bool:
    """Head office reviews nominations, awards and revokes honours."""
    return actor.is_admin


def can_see_nomination(actor: Person, nominator_id: int | None, unit: OrgUnit) -> bool:
    return actor.is_admin or actor.id == nominator_id or unit_in_scope(actor, unit)


def can_open_nomination(actor: Person, nomination) -> bool:
    return can_see_nomination(actor, nomination.nominated_by_id, nomination.nominee_unit_or_home)


def can_get_honour_document(actor: Person, nomination) -> bool:
    """The honoured person, the staff of the honoured outlet, and whoever may see the nomination."""
    if nomination.nominee_person_id is not None and actor.id == nomination.nominee_person_id:
        return True
    if nomination.nominee_unit_id is not None and actor.org_unit_id == nomination.nominee_unit_id:
        return True
    return can_open_nomination(actor, nomination)


# --- learning plans (app/plans) ------------------------------------------------------------------
def can_edit_plans(actor: Person) -> bool:
    """Plan templates are edited by trainers (any scope) and head-office admins."""
    return actor.is_admin or actor.has_role(Role.trainer)


def can_enrol(actor: Person, person: Person) -> bool:
    """Branch heads and trainers enrol people in their subtree."""
    return unit_in_scope(actor, person.org_unit, (Role.branch_head, Role.trainer))


def can_enrol_in_unit(actor: Person, unit: OrgUnit) -> bool:
    return unit_in_scope(actor, unit, (Role.branch_head, Role.trainer))


def can_see_enrolment(actor: Person, enrolment) -> bool:
    return can_see_person(actor, enrolment.person)


def can_adjust_stages(actor: Person, enrolment) -> bool:
    """Waive, fail or reopen a stage: trainers in scope."""
    return unit_in_scope(actor, enrolment.person.org_unit, (Role.trainer,))


def can_withdraw(actor: Person, enrolment) -> bool:
    return unit_in_scope(actor, enrolment.person.org_unit, (Role.branch_head, Role.trainer))


def can_upload_evidence(actor: Person, person: Person) -> bool:
    """The trainee themself, or a branch head or trainer over them."""
    return actor.id == person.id or unit_in_scope(actor, person.org_unit, (Role.branch_head, Role.trainer))


def can_review_evidence(actor: Person, qualification) -> bool:
    """Assessors and trainers over the person verify; nobody verifies their own certificate."""
    return actor.id != qualification.person_id and unit_in_scope(
        actor, qualification.person.org_unit, (Role.assessor, Role.trainer))


def can_see_evidence(actor: Person, qualification) -> bool:
    return can_see_person(actor, qualification.person)


def can_be_assessor(actor: Person, assessor: Person) -> bool:
    """An assessor named at enrolment must work within the enrolling person's scope."""
    return unit_in_scope(actor, assessor.org_unit, (Role.branch_head, Role.trainer))


# --- certification (app/certification) -----------------------------------------------------------
#: Roles that read the license-to-hold-post (持证上岗) compliance of their subtree.
COMPLIANCE_ROLES = (Role.branch_head,)


def can_manage_certificates(actor: Person, holder: Person) -> bool:
    """Issuing by hand, suspending, reinstating and revoking certificates: head office only."""
    return actor.is_admin


def can_see_compliance(actor: Person, unit: OrgUnit) -> bool:
    """Branch heads see compliance for their subtree; head-office admins for the whole bank."""
    return unit_in_scope(actor, unit, COMPLIANCE_ROLES)


def can_see_certificates(actor: Person, holder: Person) -> bool:
    """A person's certificates: the holder, and whoever may see the holder."""
    return can_see_person(actor, holder)


# --- courses -------------------------------------------------------------------------------------
#: Roles whose holders see course progress of the people in their subtrees.
COURSE_REPORT_ROLES = (Role.trainer, Role.branch_head)


def can_author_courses(actor: Person) -> bool:
    """Trainers (any scope) and admins write, publish and retire courses: content is bank-wide."""
    return actor.is_admin or actor.has_role(Role.trainer)


def can_see_course_reports(actor: Person) -> bool:
    """Who started and finished a course, and its ratings: trainers, branch heads and admins, each for their scope."""
    return actor.is_admin or bool(scope_units(actor, COURSE_REPORT_ROLES))


def can_read_course(actor: Person, course) -> bool:
    """Any signed-in person reads an offered course; authors also read retired ones (history and diffs)."""
    return course.is_offered or (can_author_courses(actor) and course.current_version_id is not None)


# --- questions and exams -------------------------------------------------------------------------
#: Roles whose holders read exam statistics and grant overrides for the people in their subtrees.
EXAM_MANAGER_ROLES = (Role.trainer,)
#: Roles whose holders score practical items of the people in their subtrees.
ASSESSOR_ROLES = (Role.assessor,)


def can_manage_questions(actor: Person) -> bool:
    """The question bank is bank-wide: trainers (any scope) and admins edit, import and retire."""
    return actor.is_admin or actor.has_role(Role.trainer)


def can_manage_exams(actor: Person) -> bool:
    """Exam pages for trainers: statistics (of their scope) and overrides."""
    return actor.is_admin or actor.has_role(Role.trainer)


def can_assess(actor: Person, trainee: Person) -> bool:
    """An assessor scores practical items of trainees in the subtrees of their assessor grants only,
    and never their own."""
    if not actor.has_role(Role.assessor) or actor.id == trainee.id:
        return False
    return any(grant.org_unit is None or grant.org_unit.contains(trainee.org_unit)
               for grant in actor.roles if grant.role is Role.assessor)


def assessed_people_clause(path_column, person_id_column, actor: Person):
    """SQL condition on a person's org path and id: the people `actor` may assess (never via admin
    alone, never themselves)."""
    if not actor.has_role(Role.assessor):
        return false()
    units = [grant.org_unit for grant in actor.roles if grant.role is Role.assessor]
    in_scope = true() if any(unit is None for unit in units) else or_(*(subtree_clause(path_column, unit.path) for unit in units))
    return and_(in_scope, person_id_column != actor.id)


def can_assess_attempt(actor: Person, attempt) -> bool:
    return can_assess(actor, attempt.person)


def sits_attempt(actor: Person, attempt) -> bool:
    """Answering, submitting and reviewing an attempt: only the person sitting it."""
    return actor.id == attempt.person_id


def can_see_attempt(actor: Person, attempt) -> bool:
    """The person who sat it, and trainers, assessors and branch heads over that person."""
    return actor.id == attempt.person_id or can_see_person(actor, attempt.person)


def can_override_exam(actor: Person, person: Person) -> bool:
    """Extra time or attempts: trainers over that person, and admins."""
    return actor.is_admin or (actor.has_role(Role.trainer) and unit_in_scope(actor, person.org_unit, EXAM_MANAGER_ROLES))
