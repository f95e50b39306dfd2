"""Changing people and their roles. Services flush; the request or command commits."""
from __future__ import annotations

import secrets
import string

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Person, PersonStatus, Role, RoleGrant
from app.core import audit, policy
from app.core.errors import DomainError
from app.extensions import db
from app.org.models import OrgUnit


def temporary_password() -> str:
    """12 characters a person can type from a slip of paper: no 0/O or 1/l."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        value = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def grant_role(actor: Person, person: Person, role: Role, unit: OrgUnit | None) -> RoleGrant:
    if role.scoped and unit is None:
        raise DomainError(_("This role needs an org unit it applies to."), 422)
    policy.require(policy.can_grant(actor, role, unit))
    unit = unit if role.scoped else None
    for grant in person.roles:
        if grant.role is role and grant.org_unit_id == (unit.id if unit else None):
            raise DomainError(_("%(name)s already holds this role.", name=person.name), 409)
    grant = RoleGrant(role=role, org_unit=unit)
    person.roles.append(grant)
    db.session.flush()
    audit.record("role.grant", person, actor=actor, role=role.value, unit=unit.code if unit else None)
    return grant


def revoke_role(actor: Person, person: Person, grant_id: int) -> None:
    grant = grant_or_404(person, grant_id)
    check_revoke(actor, person, grant)
    person.roles.remove(grant)
    db.session.flush()
    audit.record("role.revoke", person, actor=actor, role=grant.role.value, unit=grant.org_unit.code if grant.org_unit else None)


def check_revoke(actor: Person, person: Person, grant: RoleGrant) -> None:
    """Raise DomainError when `actor` may not remove `grant`: never one's own admin role, nor the
    admin role of the last active administrator."""
    policy.require(policy.can_administer(actor))
    if grant.role is Role.admin and person.id == actor.id:
        raise DomainError(_("You cannot remove your own admin role."), 409)
    other_admin_grants = [g for g in person.roles if g.role is Role.admin and g is not grant]
    if grant.role is Role.admin and person.is_active and not other_admin_grants and not _other_active_admins(person):
        raise DomainError(_("%(name)s is the last active administrator: make someone else an administrator first.",
                            name=person.name), 409)


def grant_or_404(person: Person, grant_id: int) -> RoleGrant:
    grant = next((g for g in person.roles if g.id == grant_id), None)
    if grant is None:
        raise DomainError(_("That role was not found."), 404)
    return grant


def _other_active_admins(person: Person) -> int:
    """How many active, enabled people other than `person` hold the admin role."""
    return db.session.scalar(
        select(func.count(func.distinct(Person.id))).join(RoleGrant, RoleGrant.person_id == Person.id)
        .where(RoleGrant.role == Role.admin, Person.id != person.id, Person.disabled.is_(False),
               Person.status == PersonStatus.active)
    )


def set_disabled(actor: Person, person: Person, disabled: bool) -> None:
    policy.require(policy.can_administer(actor))
    if person.id == actor.id and disabled:
        raise DomainError(_("You cannot disable your own account."), 409)
    person.disable() if disabled else person.enable()
    audit.record("person.disable" if disabled else "person.enable", person, actor=actor)


def reset_password(actor: Person, person: Person) -> str:
    """A new temporary password, to be changed at next sign-in. Returned once, never stored in clear."""
    policy.require(policy.can_administer(actor))
    password = temporary_password()
    person.set_password(password, temporary=True)
    if not person.username:
        person.username = person.employee_no
    audit.record("person.reset_password", person, actor=actor)
    return password


def person_by_employee_no(employee_no: str) -> Person | None:
    return db.session.scalars(select(Person).where(Person.employee_no == employee_no)).one_or_none()
