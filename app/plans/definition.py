"""Reading and validating a plan template written in YAML (format: courses/plans/README.md).

Errors name the file and line, e.g. `transfer.yaml:23: stage 2: unknown exam "x"`, so a
trainer can fix a file or a web edit without guessing. Validation returns the normalised
definition that plan versions store."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import yaml
from flask_babel import gettext as _

from app.accounts.positions import POSITIONS
from app.plans import progress

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,59}$")
#: Words the plan pages use right after /plans/ (app/plans/views.py: /plans/mine, /plans/enrolments, …):
#: a plan with one of these ids would have its page hidden behind that route. A test keeps this in step
#: with the blueprint's routes.
RESERVED_IDS = frozenset({"enrolments", "evidence", "mine", "static"})
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
ASSESSMENT_KINDS = ("exam", "practical", "external")
#: External qualification kinds a plan may require, with their display names.
QUALIFICATION_KINDS = {"insurance_agent": ("保险代理人资格", "Insurance-agent qualification"),
                       "securities": ("证券从业资格", "Securities qualification"),
                       "fund": ("基金从业资格", "Fund qualification")}


def qualification_name(kind: str, locale: str | None) -> str:
    """An external qualification's name in the UI language; the code itself when unknown."""
    names = QUALIFICATION_KINDS.get(kind)
    if not names:
        return kind
    return names[1] if locale and str(locale).startswith("en") else names[0]


@dataclass
class Problem:
    line: int
    message: str
    #: where in the plan, e.g. "stages.1.assessments.0.exam" (list indices from 0; "" when unknown):
    #: the web editor shows the problem at that field.
    path: str = ""


class DefinitionInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.line}: {p.message}" for p in problems[:5]))
        self.problems = problems


class _Lined(dict):
    """A mapping that remembers the line of each key (1-based) and its own first line."""

    line = 1
    lines: dict


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping = _Lined()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line(mapping, key=None) -> int:
    if isinstance(mapping, _Lined):
        return mapping.lines.get(key, mapping.line) if key is not None else mapping.line
    return 1


def parse(text: str) -> dict:
    """Parse and validate; raise DefinitionInvalid with line numbers."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise DefinitionInvalid([Problem(mark.line + 1 if mark else 1, _("not valid YAML: %(error)s",
                                                                         error=getattr(error, "problem", error)))]) from None
    return check(data)


def check(data) -> dict:
    """Validate plan data in the shape of a parsed file (what the web editor builds); raise
    DefinitionInvalid. Problems carry the line when the data came from YAML, and always a path."""
    checker = _Checker(data)
    definition = checker.plan(data)
    if checker.problems:
        raise DefinitionInvalid(checker.problems)
    return definition


class _Checker:
    """Walks the parsed YAML, collecting every problem (not just the first) with its line."""

    def __init__(self, data=None):
        self.problems: list[Problem] = []
        self.paths: dict[int, str] = {}
        self._index(data, "")

    def _index(self, value, path: str) -> None:
        """Remember the path of every mapping and list, to name where a problem is."""
        if isinstance(value, dict):
            self.paths.setdefault(id(value), path)
            for key, item in value.items():
                self._index(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list):
            self.paths.setdefault(id(value), path)
            for number, item in enumerate(value):
                self._index(item, f"{path}.{number}" if path else str(number))

    def error(self, mapping, key, message: str) -> None:
        path = self.paths.get(id(mapping), "") if mapping is not None else ""
        if key is not None:
            path = f"{path}.{key}" if path else str(key)
        self.problems.append(Problem(_line(mapping, key), message, path))

    def text(self, mapping, key, required=True, limit=500, where="") -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(mapping, key, _("%(where)s\"%(key)s\" is required", where=where, key=key))
            return ""
        if not isinstance(value, (str, int, float)) or len(str(value)) > limit:
            self.error(mapping, key, _("%(where)s\"%(key)s\" must be text of at most %(limit)d characters",
                                       where=where, key=key, limit=limit))
            return ""
        return str(value).strip()

    def plan(self, data) -> dict:
        if not isinstance(data, dict):
            self.problems.append(Problem(1, _("the file must be a mapping with id, title and stages")))
            return {}
        slug = self.text(data, "id", limit=60)
        if slug and not SLUG.match(slug):
            self.error(data, "id", _("id must be 2–60 lowercase letters, digits or dashes"))
        elif slug in RESERVED_IDS:
            self.error(data, "id", _("id \"%(id)s\" is reserved for a page under /plans/; choose another (reserved: %(words)s)",
                                     id=slug, words=", ".join(sorted(RESERVED_IDS))))
        stages = data.get("stages")
        if not isinstance(stages, list) or not stages:
            self.error(data, "stages", _("\"stages\" must be a non-empty list"))
            stages = []
        positions = data.get("audience_positions") or []
        if not isinstance(positions, list) or any(p not in POSITIONS for p in positions):
            self.error(data, "audience_positions", _("audience_positions must be a list of position codes"))
            positions = []
        return {
            "id": slug,
            "title": self.text(data, "title", limit=120),
            "title_en": self.text(data, "title_en", limit=120),
            "description": self.text(data, "description", required=False, limit=2000),
            "description_en": self.text(data, "description_en", required=False, limit=2000),
            "qualifies_for": self.text(data, "qualifies_for", required=False, limit=120),
            "qualifies_for_en": self.text(data, "qualifies_for_en", required=False, limit=120),
            "audience_positions": positions,
            "references": self._strings(data, "references"),
            "stages": [self.stage(stage, number) for number, stage in enumerate(stages, start=1)],
        }

    def _strings(self, mapping, key) -> list[str]:
        value = mapping.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(mapping, key, _("\"%(key)s\" must be a list of text", key=key))
            return []
        return value

    def stage(self, stage, number: int) -> dict:
        where = _("stage %(n)d: ", n=number)
        if not isinstance(stage, dict):
            self.problems.append(Problem(1, where + _("must be a mapping"), f"stages.{number - 1}"))
            return {}
        weeks = stage.get("weeks")
        if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= 52:
            self.error(stage, "weeks", where + _("\"weeks\" must be a whole number from 1 to 52"))
            weeks = 1
        assessor = stage.get("assessor")
        if assessor is not None and assessor not in POSITIONS:
            self.error(stage, "assessor", where + _("unknown position code \"%(code)s\"", code=assessor))
            assessor = None
        assessments = stage.get("assessments")
        if not isinstance(assessments, list) or not assessments:
            self.error(stage, "assessments",
                       where + _("\"assessments\" must be a non-empty list"))
            assessments = []
        return {
            "title": self.text(stage, "title", limit=120, where=where),
            "title_en": self.text(stage, "title_en", limit=120, where=where),
            "weeks": weeks,
            "summary": self.text(stage, "summary", required=False, limit=1000),
            "summary_en": self.text(stage, "summary_en", required=False, limit=1000),
            "tasks": [self.task(task, where) for task in (self._list(stage, "tasks", where))],
            "assessments": [self.assessment(item, where) for item in assessments],
            "assessor": assessor,
            "session": self.session(stage.get("session"), stage, where),
            "pass_rule": self._pass_rule(stage, where),
            "follow_up": [self.follow_up(goal, where) for goal in self._list(stage, "follow_up", where)],
        }

    def _list(self, mapping, key, where) -> list:
        value = mapping.get(key) or []
        if not isinstance(value, list):
            self.error(mapping, key, where + _("\"%(key)s\" must be a list", key=key))
            return []
        return value

    def _pass_rule(self, stage, where) -> str:
        rule = stage.get("pass_rule", "all")
        if rule != "all":
            self.error(stage, "pass_rule", where + _("the only pass rule is \"all\" (every assessment passed)"))
        return "all"

    def task(self, task, where) -> dict:
        if not isinstance(task, dict) or len({"course", "lesson", "reading", "practice"} & set(task)) != 1:
            self.error(task if isinstance(task, dict) else None, None,
                       where + _("a task needs exactly one of course, lesson, reading or practice"))
            return {"kind": "reading", "ref": "", "title": ""}
        kind = next(k for k in ("course", "lesson", "reading", "practice") if k in task)
        ref = str(task[kind]).strip()
        known = {"course": progress.course_exists, "lesson": progress.lesson_exists,
                 "practice": progress.exam_exists}.get(kind)
        if known is not None and not known(ref):
            self.error(task, kind, where + _("unknown %(kind)s \"%(ref)s\"", kind=kind, ref=ref))
        return {"kind": kind, "ref": ref, "title": self.text(task, "title", required=False, limit=200),
                "title_en": self.text(task, "title_en", required=False, limit=200)}

    def assessment(self, item, where) -> dict:
        if not isinstance(item, dict) or item.get("kind") not in ASSESSMENT_KINDS:
            self.error(item if isinstance(item, dict) else None, "kind",
                       where + _("an assessment's kind must be exam, practical or external"))
            return {"kind": "external", "ref": "", "title": "", "title_en": ""}
        kind = item["kind"]
        if kind == "external":
            ref = str(item.get("qualification", "")).strip()
            if ref not in QUALIFICATION_KINDS:
                self.error(item, "qualification", where + _("unknown qualification \"%(ref)s\" (known: %(known)s)",
                                                             ref=ref, known=", ".join(QUALIFICATION_KINDS)))
        else:
            ref = str(item.get("exam", "")).strip()
            if not progress.exam_exists(ref):
                self.error(item, "exam", where + _("unknown exam \"%(ref)s\"", ref=ref))
        return {"kind": kind, "ref": ref, "title": self.text(item, "title", limit=200, where=where),
                "title_en": self.text(item, "title_en", required=False, limit=200),
                "description": self.text(item, "description", required=False, limit=1000),
                "description_en": self.text(item, "description_en", required=False, limit=1000)}

    def session(self, session, stage, where) -> dict | None:
        if session is None:
            return None
        if not isinstance(session, dict) or ("weekday" in session) == ("date" in session):
            self.error(stage, "session", where + _("a session needs either weekday (mon–sun) or date (YYYY-MM-DD)"))
            return None
        result = {"place": self.text(session, "place", limit=120, where=where),
                  "place_en": self.text(session, "place_en", required=False, limit=120)}
        if "weekday" in session:
            if session["weekday"] not in WEEKDAYS:
                self.error(session, "weekday", where + _("weekday must be one of %(days)s", days=", ".join(WEEKDAYS)))
            result["weekday"] = session["weekday"]
        else:
            if not isinstance(session["date"], date):
                self.error(session, "date", where + _("date must be written YYYY-MM-DD"))
            result["date"] = str(session["date"])
        for key in ("start", "end"):
            value = str(session.get(key, ""))
            if not TIME.match(value):
                self.error(session, key, where + _("\"%(key)s\" must be a time like 18:00", key=key))
            result[key] = value
        if result["start"] >= result["end"] and TIME.match(result["start"]) and TIME.match(result["end"]):
            self.error(session, "end", where + _("the session must end after it starts"))
        return result

    def follow_up(self, goal, where) -> dict:
        if not isinstance(goal, dict):
            self.problems.append(Problem(1, where + _("a follow-up goal must be a mapping with a title")))
            return {"title": "", "title_en": ""}
        return {"title": self.text(goal, "title", limit=200, where=where),
                "title_en": self.text(goal, "title_en", required=False, limit=200),
                "when": self.text(goal, "when", required=False, limit=60)}
