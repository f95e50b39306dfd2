"""The web question editor: a stored version → form data, the submitted form → a question entry in
the native shape (what a file would hold), and the problems of its checks → the fields to show
them at. The type-specific part is each type's own (see QuestionType.editor_*)."""
from __future__ import annotations

import re

from app.questions import types
from app.questions.forms import QuestionForm
from app.questions.models import QuestionVersion
from app.questions.types import editing
from app.questions.types.base import Problem

#: what separates tags typed in one box: commas (also full-width), enumeration commas, semicolons, new lines
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")
COMMON_FIELDS = ("id", "stem", "explanation", "points", "difficulty", "tags", "lesson", "stage")


def form_data(version: QuestionVersion) -> dict:
    """The editor's data for a version."""
    return {
        "stem": version.stem, "explanation": version.explanation,
        "points": f"{version.points:g}", "difficulty": str(version.difficulty),
        "tags": ", ".join(version.authored_tags),
        "lesson": version.lesson, "stage": str(version.stage or ""),
        "definition": version.kind.editor_data(version.definition),
    }


def entry_data(form: QuestionForm, kind: types.QuestionType) -> dict:
    """The submitted form as a native question entry. Text that is not a valid value is passed on
    as typed, so the checks of the import report it in their words."""
    data = {"id": (form.id.data or "").strip(), "type": kind.name,
            "stem": form.stem.data or "", "explanation": form.explanation.data or ""}
    if form.lesson.data and form.lesson.data.strip():
        data["lesson"] = form.lesson.data.strip()
    data["difficulty"] = editing.number(form.difficulty.data) or 2
    points = editing.number(form.points.data)
    if kind.editor_points and points is not None:
        data["points"] = points
    tags = [t.strip() for t in TAG_SEPARATORS.split(form.tags.data or "") if t.strip()]
    if tags:
        data["tags"] = tags
    if form.stage.data:
        data["stage"] = editing.number(form.stage.data)
    data.update(kind.from_editor(form.definition.form))
    return data


def place(form: QuestionForm, kind: types.QuestionType, problems: list[Problem]) -> dict[str, list[str]]:
    """Attach every problem to its field: the common fields get them in their `errors`; all of
    them come back by field name (the type's part and its rows are shown from this)."""
    shown: dict[str, list[str]] = {}
    for problem in problems:
        if problem.field in COMMON_FIELDS and not (problem.field == "points" and not kind.editor_points):
            field = form[problem.field]
            field.errors = list(field.errors) + [problem.message]
            name = field.name
        else:
            name = kind.editor_field(form.definition.form, problem) or form.definition.name
        shown.setdefault(name, []).append(problem.message)
    return shown
