"""Helpers the types share for their part of the question editor: lists of rows (options, rubric
criteria) where a blank row is simply not part of the question, and numbers typed as text."""
from __future__ import annotations

import math

from wtforms import FieldList, Form


def blank(row: Form) -> bool:
    """Nothing typed and nothing ticked in the row."""
    return all(not (field.data.strip() if isinstance(field.data, str) else field.data) for field in row)


def kept(rows: FieldList) -> list[int]:
    """Positions of the rows that are part of the question (the non-blank ones), in order."""
    return [i for i, entry in enumerate(rows.entries) if not blank(entry.form)]


def pad(rows: FieldList, blanks: int, limit: int | None = None) -> None:
    """Add empty rows until there are `blanks` at the end (never more than `limit` rows)."""
    trailing = 0
    for entry in reversed(rows.entries):
        if not blank(entry.form):
            break
        trailing += 1
    while trailing < blanks and (limit is None or len(rows.entries) < limit):
        rows.append_entry()
        trailing += 1


def row_name(rows: FieldList, item: int | None) -> str:
    """The form name of the `item`-th kept row (what a Problem's `item` counts), else of the list."""
    positions = kept(rows)
    if item is not None and 0 <= item < len(positions):
        return rows.entries[positions[item]].name
    return rows.name


def number(text: str | None):
    """A typed number as the YAML reader would give it (2 → int, 1.5 → float); anything else is
    returned as typed, so the type's own check reports it. None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    if not math.isfinite(value):
        return text
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
