"""The one clock. Every time rule asks it for "now", so tests can freeze time in one place.
Times are kept in UTC; a *date* ("today", the day something happened) is the bank's calendar date,
in its time zone (TIMEZONE, Asia/Shanghai by default): at 01:30 in Beijing it is already tomorrow."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"

_frozen: datetime | None = None


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return _frozen if _frozen is not None else datetime.now(timezone.utc)


def bank_tz() -> ZoneInfo:
    """The bank's time zone, from the app's configuration (the default outside an app)."""
    from flask import current_app

    try:
        return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_TIMEZONE)
    except RuntimeError:  # no application context
        return ZoneInfo(DEFAULT_TIMEZONE)


def local(value: datetime) -> datetime:
    """`value` (aware, or naive UTC) in the bank's time zone."""
    return as_utc(value).astimezone(bank_tz())


def local_date(value: datetime) -> date:
    """The bank's calendar date of an instant."""
    return local(value).date()


def today() -> date:
    return local_date(now())


def day_start(day: date) -> datetime:
    """The instant (UTC) the bank's calendar day `day` begins."""
    return datetime.combine(day, datetime.min.time(), bank_tz()).astimezone(timezone.utc)


def freeze(at: datetime | None) -> None:
    """Freeze the clock at `at` (aware or naive-UTC); None unfreezes."""
    global _frozen
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    _frozen = at


def as_utc(value: datetime | None) -> datetime | None:
    """Databases hand back naive datetimes for UTC columns on SQLite: make them aware."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)
