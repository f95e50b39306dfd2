"""The web plan editor: a stored definition → form data, the submitted form → plan data in the shape of
a plan file (courses/plans/README.md), the rows the trainer adds, removes or moves (without JavaScript)
and the validator's problems → the fields to show them at. The form checks nothing itself: the data it
builds goes through the same validator as `flask plans sync` (app/plans/definition.py)."""
from __future__ import annotations

import re
from datetime import date

import yaml

from app.plans.definition import Problem
from app.plans.forms import PlanEditorForm

TASK_KEYS = ("course", "lesson", "reading", "practice")
#: the lists whose rows can be added, removed and moved, with what a new row holds
ROWS = {
    "stages": lambda: {"weeks": "1", "session_kind": "none", "tasks": [{"kind": "course"}],
                       "assessments": [{"kind": "exam"}], "follow_up": []},
    "tasks": lambda: {"kind": "reading"},
    "assessments": lambda: {"kind": "exam"},
    "follow_up": lambda: {},
}
OP = re.compile(r"^(stages|stages-(\d+)-(tasks|assessments|follow_up)):(add|remove|up|down)(?::(\d+))?$")


# --- stored definition → form ------------------------------------------------------------------------
def form_data(definition: dict) -> dict:
    return {
        **{k: definition.get(k, "") for k in ("title", "title_en", "description", "description_en",
                                              "qualifies_for", "qualifies_for_en")},
        "audience_positions": list(definition.get("audience_positions") or []),
        "references": "\n".join(definition.get("references") or []),
        "stages": [_stage_data(stage) for stage in definition.get("stages") or []],
    }


def _stage_data(stage: dict) -> dict:
    session = stage.get("session") or {}
    kind = "none" if not session else "date" if session.get("date") else "weekly"
    return {
        **{k: stage.get(k) or "" for k in ("title", "title_en", "summary", "summary_en")},
        "weeks": str(stage.get("weeks", "")),
        "tasks": [{"kind": t["kind"], "value": t["ref"], "title": t.get("title", ""), "title_en": t.get("title_en", "")}
                  for t in stage.get("tasks") or []],
        "assessments": [{"kind": a["kind"], "exam": a["ref"] if a["kind"] != "external" else "",
                         "qualification": a["ref"] if a["kind"] == "external" else "",
                         **{k: a.get(k) or "" for k in ("title", "title_en", "description", "description_en")}}
                        for a in stage.get("assessments") or []],
        "assessor": stage.get("assessor") or "",
        "session_kind": kind, "weekday": session.get("weekday", "wed"), "date": session.get("date", ""),
        **{k: session.get(k, "") for k in ("start", "end", "place", "place_en")},
        "follow_up": [{k: g.get(k) or "" for k in ("title", "title_en", "when")} for g in stage.get("follow_up") or []],
    }


def prepare(form: PlanEditorForm) -> None:
    """Suggest the known ids for each task's value, by its kind (the page's JavaScript follows a change)."""
    for stage in form.stages.entries:
        for task in stage.form.tasks.entries:
            value = task.form.value
            value.render_kw = {**(value.render_kw or {}), "list": SUGGESTIONS.get(task.form.kind.data, "")}
            if not value.render_kw["list"]:
                del value.render_kw["list"]


SUGGESTIONS = {"course": "plan-courses", "lesson": "plan-lessons", "practice": "plan-exams"}


# --- rows: add, remove, move ------------------------------------------------------------------------------
def apply(data: dict, op: str) -> dict:
    """Change the form data as the row button `op` says (e.g. "stages:up:2", "stages-0-tasks:add")."""
    match = OP.match(op or "")
    if not match:
        return data
    whole, stage, part, action, index = match.groups()
    rows = data["stages"] if whole == "stages" else (
        data["stages"][int(stage)][part] if int(stage) < len(data["stages"]) else None)
    if rows is None:
        return data
    name = part or "stages"
    at = int(index) if index is not None else None
    if action == "add":
        rows.append(ROWS[name]())
    elif at is None or not 0 <= at < len(rows):
        return data
    elif action == "remove":
        rows.pop(at)
    elif action == "up" and at > 0:
        rows[at - 1], rows[at] = rows[at], rows[at - 1]
    elif action == "down" and at < len(rows) - 1:
        rows[at + 1], rows[at] = rows[at], rows[at + 1]
    return data


def submitted_data(form: PlanEditorForm) -> dict:
    """What the trainer sent, as form data (without the CSRF token and the buttons)."""
    data = form.data
    for key in ("csrf_token", "save"):
        data.pop(key, None)
    return data


# --- form → plan data -------------------------------------------------------------------------------------
class Built:
    """Plan data in the shape of a plan file, and which form row each of its list items came from
    (empty rows are left out, so a task's index in the data may differ from its row in the form)."""

    def __init__(self):
        self.data: dict = {}
        self.rows: dict[str, str] = {}


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


def _put(target: dict, source: dict, *keys) -> None:
    for key in keys:
        if _text(source.get(key)):
            target[key] = _text(source[key])


def plan_data(form: PlanEditorForm, slug: str) -> Built:
    """The submitted form as a plan file's data. Text that is not a valid value (weeks "two", a date
    "July") is passed on as typed, so the validator reports it in its own words."""
    built = Built()
    source = form.data
    data = {"id": slug, "title": _text(source["title"]), "title_en": _text(source["title_en"])}
    _put(data, source, "description", "description_en", "qualifies_for", "qualifies_for_en")
    if source["audience_positions"]:
        data["audience_positions"] = list(source["audience_positions"])
    references = [line.strip() for line in (source["references"] or "").splitlines() if line.strip()]
    if references:
        data["references"] = references
    data["stages"] = []
    for number, entry in enumerate(form.stages.entries):
        built.rows[f"stages.{number}"] = entry.name
        data["stages"].append(_stage(entry.form, number, built))
    built.data = data
    return built


def _stage(stage_form, number: int, built: Built) -> dict:
    row = stage_form.data
    stage = {"title": _text(row["title"]), "title_en": _text(row["title_en"])}
    weeks = _text(row["weeks"])
    stage["weeks"] = int(weeks) if weeks.isascii() and weeks.isdigit() else (weeks or None)
    _put(stage, row, "summary", "summary_en")
    stage["tasks"] = []
    for at, task in _filled(stage_form.tasks, ("value", "title", "title_en")):
        item = {_text(task["kind"]) or "reading": _text(task["value"])}  # another kind: the validator says so
        _put(item, task, "title", "title_en")
        built.rows[f"stages.{number}.tasks.{len(stage['tasks'])}"] = at
        stage["tasks"].append(item)
    stage["assessments"] = []
    for at, assessment in _filled(stage_form.assessments, ("exam", "qualification", "title", "title_en", "description",
                                                       "description_en")):
        item = {"kind": assessment["kind"]}
        if assessment["kind"] == "external":
            item["qualification"] = _text(assessment["qualification"])
        else:
            item["exam"] = _text(assessment["exam"])
        _put(item, assessment, "title", "title_en", "description", "description_en")
        built.rows[f"stages.{number}.assessments.{len(stage['assessments'])}"] = at
        stage["assessments"].append(item)
    if _text(row["assessor"]):
        stage["assessor"] = _text(row["assessor"])
    if row["session_kind"] in ("weekly", "date"):
        session = {"weekday": row["weekday"]} if row["session_kind"] == "weekly" else {"date": _date(row["date"])}
        for key in ("start", "end"):
            session[key] = _time(row[key])
        _put(session, row, "place", "place_en")
        stage["session"] = session
    goals = []
    for at, goal in _filled(stage_form.follow_up, ("title", "title_en", "when")):
        item = {}
        _put(item, goal, "title", "title_en", "when")
        built.rows[f"stages.{number}.follow_up.{len(goals)}"] = at
        goals.append(item)
    if goals:
        stage["follow_up"] = goals
    return stage


def _filled(rows, keys) -> list[tuple[str, dict]]:
    """The rows of a list field with something typed in them, with their form name (an empty row is left out)."""
    return [(entry.name, entry.form.data) for entry in rows.entries if any(_text(entry.form.data.get(k)) for k in keys)]


def _date(value):
    text = _text(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def _time(value) -> str:
    """A browser's time box may send seconds (18:00:00); the plan format has hours and minutes."""
    text = _text(value)
    return text[:5] if re.fullmatch(r"\d\d:\d\d:\d\d", text) else text


def as_yaml(data: dict) -> str:
    """Plan data as the text of a plan file (what the version keeps as its source)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


# --- problems → fields ------------------------------------------------------------------------------------
#: a problem's last key → the editor field it is shown at
STAGE_FIELDS = {"session": "session_kind", "session.weekday": "weekday", "session.date": "date",
                "session.start": "start", "session.end": "end", "session.place": "place",
                "session.place_en": "place_en", "pass_rule": "session_kind"}


def place(form: PlanEditorForm, built: Built, problems: list[Problem]) -> dict[str, list[str]]:
    """Attach every problem to its field (in its `errors`); problems of a whole list or row come back
    by form name ("stages-0-assessments", "stages-1-tasks-2"), the rest under ""."""
    shown: dict[str, list[str]] = {}
    for problem in problems:
        name = _field_name(built, problem.path)
        field = _field(form, name)
        if field is not None and not hasattr(field, "entries") and not hasattr(field, "form"):
            field.errors = list(field.errors) + [problem.message]
        shown.setdefault(name, []).append(problem.message)
    return shown


def _field_name(built: Built, path: str) -> str:
    parts = path.split(".") if path else []
    if not parts or parts[0] != "stages":
        return parts[0] if parts and parts[0] not in ("id",) else ""
    if len(parts) == 1:
        return "stages"
    stage = built.rows.get(".".join(parts[:2]), "")
    rest = parts[2:]
    if not rest or not stage:
        return stage
    if rest[0] in ("tasks", "assessments", "follow_up"):
        if len(rest) == 1:
            return f"{stage}-{rest[0]}"
        row = built.rows.get(".".join(parts[:4]), f"{stage}-{rest[0]}")
        if len(rest) == 2:
            return f"{row}-kind" if rest[0] == "tasks" else row
        key = rest[2]
        if rest[0] == "tasks" and key in TASK_KEYS:
            key = "value"
        return f"{row}-{key}"
    key = ".".join(rest)
    return f"{stage}-{STAGE_FIELDS.get(key, key)}"


def _field(form, name: str):
    """The form field with this name (e.g. stages-0-tasks-1-value), or None."""
    if not name:
        return None
    fields = {f.name: f for f in _walk(form)}
    return fields.get(name)


def _walk(form):
    for field in form:
        yield field
        if hasattr(field, "entries"):
            for entry in field.entries:
                yield entry
                yield from _walk(entry.form)
