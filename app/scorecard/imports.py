"""Bulk work-log import from CSV/XLSX: every row is checked first; any error and nothing is saved."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.core import audit, clock, policy
from app.core.tabular import RowError, TableInvalid, read_table
from app.extensions import db
from app.scorecard import services
from app.scorecard.models import EntryKind, WorkLogEntry
from app.scorecard.months import month_of

ALIASES = {
    "employee_no": {"工号", "员工号", "employee number", "employee no"},
    "kind": {"类型", "类别", "kind", "type"},
    "occurred_on": {"日期", "date", "occurred_on"},
    "customer": {"客户", "客户/单位", "customer"},
    "reported_on": {"报备日期", "reported_on", "reported on"},
    "plan": {"活动方案", "方案", "plan"},
    "results": {"活动结果", "结果", "results"},
    "score": {"分数", "得分", "score"},
    "severity": {"严重程度", "severity"},
    "note": {"备注", "说明", "note"},
}
REQUIRED = {"employee_no", "kind", "occurred_on"}
KIND_WORDS = {
    "电话": EntryKind.call, "电话联系": EntryKind.call, "拜访": EntryKind.visit, "客户拜访": EntryKind.visit,
    "活动": EntryKind.event, "神秘人检查": EntryKind.service_check, "服务录像": EntryKind.service_check,
    "满意度": EntryKind.satisfaction, "投诉": EntryKind.complaint, "不规范行为": EntryKind.misconduct,
    **{kind.value: kind for kind in EntryKind},
}


@dataclass
class ImportResult:
    entries: int = 0
    people: int = 0


def import_work_log(data: bytes, filename: str, actor: Person) -> ImportResult:
    """Raises TableInvalid listing every bad cell; changes nothing in that case."""
    table = read_table(data, filename, ALIASES, REQUIRED)
    rows = _validate(table.rows, actor)
    touched: dict[date, set[int]] = {}
    for person, entry in rows:
        db.session.add(WorkLogEntry(person_id=person.id, entered_by_id=actor.id, **entry.__dict__))
        touched.setdefault(month_of(entry.occurred_on), set()).add(person.id)
    db.session.flush()
    for month, people in touched.items():
        services.recompute(month, people)
    people = set().union(*touched.values()) if touched else set()
    audit.record("worklog.import", actor=actor, file=filename, entries=len(rows), people=len(people))
    return ImportResult(len(rows), len(people))


def _validate(raw_rows, actor: Person) -> list[tuple[Person, services.EntryInput]]:
    numbers = {cells["employee_no"] for _n, cells in raw_rows}
    people = {p.employee_no: p for p in db.session.scalars(select(Person).where(Person.employee_no.in_(numbers)))}
    errors: list[RowError] = []
    rows = []
    today = clock.today()
    for number, cells in raw_rows:
        before = len(errors)
        person = _person(cells["employee_no"], people, number, errors)
        entry = _entry(cells, number, errors)
        if person is not None and entry is not None:
            _check_access(actor, person, entry.kind, number, errors)
            errors += [RowError(number, name, message) for name, message in services.entry_problems(entry, today)]
        if len(errors) == before:
            rows.append((person, entry))
    if errors:
        raise TableInvalid(errors)
    return rows


def _person(employee_no: str, people: dict[str, Person], number: int, errors: list[RowError]) -> Person | None:
    person = people.get(employee_no)
    if person is None:
        errors.append(RowError(number, "employee_no", _("There is no one with employee number “%(no)s”.", no=employee_no)))
    return person


def _check_access(actor: Person, person: Person, kind: EntryKind, number: int, errors: list[RowError]) -> None:
    if kind.inspection and not policy.can_enter_inspection(actor, person):
        errors.append(RowError(number, "employee_no", _("You may not enter inspection items for %(name)s.", name=person.name)))
    elif not kind.inspection and not policy.can_log_own_work(actor, person):
        errors.append(RowError(number, "employee_no", _("Calls, visits and events are logged by the person themselves.")))


def _entry(cells: dict[str, str], number: int, errors: list[RowError]) -> services.EntryInput | None:
    before = len(errors)
    kind = KIND_WORDS.get(cells["kind"].strip().lower()) or KIND_WORDS.get(cells["kind"].strip())
    if kind is None:
        errors.append(RowError(number, "kind", _("Unknown kind “%(value)s”.", value=cells["kind"])))
    occurred = _date(cells["occurred_on"], "occurred_on", number, errors, required=True)
    reported = _date(cells.get("reported_on", ""), "reported_on", number, errors)
    score = _decimal(cells.get("score", ""), number, errors)
    severity = _severity(cells.get("severity", ""), number, errors)
    if len(errors) > before:
        return None
    return services.EntryInput(kind=kind, occurred_on=occurred, customer=cells.get("customer", "")[:120],
                               reported_on=reported, plan=cells.get("plan", ""), results=cells.get("results", ""),
                               score=score, severity=severity, note=cells.get("note", ""))


def _date(text: str, column: str, number: int, errors: list[RowError], required: bool = False) -> date | None:
    text = (text or "").strip()[:10].replace("/", "-")
    if not text:
        if required:
            errors.append(RowError(number, column, _("The date is empty.")))
        return None
    try:
        return date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
    except ValueError:
        errors.append(RowError(number, column, _("“%(value)s” is not a date like 2026-05-31.", value=text)))
        return None


def _decimal(text: str, number: int, errors: list[RowError]) -> Decimal | None:
    if not text.strip():
        return None
    try:
        value = Decimal(text.strip())
        if value.is_finite():
            return value
    except InvalidOperation:
        pass
    errors.append(RowError(number, "score", _("“%(value)s” is not a number.", value=text)))
    return None


def _severity(text: str, number: int, errors: list[RowError]) -> int | None:
    if not text.strip():
        return None
    if text.strip() not in ("1", "2", "3"):
        errors.append(RowError(number, "severity", _("Severity must be 1, 2 or 3.")))
        return None
    return int(text.strip())
