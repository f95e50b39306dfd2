"""Moodle's Aiken format: a question, lettered options ("A." or "A)"), then "ANSWER: X".
Single choice only, as in Moodle."""
from __future__ import annotations

import hashlib
import re

from flask_babel import gettext as _

from app.questions.formats import Entry, FormatError

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")


def read(text: str, name: str) -> list[Entry]:
    entries, errors = [], []
    stem, options, start = [], [], 0
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        answer, option = _ANSWER.match(line), _OPTION.match(line)
        if answer:
            try:
                entries.append(_entry(stem, options, answer.group(1), name, start))
            except ValueError as error:
                errors.append(f"{name}:{number}: {error}")
            stem, options = [], []
        elif option and stem:
            options.append(option.groups())
        elif options:
            errors.append(f"{name}:{number}: " + _("expected another option or “ANSWER: X”."))
        else:
            start = start if stem else number
            stem.append(line)
    if stem or options:
        errors.append(f"{name}:{start}: " + _("the question has no “ANSWER:” line."))
    if errors:
        raise FormatError(errors)
    return entries


def _entry(stem: list[str], options: list[tuple[str, str]], letter: str, name: str, line: int) -> Entry:
    if not stem:
        raise ValueError(_("“ANSWER:” without a question."))
    letters = [l for l, _t in options]
    if letter not in letters:
        raise ValueError(_("the answer %(letter)s is not one of the options.", letter=letter))
    text = "\n".join(stem)
    data = {"id": "aiken-" + hashlib.sha1(text.encode()).hexdigest()[:10], "type": "single", "stem": text,
            "options": [{"text": t, "correct": l == letter} for l, t in options],
            "difficulty": 2, "points": 1, "tags": ["aiken"], "explanation": ""}
    return Entry(data, name, line, strict=False)
