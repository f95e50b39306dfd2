"""Every access decision, in one place. Pages and the API both ask here.

A person sees their own records. Branch heads, trainers and assessors see the people in the
org subtrees their roles are granted on; head-office admins see everything.
"""
from __future__ import annotations

from sqlalchemy import false, or_, select, true
from werkzeug.exceptions import Forbidden

from app.accounts.models import Person, Role
from app.org.models import OrgUnit, subtree_clause

#: Roles that may look at other people in their subtree.
OVERSIGHT_ROLES = (Role.branch_head, Role.trainer, Role.assessor)


def require(allowed: bool) -> None:
    """Stop the request with 403 unless `allowed`."""
    if not allowed:
        raise Forbidden()


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
