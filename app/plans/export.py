"""The branch-head list as an XLSX workbook (one row per enrolment, the same columns as the page)."""
from __future__ import annotations

import io

from flask import send_file
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from app.core import clock
from app.core.i18n import localised
from app.plans.models import Enrolment, State

HIGHLIGHT = PatternFill("solid", fgColor="FDE7E7")


def rows(enrolments: list[Enrolment], locale: str) -> list[list]:
    result = []
    for enrolment in enrolments:
        stage = enrolment.stages[enrolment.current_stage - 1]
        definition = stage.definition
        title = localised(definition, "title", locale)
        result.append([
            enrolment.person.employee_no, enrolment.person.name, enrolment.person.position_label,
            enrolment.person.org_unit.display_name(locale), enrolment.template.display_title(locale),
            enrolment.version.number, enrolment.start_date, f"{stage.position}. {title}", enrolment.state.label,
            enrolment.current_due, stage.assessor.name if stage.assessor else "",
            ", ".join(str(n) for n in enrolment.waived_positions),
        ])
    return result


def xlsx_response(enrolments: list[Enrolment], locale: str):
    book = Workbook()
    sheet = book.active
    sheet.title = _("Enrolments")[:31]
    sheet.append([_("Employee number"), _("Name"), _("Position"), _("Org unit"), _("Plan"), _("Version"),
                  _("Start date"), _("Current stage"), _("State"), _("Due"), _("Assessor"), _("Waived stages")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    bad = {State.overdue.label, State.failed.label}
    for row in rows(enrolments, locale):
        sheet.append(row)
        if row[8] in bad:
            for cell in sheet[sheet.max_row]:
                cell.fill = HIGHLIGHT
    for column, width in zip("ABCDEFGHIJKL", (14, 12, 18, 24, 28, 8, 12, 36, 10, 12, 12, 10)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    name = f"plan-enrolments-{clock.today().isoformat()}.xlsx"
    return send_file(buffer, as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
