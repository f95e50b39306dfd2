"""Compliance as CSV or XLSX: one row for the unit, one per child unit, then the people behind the numbers."""
from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from flask_babel import to_user_timezone
from openpyxl import Workbook

from app.certification.compliance import Compliance, Counts, PersonRow


def _headers() -> list[str]:
    return [_("Unit"), _("Code"), _("Required"), _("Licensed"), _("Unlicensed"), _("Expiring within 30 days"),
            _("Expiring within 60 days"), _("Expiring within 90 days"), _("Expired")]


def _row(name: str, code: str, counts: Counts) -> list:
    return [name, code, *counts.as_dict().values()]


def rows(result: Compliance, locale: str) -> list[list]:
    out = [_row(result.unit.display_name(locale), result.unit.code, result.total)]
    out += [_row(child.display_name(locale), child.code, counts) for child, counts in result.children]
    return out


def _until(row: PersonRow) -> str:
    """The "licensed until" cell, as the page shows it: the date (in the reader's time zone), or that it does not expire."""
    if not row.licensed:
        return ""
    return to_user_timezone(row.until).date().isoformat() if row.until else _("does not expire")


def _people_rows(people: list[PersonRow], locale: str) -> list[list]:
    return [[row.person.employee_no, row.person.name, row.person.position_label, row.person.org_unit.display_name(locale),
             row.standing_label, _until(row)] for row in people]


def _people_headers() -> list[str]:
    return [_("Employee number"), _("Name"), _("Position"), _("Unit"), _("Status"), _("Licensed until")]


def to_csv(result: Compliance, people, locale: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    writer.writerows(rows(result, locale))
    writer.writerow([])
    writer.writerow(_people_headers())
    writer.writerows(_people_rows(people, locale))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8 Chinese


def to_xlsx(result: Compliance, people, locale: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Compliance")[:31]
    sheet.append(_headers())
    for row in rows(result, locale):
        sheet.append(row)
    names = book.create_sheet(_("People")[:31])
    names.append(_people_headers())
    for row in _people_rows(people, locale):
        names.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
