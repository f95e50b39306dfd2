"""The one adapter to the other domains' figures: exams, learning plans, courses and certification.

Everything here calls those domains through their public services (the interface contract) or
reads the facts this package keeps from their events. When a source domain is not installed yet,
its figure is `None` and pages show "not available" — never a made-up number.
"""
from __future__ import annotations

import importlib
import importlib.util
from datetime import date, datetime, time, timezone
from functools import lru_cache


@lru_cache(maxsize=None)
def _module(name: str):
    """`app.<name>.services` if that domain exists, else None."""
    qualified = f"app.{name}.services"
    if importlib.util.find_spec(f"app.{name}") is None or importlib.util.find_spec(qualified) is None:
        return None
    return importlib.import_module(qualified)


def _function(domain: str, name: str):
    module = _module(domain)
    return getattr(module, name, None) if module is not None else None


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def exams_available() -> bool:
    """Exam results reach us through `attempt_finalised`; they exist once the exams domain does."""
    return _function("exams", "best_attempt") is not None


def missed_learning_available() -> bool:
    return _function("plans", "missed_items") is not None


def missed_learning(start: date, end: date, people_filter) -> dict[int, int] | None:
    """Learning items that fell due in [start, end) and were not done, per person id.

    The plans contract does not (yet) say which items fall due when; this asks for
    `app.plans.services.missed_items(start, end) -> {person_id: count}` and reports None
    (shown as "not available") while that does not exist."""
    source = _function("plans", "missed_items")
    if source is None:
        return None
    return {int(person_id): int(count) for person_id, count in source(start, end).items()}
