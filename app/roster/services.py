"""Staff roster import: validate every row first, then apply all or nothing.
Re-importing updates people in place, matched by employee number."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import Person, PersonStatus, Role, RoleGrant
from app.accounts.positions import parse_position
from app.accounts.services import temporary_password
from app.core import audit
from app.core.tabular import Column, RowError, TableInvalid, read_table
from app.extensions import db
from app.org.models import OrgUnit
from app.org.services import units_by_code

ALIASES = {
    "employee_no": {"工号", "员工号", "employee number", "employee no"},
    "name": {"姓名", "name"},
    "org_code": {"机构代码", "机构号", "org code", "org"},
    "position": {"岗位", "职位", "position"},
    "roles": {"角色", "roles"},
    "status": {"状态", "status"},
}
REQUIRED = {"employee_no", "name", "org_code", "position"}
#: the columns as people know them, for "column missing" errors
COLUMNS = {
    "employee_no": Column(_l("Employee number"), ("工号", "employee_no")),
    "name": Column(_l("Name"), ("姓名", "name")),
    "org_code": Column(_l("Org unit code"), ("机构代码", "org_code")),
    "position": Column(_l("Position"), ("岗位", "position")),
}
STATUS_WORDS = {"": None, "active": PersonStatus.active, "在职": PersonStatus.active, "left": PersonStatus.left, "离职": PersonStatus.left}


@dataclass
class RosterRow:
    row: int
    employee_no: str
    name: str
    unit: OrgUnit
    position: str
    roles: list[tuple[Role, OrgUnit | None]] | None  # None: column absent or cell empty
    status: PersonStatus | None


@dataclass
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: (employee number, name, temporary password) for each new account
    new_accounts: list[tuple[str, str, str]] = field(default_factory=list)


def import_roster(data: bytes, filename: str, *, actor: Person | None = None, create_accounts: bool = True,
                  progress: Callable[[int, int], None] | None = None) -> RosterResult:
    """Raises TableInvalid listing every bad cell; changes nothing in that case."""
    table = read_table(data, filename, ALIASES, REQUIRED, COLUMNS)
    rows = _validate(table.rows)
    result = _apply(rows, create_accounts, progress)
    audit.record("roster.import", actor=actor, file=filename, created=result.created, updated=result.updated)
    db.session.flush()
    return result


def _validate(raw_rows: list[tuple[int, dict[str, str]]]) -> list[RosterRow]:
    units = units_by_code()
    errors: list[RowError] = []
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    for number, cells in raw_rows:
        row_errors = len(errors)
        employee_no = cells["employee_no"]
        if not employee_no:
            errors.append(RowError(number, "employee_no", _("The employee number is empty.")))
        elif len(employee_no) > 32:
            errors.append(RowError(number, "employee_no", _("The employee number is longer than 32 characters.")))
        elif employee_no in seen:
            errors.append(RowError(number, "employee_no", _("Employee number %(no)s also appears in row %(row)d.", no=employee_no, row=seen[employee_no])))
        else:
            seen[employee_no] = number
        if not cells["name"] or len(cells["name"]) > 80:
            errors.append(RowError(number, "name", _("The name is empty or longer than 80 characters.")))
        unit = units.get(cells["org_code"])
        if unit is None:
            errors.append(RowError(number, "org_code", _("There is no org unit with code “%(code)s”.", code=cells["org_code"])))
        position = parse_position(cells["position"])
        if position is None:
            errors.append(RowError(number, "position", _("Unknown position “%(value)s”.", value=cells["position"])))
        roles = _parse_roles(cells.get("roles", ""), unit, units, number, errors)
        status_word = cells.get("status", "").lower()
        if status_word not in STATUS_WORDS:
            errors.append(RowError(number, "status", _("Status must be active/在职 or left/离职.")))
        if len(errors) == row_errors:
            rows.append(RosterRow(number, employee_no, cells["name"], unit, position, roles, STATUS_WORDS[status_word]))
    if errors:
        raise TableInvalid(errors)
    return rows


def _parse_roles(cell: str, own_unit: OrgUnit | None, units: dict[str, OrgUnit], number: int,
                 errors: list[RowError]) -> list[tuple[Role, OrgUnit | None]] | None:
    """"trainee; branch_head@BJ; assessor": a scoped role without @code applies to the person's own unit."""
    if not cell.strip():
        return None
    roles = []
    for part in cell.replace("；", ";").replace(",", ";").split(";"):
        name, _sep, code = part.strip().partition("@")
        if not name:
            continue
        if name not in Role._value2member_map_:
            errors.append(RowError(number, "roles", _("Unknown role “%(value)s”.", value=name)))
            continue
        role = Role(name)
        unit = units.get(code.strip()) if code else own_unit
        if code and unit is None:
            errors.append(RowError(number, "roles", _("There is no org unit with code “%(code)s”.", code=code)))
            continue
        roles.append((role, unit if role.scoped else None))
    return roles


def _apply(rows: list[RosterRow], create_accounts: bool, progress) -> RosterResult:
    result = RosterResult()
    existing = {
        person.employee_no: person
        for person in db.session.scalars(select(Person).where(Person.employee_no.in_([r.employee_no for r in rows])))
    }
    for done, row in enumerate(rows, start=1):
        person = existing.get(row.employee_no)
        if person is None:
            _create(row, create_accounts, result)
        elif _update(person, row):
            result.updated += 1
        else:
            result.unchanged += 1
        if progress:
            progress(done, len(rows))
    db.session.flush()
    return result


def _create(row: RosterRow, create_accounts: bool, result: RosterResult) -> None:
    person = Person(employee_no=row.employee_no, name=row.name, org_unit=row.unit, position=row.position,
                    status=row.status or PersonStatus.active)
    for role, unit in row.roles if row.roles is not None else [(Role.trainee, None)]:
        person.roles.append(RoleGrant(role=role, org_unit=unit))
    if create_accounts:
        password = temporary_password()
        person.username = row.employee_no
        person.set_password(password, temporary=True)
        result.new_accounts.append((row.employee_no, row.name, password))
    db.session.add(person)
    result.created += 1


def _update(person: Person, row: RosterRow) -> bool:
    """Bring `person` in line with the row; True when anything changed."""
    changed = False
    for attr, value in (("name", row.name), ("org_unit_id", row.unit.id), ("position", row.position)):
        if getattr(person, attr) != value:
            setattr(person, attr, value)
            changed = True
    if row.status is not None and person.status is not row.status:
        person.status = row.status
        changed = True
    if row.roles is not None:
        wanted = {(role, unit.id if unit else None) for role, unit in row.roles}
        held = {(grant.role, grant.org_unit_id) for grant in person.roles}
        if wanted != held:
            # Remove and add only the difference: replacing every grant would insert before deleting.
            person.roles = [grant for grant in person.roles if (grant.role, grant.org_unit_id) in wanted]
            for role, unit in row.roles:
                if (role, unit.id if unit else None) not in held:
                    person.roles.append(RoleGrant(role=role, org_unit=unit))
            changed = True
    return changed
