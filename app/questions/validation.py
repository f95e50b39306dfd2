"""Checks of a question entry in the native shape, common fields first, then the type's own.
Every problem comes back as "file:line: reason"."""
from __future__ import annotations

import re

from flask_babel import gettext as _

from app.questions import types
from app.questions.formats import Entry
from app.questions.types.base import Problem
from app.questions.types.fill import BLANK

ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
LESSON = re.compile(r"^[a-z0-9-]+/[a-z0-9-]+$")
COMMON = ("id", "type", "lesson", "difficulty", "points", "tags", "stage", "stem", "explanation")


def check(entry: Entry) -> list[str]:
    """Every problem of the entry as "file:line: question id: reason"."""
    label = _("question %(id)s", id=entry.data.get("id", "?"))
    return [f"{entry.where(p.field)}: {label}: {p.message}" for p in problems(entry)]


def problems(entry: Entry) -> list[Problem]:
    """Every problem of the entry, with the field it is about (the web editor shows it there)."""
    data = entry.data
    found: list[Problem] = []
    if not isinstance(data.get("id"), str) or not ID.match(data["id"]):
        found.append(Problem("id", _("“id” must be lower-case letters, digits and hyphens.")))
    kind = data.get("type")
    if kind not in types.names():
        found.append(Problem("type", _("unknown type “%(type)s”; one of %(types)s.", type=kind, types=", ".join(sorted(types.names())))))
    found += [Problem(field, message) for field, message in _common(data, entry.strict)]
    if kind in types.names():
        allowed = set(COMMON) | set(types.get(kind).fields())
        found += [Problem(k, _("unknown field “%(field)s”.", field=k)) for k in data if k not in allowed]
        found += types.get(kind).validate(data)
        if kind == "fill" and entry.strict and BLANK not in str(data.get("stem", "")):
            found.append(Problem("stem", _("a fill-in-the-blank stem marks the blank with ____.")))
    return found


def _common(data: dict, strict: bool) -> list[tuple[str, str]]:
    problems = []
    if not str(data.get("stem") or "").strip():
        problems.append(("stem", _("“stem” is required.")))
    if strict and not str(data.get("explanation") or "").strip():
        problems.append(("explanation", _("“explanation” is required: say why, and cite the lesson.")))
    if data.get("difficulty", 2) not in (1, 2, 3):
        problems.append(("difficulty", _("“difficulty” must be 1, 2 or 3.")))
    points = data.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        problems.append(("points", _("“points” must be a positive number.")))
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, (str, int)) and str(t).strip() for t in tags):
        problems.append(("tags", _("“tags” must be a list of words.")))
    if data.get("stage") is not None and data["stage"] not in (1, 2, 3):
        problems.append(("stage", _("“stage” must be 1, 2 or 3.")))
    if data.get("lesson") is not None and (not isinstance(data["lesson"], str) or not LESSON.match(data["lesson"])):
        problems.append(("lesson", _("“lesson” must look like course-id/lesson-id.")))
    return problems


def all_tags(data: dict) -> list[str]:
    """The file's tags, the chapter (course id of the lesson) and stage-N, without duplicates."""
    tags = [str(t).strip() for t in data.get("tags") or []]
    if data.get("lesson"):
        tags.append(data["lesson"].split("/", 1)[0])
    if data.get("stage"):
        tags.append(f"stage-{data['stage']}")
    return list(dict.fromkeys(tags))
