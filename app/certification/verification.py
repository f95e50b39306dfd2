"""Other documents verified at /verify/<serial>: they share the certificate's serial format (with its check
character), signing key and verification page. A domain registers a lookup: serial (normalised) →
(template, context) or None. Certificates are looked up first, by the view itself."""
from __future__ import annotations

from typing import Callable

Lookup = Callable[[str], "tuple[str, dict] | None"]
_lookups: list[Lookup] = []


def register(lookup: Lookup) -> Lookup:
    if lookup not in _lookups:
        _lookups.append(lookup)
    return lookup


def find(serial: str) -> tuple[str, dict] | None:
    """The page template and its context for the first registered document with this serial."""
    return next((found for found in (lookup(serial) for lookup in _lookups) if found is not None), None)
