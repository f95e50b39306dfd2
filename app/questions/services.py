"""Importing, editing and retiring questions. Services flush; the caller commits once."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.extensions import db
from app.questions import types
from app.questions.formats import Entry, FormatError, aiken, gift, native
from app.questions.models import EDITED, Question, QuestionVersion
from app.questions.types.base import Problem
from app.questions.validation import all_tags, check, problems


class ImportInvalid(Exception):
    """Nothing was imported; `errors` are "file:line: reason"."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors[:20]))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    exams: dict = field(default_factory=lambda: {"created": 0, "changed": 0, "unchanged": 0})


@dataclass
class SourceFile:
    """A file to import: its display name, its text, and whether it is an exam definition."""

    name: str
    text: str
    exam: bool = False


QUESTION_SUFFIXES = (".yaml", ".yml", ".gift", ".txt", ".aiken")


def collect(path: Path) -> list[SourceFile]:
    """The files under `path` (a file or a directory): questions, and exams from exams/*.yaml."""
    if path.is_file():
        return [SourceFile(str(path), path.read_text(encoding="utf-8-sig"), path.parent.name == "exams")]
    files = [SourceFile(str(p), p.read_text(encoding="utf-8-sig"))
             for p in sorted(path.glob("*")) if p.is_file() and p.suffix.lower() in QUESTION_SUFFIXES and p.name.lower() != "readme.md"]
    files += [SourceFile(str(p), p.read_text(encoding="utf-8-sig"), True) for p in sorted((path / "exams").glob("*.y*ml"))]
    return files


def read_entries(source: SourceFile) -> list[Entry]:
    suffix = Path(source.name).suffix.lower()
    if suffix == ".aiken":
        return aiken.read(source.text, source.name)
    if suffix in (".gift", ".txt"):
        return gift.read(source.text, source.name)
    return native.read_questions(source.text, source.name)


def parse_all(sources: list[SourceFile]) -> tuple[list[Entry], list[str]]:
    entries, errors, seen = [], [], {}
    for source in (s for s in sources if not s.exam):
        try:
            found = read_entries(source)
        except FormatError as error:
            errors += error.errors
            continue
        for entry in found:
            problems = check(entry)
            errors += problems
            slug = entry.data.get("id")
            if slug in seen and not problems:
                errors.append(f"{entry.where('id')}: " + _("id %(id)s is also used at %(other)s.", id=slug, other=seen[slug]))
            seen.setdefault(slug, entry.where("id"))
            entries.append(entry)
    return entries, errors


def version_fields(entry: Entry) -> dict:
    """The content of a version from a validated entry, with its hash."""
    data = native.plain(entry.data)
    kind = types.get(data["type"])
    fields = {
        "type": data["type"], "stem": str(data["stem"]).strip(), "explanation": str(data.get("explanation") or "").strip(),
        "points": float(data.get("points", 1)), "difficulty": int(data.get("difficulty", 2)),
        "lesson": data.get("lesson") or "", "stage": data.get("stage"), "tags": all_tags(data),
        "definition": kind.definition(data),
    }
    if data["type"] == "practical":
        fields["points"] = kind.max_points(fields["definition"], None)
    fields["content_hash"] = hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return fields


def upsert(entry: Entry, result: ImportResult, actor=None, source: str | None = None) -> Question:
    """Create the question, or add a version when its content changed; unchanged keeps its version."""
    fields = version_fields(entry)
    slug = entry.data["id"]
    question = db.session.scalars(select(Question).where(Question.slug == slug)).one_or_none()
    if question is not None and question.current.content_hash == fields["content_hash"]:
        result.unchanged += 1
        return question
    if question is None:
        question = Question(slug=slug)
        db.session.add(question)
        result.created += 1
    else:
        result.changed += 1
    question.add_version(QuestionVersion(**fields, source=source or entry.where(), created_by_id=getattr(actor, "id", None)))
    return question


def import_sources(sources: list[SourceFile], actor=None, progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Validate every file, then write questions and exams; raise ImportInvalid (nothing written)
    on any problem. The caller commits."""
    from app.exams import definitions

    entries, errors = parse_all(sources)
    exam_docs = definitions.read_all([s for s in sources if s.exam])
    errors += exam_docs.errors
    if errors:
        raise ImportInvalid(errors)
    result = ImportResult()
    for done, entry in enumerate(entries, start=1):
        upsert(entry, result, actor)
        if progress and (done % 25 == 0 or done == len(entries)):
            progress(done, len(entries))
    db.session.flush()
    errors = definitions.check_against_bank(exam_docs.exams)
    if errors:
        raise ImportInvalid(errors)
    result.exams = definitions.save_all(exam_docs.exams)
    audit.record("questions.import", None, actor=actor, files=[s.name for s in sources][:50],
                 created=result.created, changed=result.changed, unchanged=result.unchanged, exams=result.exams)
    return result


def edit(question: Question, text: str, actor) -> Question:
    """A trainer's edit, given as the question's YAML: validated like a file; a new version when
    anything changed. The id cannot change."""
    try:
        document = native.load_yaml(text, _("edited question"))
    except FormatError as error:
        raise ImportInvalid(error.errors) from None
    if not isinstance(document, native.LineDict):
        raise ImportInvalid([_("edited question") + ":1: " + _("the question must be a YAML mapping.")])
    entry = Entry(dict(document), _("edited question"), document.line, dict(document.key_lines))
    entry.data["id"] = question.slug
    errors = check(entry)
    if errors:
        raise ImportInvalid(errors)
    return _save(question, entry, actor)


class EntryInvalid(Exception):
    """The editor's question has problems (app.questions.types.base.Problem); nothing was saved."""

    def __init__(self, problems: list):
        super().__init__("; ".join(p.message for p in problems[:20]))
        self.problems = problems


def checked_entry(data: dict, question: Question | None = None) -> Entry:
    """A question from the web editor, in the native shape, checked exactly like a file entry.
    Editing keeps the question's id; a new question's id must be free. Raises EntryInvalid."""
    entry = Entry(dict(data), _("edited question"), 1)
    if question is not None:
        entry.data["id"] = question.slug
    found = problems(entry)
    if question is None and not any(p.field == "id" for p in found) and db.session.scalars(
            select(Question.id).where(Question.slug == entry.data["id"])).first() is not None:
        found.insert(0, Problem("id", _("A question with this id already exists.")))
    if found:
        raise EntryInvalid(found)
    return entry


def save_entry(data: dict, actor, question: Question | None = None) -> Question:
    """Save the editor's question: a new question, or a new version of `question` when anything
    changed (attempts keep the version they were given). Raises EntryInvalid."""
    entry = checked_entry(data, question)
    if question is None:
        question = upsert(entry, ImportResult(), actor, source=EDITED)
        db.session.flush()
        audit.record("question.create", question, actor=actor, version=question.current_number)
        return question
    return _save(question, entry, actor)


def _save(question: Question, entry: Entry, actor) -> Question:
    before = question.current_number
    upsert(entry, ImportResult(), actor, source=EDITED)
    if question.current_number != before:
        audit.record("question.edit", question, actor=actor, old_version=before, new_version=question.current_number)
    return question


def as_yaml(version: QuestionVersion) -> str:
    """A version in the native format, for the edit form."""
    import yaml

    data = {"type": version.type}
    if version.lesson:
        data["lesson"] = version.lesson
    data["difficulty"] = version.difficulty
    if version.type != "practical":
        data["points"] = version.points if version.points != int(version.points) else int(version.points)
    data["tags"] = version.authored_tags
    if version.stage:
        data["stage"] = version.stage
    data["stem"] = version.stem
    data.update(version.definition)
    data["explanation"] = version.explanation
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def set_retired(question: Question, retired: bool, actor) -> None:
    if retired:
        question.retire()
    else:
        question.restore()
    audit.record("question.retire" if retired else "question.restore", question, actor=actor)
