"""Months as the scorecard counts them: a month is its first day."""
from __future__ import annotations

import re
from datetime import date

from app.core import clock


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def current_month() -> date:
    return month_of(clock.today())


def parse_month(text: str | None, default: date | None = None) -> date | None:
    """"2026-05" → date(2026, 5, 1); anything else → `default`."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        return default
    return date(int(match.group(1)), int(match.group(2)), 1)


def last_months(count: int, until: date | None = None) -> list[date]:
    """`count` months ending with `until` (default: this month), oldest first."""
    months = [until or current_month()]
    while len(months) < count:
        months.append(previous_month(months[-1]))
    return months[::-1]
