"""Exam definition files (question_bank/exams/<id>.yaml): read, check and save."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Role
from app.accounts.positions import POSITIONS
from app.core import clock
from app.exams import windows
from app.exams.models import Exam, Review
from app.exams.sections import by_slug, candidates, current_versions
from app.extensions import db
from app.questions import types
from app.questions.formats import FormatError, native

KEYS = {"id", "title", "title_en", "description", "pass_mark", "pass_percent", "time_limit_minutes", "max_attempts",
        "retake_wait_hours", "shuffle_questions", "shuffle_options", "review", "audience", "window", "sections"}
DRAW_KEYS = {"count", "tags", "difficulty", "type", "points"}


@dataclass
class ExamDoc:
    data: dict
    file: str
    lines: dict

    def where(self, key: str | None = None) -> str:
        return f"{self.file}:{self.lines.get(key, 1)}"


@dataclass
class ExamDocs:
    exams: list[ExamDoc] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_all(sources) -> ExamDocs:
    docs = ExamDocs()
    seen: dict[str, str] = {}
    for source in sources:
        try:
            data = native.load_yaml(source.text, source.name)
        except FormatError as error:
            docs.errors += error.errors
            continue
        if not isinstance(data, native.LineDict):
            docs.errors.append(f"{source.name}:1: " + _("an exam file is a YAML mapping."))
            continue
        doc = ExamDoc(native.plain(data), source.name, _lines(data))
        problems = check(doc)
        if doc.data.get("id") in seen:
            problems.append(f"{doc.where('id')}: " + _("exam id %(id)s is also used in %(other)s.", id=doc.data["id"], other=seen[doc.data["id"]]))
        seen.setdefault(doc.data.get("id"), source.name)
        docs.errors += problems
        docs.exams.append(doc)
    return docs


def _lines(data: native.LineDict) -> dict:
    """Lines of the top-level keys, and of each section as "sections.N"."""
    lines = dict(data.key_lines)
    for index, section in enumerate(data.get("sections") or []):
        if isinstance(section, native.LineDict):
            lines[f"sections.{index}"] = section.line
    return lines


def _positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def check(doc: ExamDoc) -> list[str]:
    data, problems = doc.data, []
    add = lambda key, message: problems.append(f"{doc.where(key)}: {message}")  # noqa: E731
    if not isinstance(data.get("id"), str) or not re.match(r"^[a-z0-9][a-z0-9-]{0,79}$", data["id"]):
        add("id", _("“id” must be lower-case letters, digits and hyphens."))
    if not str(data.get("title") or "").strip():
        add("title", _("“title” is required."))
    for key in sorted(set(data) - KEYS):
        add(key, _("unknown field “%(field)s”.", field=key))
    if ("pass_mark" in data) == ("pass_percent" in data):
        add("pass_mark", _("give exactly one of “pass_mark” (points) and “pass_percent”."))
    elif "pass_percent" in data and not (isinstance(data["pass_percent"], (int, float)) and 0 < data["pass_percent"] <= 100):
        add("pass_percent", _("“pass_percent” must be between 0 and 100."))
    elif "pass_mark" in data and not (isinstance(data["pass_mark"], (int, float)) and data["pass_mark"] > 0):
        add("pass_mark", _("“pass_mark” must be a positive number of points."))
    for key in ("time_limit_minutes", "max_attempts"):
        if key in data and data[key] is not None and not _positive_int(data[key]):
            add(key, _("“%(field)s” must be a positive whole number.", field=key))
    if not isinstance(data.get("retake_wait_hours", 0), (int, float)) or data.get("retake_wait_hours", 0) < 0:
        add("retake_wait_hours", _("“retake_wait_hours” must be zero or more."))
    if data.get("review", "after_submit") not in [r.value for r in Review]:
        add("review", _("“review” must be after_submit, after_close or never."))
    problems += [f"{doc.where('window')}: {p}" for p in windows.validate(data.get("window") or {})]
    problems += _check_audience(doc)
    problems += _check_sections(doc)
    return problems


def _check_audience(doc: ExamDoc) -> list[str]:
    audience = doc.data.get("audience") or {}
    where = doc.where("audience")
    if not isinstance(audience, dict):
        return [f"{where}: " + _("“audience” must be a mapping.")]
    problems = [f"{where}: " + _("unknown field “%(field)s”.", field=k) for k in set(audience) - {"positions", "roles", "stage"}]
    problems += [f"{where}: " + _("unknown position “%(code)s”.", code=p) for p in audience.get("positions") or [] if p not in POSITIONS]
    problems += [f"{where}: " + _("unknown role “%(code)s”.", code=r) for r in audience.get("roles") or [] if r not in [x.value for x in Role]]
    if audience.get("stage") is not None and audience["stage"] not in (1, 2, 3):
        problems.append(f"{where}: " + _("“stage” must be 1, 2 or 3."))
    return problems


def _check_sections(doc: ExamDoc) -> list[str]:
    sections = doc.data.get("sections")
    if not isinstance(sections, list) or not sections:
        return [f"{doc.where('sections')}: " + _("“sections” must be a non-empty list.")]
    problems = []
    for index, section in enumerate(sections):
        where = doc.where(f"sections.{index}")
        if not isinstance(section, dict) or not str(section.get("title") or "").strip():
            problems.append(f"{where}: " + _("every section needs a “title”."))
            continue
        if not isinstance(section.get("title_en", ""), str):
            problems.append(f"{where}: " + _("“title_en” must be text."))
        if ("questions" in section) == ("draw" in section):
            problems.append(f"{where}: " + _("a section has either “questions” or “draw”."))
        elif "questions" in section and (not isinstance(section["questions"], list) or not section["questions"]):
            problems.append(f"{where}: " + _("“questions” must be a non-empty list of question ids."))
        elif "draw" in section:
            problems += [f"{where}: {p}" for p in _check_draw(section["draw"])]
    return problems


def _check_draw(draw) -> list[str]:
    if not isinstance(draw, dict):
        return [_("“draw” must be a mapping.")]
    problems = [_("unknown field “%(field)s”.", field=k) for k in set(draw) - DRAW_KEYS]
    if not _positive_int(draw.get("count")):
        problems.append(_("“count” must be a positive whole number."))
    if not isinstance(draw.get("tags", []), list):
        problems.append(_("“tags” must be a list."))
    if draw.get("type") is not None and draw["type"] not in types.names():
        problems.append(_("unknown type “%(type)s”.", type=draw["type"]))
    if draw.get("difficulty") is not None and draw["difficulty"] not in (1, 2, 3):
        problems.append(_("“difficulty” must be 1, 2 or 3."))
    if draw.get("points") is not None and not (isinstance(draw["points"], (int, float)) and draw["points"] > 0):
        problems.append(_("“points” must be a positive number."))
    return problems


def check_against_bank(docs: list[ExamDoc]) -> list[str]:
    """What needs the questions: fixed ids exist and are in use, draws can be filled, pass mark ≤ total."""
    problems, pool = [], current_versions()
    for doc in docs:
        wanted = [s for sec in doc.data["sections"] if "questions" in sec for s in sec["questions"]]
        found = by_slug(wanted)
        for index, section in enumerate(doc.data["sections"]):
            where = doc.where(f"sections.{index}")
            for slug in section.get("questions") or []:
                if slug not in found:
                    problems.append(f"{where}: " + _("no question with id %(id)s.", id=slug))
                elif found[slug].retired:
                    problems.append(f"{where}: " + _("question %(id)s is retired.", id=slug))
            if "draw" in section:
                have = len(candidates(section["draw"], pool))
                if have < section["draw"]["count"]:
                    problems.append(f"{where}: " + _("the draw needs %(count)d questions but only %(have)d match.",
                                                     count=section["draw"]["count"], have=have))
        if len(set(wanted)) != len(wanted):
            problems.append(f"{doc.where('sections')}: " + _("a question appears twice in the exam."))
    return problems


def _fields(data: dict) -> dict:
    return {
        "title": data["title"].strip(), "title_en": (data.get("title_en") or "").strip(),
        "description": (data.get("description") or "").strip(),
        "pass_mark": data.get("pass_mark"), "pass_percent": data.get("pass_percent"),
        "time_limit_minutes": data.get("time_limit_minutes"), "max_attempts": data.get("max_attempts"),
        "retake_wait_hours": float(data.get("retake_wait_hours") or 0),
        "shuffle_questions": bool(data.get("shuffle_questions", False)),
        "shuffle_options": bool(data.get("shuffle_options", True)),
        "review": data.get("review", "after_submit"), "audience": data.get("audience") or {},
        "window": _json_window(data.get("window") or {}), "sections": data["sections"],
    }


def _json_window(window: dict) -> dict:
    """Dates and YAML's sexagesimal times as strings, so the window is plain JSON."""
    if "weekly" in window:
        weekly = window["weekly"]
        return {"weekly": {"weekday": weekly["weekday"], "start": windows.parse_time(weekly["start"]).strftime("%H:%M"),
                           "end": windows.parse_time(weekly["end"]).strftime("%H:%M")}}
    if window:
        return {"from": windows.parse_date(window["from"]).isoformat(), "until": windows.parse_date(window["until"]).isoformat()}
    return {}


def save_all(docs: list[ExamDoc]) -> dict:
    counts = {"created": 0, "changed": 0, "unchanged": 0}
    for doc in docs:
        fields = _fields(doc.data)
        digest = hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()
        exam = db.session.scalars(select(Exam).where(Exam.slug == doc.data["id"])).one_or_none()
        if exam is not None and exam.content_hash == digest:
            counts["unchanged"] += 1
            continue
        counts["created" if exam is None else "changed"] += 1
        if exam is None:
            exam = Exam(slug=doc.data["id"])
            db.session.add(exam)
        fields["review"] = Review(fields["review"])
        for key, value in fields.items():
            setattr(exam, key, value)
        exam.content_hash, exam.updated_at = digest, clock.now()
    db.session.flush()
    return counts
