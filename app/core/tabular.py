"""Reading CSV and XLSX uploads as rows of named cells, with errors that say row and column.
Shared by every bulk import (roster, work logs, ...)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Iterator

from flask_babel import gettext as _


@dataclass
class RowError:
    """One problem in one cell; `row` counts from 1 with the header row, as spreadsheets do."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("row %(row)d, column %(column)s: %(message)s", row=self.row, column=self.column, message=self.message)


class TableInvalid(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class Column:
    """How people know a column: its name in the UI language (a lazy string) and the headers to
    suggest when it is missing (e.g. the Chinese and the English spelling)."""

    label: str
    headers: tuple[str, ...]


@dataclass
class Table:
    """The header mapped to canonical field names, and the data rows as {field: text}."""

    columns: dict[str, str]  # canonical name → header as written in the file
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def read_table(data: bytes, filename: str, aliases: dict[str, set[str]], required: set[str],
               described: dict[str, Column] | None = None) -> Table:
    """Parse `data` as XLSX (by name) or CSV; map headers through `aliases` (canonical → accepted
    spellings); raise TableInvalid for a file that cannot be read or lacks required columns.
    `described` names the columns for people (canonical → Column) in those errors; the headers the
    file has but that match no column are listed with them, as one is often the misspelt column."""
    raw_rows = _xlsx_rows(data) if filename.lower().endswith((".xlsx", ".xlsm")) else _csv_rows(data)
    try:
        header = next(raw_rows)
    except StopIteration:
        raise TableInvalid([RowError(1, "-", _("The file is empty."))]) from None
    columns, positions = _map_header(header, aliases)
    missing = sorted(required - set(columns))
    if missing:
        raise TableInvalid([_missing_column(name, (described or {}).get(name)) for name in missing]
                           + _unrecognised(header, aliases))
    table = Table(columns=columns)
    for number, cells in enumerate(raw_rows, start=2):
        values = {name: _cell(cells, index) for name, index in positions.items()}
        if any(values.values()):
            table.rows.append((number, values))
    return table


def _missing_column(name: str, column: Column | None) -> RowError:
    if column is None:
        return RowError(1, name, _("Required column %(column)s is missing.", column=name))
    quoted = [_("“%(header)s”", header=header) for header in column.headers]
    spellings = _(" or ").join(quoted) if len(quoted) <= 2 else ", ".join(quoted[:-1]) + _(" or ") + quoted[-1]
    return RowError(1, str(column.label), _("Required column “%(column)s” is missing: head it %(spellings)s.",
                                             column=column.label, spellings=spellings))


def _unrecognised(header: list, aliases: dict[str, set[str]]) -> list[RowError]:
    known = {spelling.strip().lower() for name, spellings in aliases.items() for spelling in spellings | {name}}
    titles = [str(title).strip() for title in header if str(title or "").strip()]
    unknown = [title for title in titles if title.lower() not in known]
    if not unknown:
        return []
    listed = _(", ").join(_("“%(header)s”", header=title) for title in unknown)
    return [RowError(1, "-", _("Columns in the file that were not recognised: %(columns)s.", columns=listed))]


def _cell(cells: list, index: int) -> str:
    if index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn employee numbers into floats
    return str(value).strip()


def _map_header(header: list, aliases: dict[str, set[str]]) -> tuple[dict[str, str], dict[str, int]]:
    lookup = {spelling.strip().lower(): name for name, spellings in aliases.items() for spelling in spellings | {name}}
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        name = lookup.get(str(title or "").strip().lower())
        if name and name not in positions:
            columns[name] = str(title).strip()
            positions[name] = index
    return columns, positions


def _csv_rows(data: bytes) -> Iterator[list]:
    text = _decode(data)
    yield from csv.reader(io.StringIO(text))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which Excel in Chinese writes by default."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise TableInvalid([RowError(1, "-", _("The file is not text in UTF-8 or GB18030. Save it as CSV UTF-8 or as XLSX."))])


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise TableInvalid([RowError(1, "-", _("The file is not a readable XLSX workbook."))]) from None
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()
