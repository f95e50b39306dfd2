"""Availability windows, in the bank's timezone (Asia/Shanghai unless configured otherwise):
weekly ({weekday: wed, start: "18:00", end: "19:00"}) or a date range ({from, until}, inclusive)."""
from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _

from app.core import clock

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_time(text) -> time:
    if isinstance(text, int):  # YAML reads 18:00 unquoted as sexagesimal minutes
        return time(text // 60, text % 60)
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


def parse_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def validate(window: dict) -> list[str]:
    """Problems with a window definition (empty when fine)."""
    if not window:
        return []
    if "weekly" in window:
        weekly = window["weekly"] or {}
        problems = [] if weekly.get("weekday") in WEEKDAYS else [_("“weekday” must be one of %(days)s.", days=", ".join(WEEKDAYS))]
        try:
            if parse_time(weekly.get("start")) >= parse_time(weekly.get("end")):
                problems.append(_("the window must end after it starts."))
        except (ValueError, TypeError):
            problems.append(_("“start” and “end” must be times like 18:00."))
        return problems
    try:
        start, until = parse_date(window["from"]), parse_date(window["until"])
    except (KeyError, ValueError, TypeError):
        return [_("a window is either weekly {weekday, start, end} or a date range {from, until}.")]
    return [] if start <= until else [_("the date range ends before it starts.")]


def is_open_now(window: dict, at: datetime | None = None) -> bool:
    if not window:
        return True
    local = (at or clock.now()).astimezone(clock.bank_tz())
    if "weekly" in window:
        weekly = window["weekly"]
        return (WEEKDAYS[local.weekday()] == weekly["weekday"]
                and parse_time(weekly["start"]) <= local.time() < parse_time(weekly["end"]))
    return parse_date(window["from"]) <= local.date() <= parse_date(window["until"])


def closes_at(window: dict, at: datetime | None = None) -> datetime | None:
    """When the current opening ends (an attempt's deadline never runs past it)."""
    if not window or not is_open_now(window, at):
        return None
    tz = clock.bank_tz()
    local = (at or clock.now()).astimezone(tz)
    if "weekly" in window:
        return datetime.combine(local.date(), parse_time(window["weekly"]["end"]), tz)
    return None  # a date range closes at midnight after "until"; attempts keep their time limit


def describe(window: dict) -> str:
    if not window:
        return _("Always open")
    if "weekly" in window:
        names = {"mon": _("Mondays"), "tue": _("Tuesdays"), "wed": _("Wednesdays"), "thu": _("Thursdays"),
                 "fri": _("Fridays"), "sat": _("Saturdays"), "sun": _("Sundays")}
        weekly = window["weekly"]
        return _("%(days)s %(start)s–%(end)s (Beijing time)", days=names[weekly["weekday"]],
                 start=parse_time(weekly["start"]).strftime("%H:%M"), end=parse_time(weekly["end"]).strftime("%H:%M"))
    return _("%(start)s to %(until)s", start=parse_date(window["from"]).isoformat(), until=parse_date(window["until"]).isoformat())
