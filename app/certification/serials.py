"""Certificate serials: LG-XXXX-XXXX-XXXX-C. Twelve Crockford base-32 characters from `secrets` (60 random
bits, so serials cannot be enumerated) and a Luhn mod-32 check character, which catches every single
mistyped character and every swap of two neighbours before any database lookup."""
from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
BODY_LENGTH = 12
#: What people type for what they mean (Crockford's decoding rules).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class SerialInvalid(ValueError):
    """`reason` is "format" (wrong length or characters) or "check" (the check character disagrees)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def check_character(body: str) -> str:
    """Luhn mod N over the Crockford alphabet."""
    total, factor = 0, 2
    for char in reversed(body):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 1 if factor == 2 else 2
    return ALPHABET[(32 - total % 32) % 32]


def new_serial() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_serial(body + check_character(body))


def format_serial(compact: str) -> str:
    return f"LG-{compact[0:4]}-{compact[4:8]}-{compact[8:12]}-{compact[12]}"


def normalise(text: str) -> str:
    """The canonical form of a typed serial, or SerialInvalid. Case, spaces, hyphens and O/I/L are forgiven."""
    compact = "".join((text or "").upper().split()).replace("-", "").translate(_READ_AS)
    if len(compact) == BODY_LENGTH + 3 and compact.startswith("1G"):  # the "LG" prefix, after L→1
        compact = compact[2:]
    if len(compact) != BODY_LENGTH + 1 or any(char not in ALPHABET for char in compact):
        raise SerialInvalid("format")
    if check_character(compact[:-1]) != compact[-1]:
        raise SerialInvalid("check")
    return format_serial(compact)
