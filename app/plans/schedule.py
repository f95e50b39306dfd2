"""Dates: stage due dates with the holiday rule, and when a stage's assessment session is next held.

The rule (also in courses/plans/README.md): stage k is due `7 × (weeks of stages 1..k)` days after
the start date — the same weekday the plan started on. If that day is a weekend or a public
holiday (courses/plans/holidays.yaml), it moves to the next working day; a weekend day that the
State Council made a working day (补班) counts as a working day. A moved date is shown as moved.
Later stages are counted from the start date, not from a moved date, so one holiday does not
push the whole plan back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import yaml

from app.config import ROOT

HOLIDAYS_FILE = ROOT / "courses" / "plans" / "holidays.yaml"
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


@dataclass(frozen=True)
class Calendar:
    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day: date) -> date:
        """`day` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


@lru_cache(maxsize=1)
def calendar() -> Calendar:
    with HOLIDAYS_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    return Calendar(frozenset(data.get("holidays") or []), frozenset(data.get("workdays") or []))


def due_dates(start: date, weeks: list[int], cal: Calendar | None = None) -> list[tuple[date, date]]:
    """(nominal, actual) due date of each stage."""
    cal = cal or calendar()
    result, elapsed = [], 0
    for length in weeks:
        elapsed += length
        nominal = start + timedelta(days=7 * elapsed)
        result.append((nominal, cal.next_working_day(nominal)))
    return result


def next_session(session: dict | None, after: date) -> date | None:
    """The next day on or after `after` the stage's assessment session is held (a weekly session
    skips holidays); None when the session is a date already past or there is no session."""
    if not session:
        return None
    if "date" in session:
        held = date.fromisoformat(session["date"])
        return held if held >= after else None
    cal = calendar()
    day = after + timedelta(days=(WEEKDAYS.index(session["weekday"]) - after.weekday()) % 7)
    while not cal.is_working_day(day):
        day += timedelta(days=7)
    return day
