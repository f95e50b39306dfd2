"""The one clock. Every time rule asks it for "now", so tests can freeze time in one place."""
from datetime import date, datetime, timezone

_frozen: datetime | None = None


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return _frozen if _frozen is not None else datetime.now(timezone.utc)


def today() -> date:
    return now().date()


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
