"""Reading courses/ (format: courses/README.md) into CourseContent, or a list of `file:line: reason`.

Every file is checked before anything is returned: one broken file means the whole run loads nothing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from flask_babel import gettext as _

from app.accounts.positions import POSITIONS
from app.courses.content import SLUG, CourseContent, LessonContent, references, split_target
from app.courses.models import PARTS

LESSON_FILE = re.compile(r"^(\d{2})-(.+)\.md$")
#: Folders under courses/ that are not courses.
NOT_COURSES = {"plans"}
COURSE_FIELDS = {"id", "title", "title_en", "part", "order", "positions", "minutes", "objectives", "summary_en"}
COURSE_REQUIRED = COURSE_FIELDS - {"positions"}
LESSON_FIELDS = {"id", "title", "title_en", "minutes"}


@dataclass(frozen=True)
class LoadError:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class ContentInvalid(Exception):
    def __init__(self, errors: list[LoadError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class LoadedCourse:
    content: CourseContent
    #: SHA-256 over the course's file names and bytes
    source_hash: str


def load_tree(root: Path, known_lessons: set[tuple[str, str]], images: dict[str, set[str]]) -> list[LoadedCourse]:
    """Parse every course folder under `root`. `known_lessons` are (course, lesson) pairs that exist outside
    the files (web-made courses); `images` maps course slugs to their attached image names.
    Raises ContentInvalid with every problem found."""
    errors: list[LoadError] = []
    loaded = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if folder.name in NOT_COURSES:
            continue
        course = _load_course(folder, root, errors)
        if course is not None:
            loaded.append(course)
    targets = known_lessons | {(c.content.slug, lesson.slug) for c in loaded for lesson in c.content.lessons}
    for course in loaded:
        _check_references(course.content, targets, images.get(course.content.slug, set()), errors)
    if errors:
        raise ContentInvalid(errors)
    return loaded


def _load_course(folder: Path, root: Path, errors: list[LoadError]) -> LoadedCourse | None:
    rel = lambda path: str(path.relative_to(root.parent))  # noqa: E731 - paths as the author sees them
    course_file = folder / "course.md"
    if not course_file.exists():
        errors.append(LoadError(rel(course_file), 1, _("the course folder has no course.md")))
        return None
    before = len(errors)
    header, intro, body_line = _front_matter(course_file, rel(course_file), COURSE_FIELDS, COURSE_REQUIRED, errors)
    if header is not None:
        _check_course_header(header, folder.name, rel(course_file), errors)
    lessons = _load_lessons(folder, rel, errors)
    if len(errors) > before or header is None:
        return None
    content = CourseContent(
        slug=header["id"].value, title=header["title"].value, title_en=header["title_en"].value,
        part=header["part"].value, order=header["order"].value,
        positions=list(header["positions"].value) if "positions" in header else [],
        minutes=header["minutes"].value, objectives=list(header["objectives"].value),
        summary_en=str(header["summary_en"].value).strip(), intro=intro, lessons=lessons,
        origin=rel(course_file), body_line=body_line,
    )
    return LoadedCourse(content, _source_hash(folder))


def _load_lessons(folder: Path, rel, errors: list[LoadError]) -> list[LessonContent]:
    lessons: list[LessonContent] = []
    seen_ids: dict[str, str] = {}
    seen_numbers: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name == "course.md":
            continue
        match = LESSON_FILE.match(path.name)
        if not match:
            errors.append(LoadError(rel(path), 1, _("a lesson file must be named NN-<lesson-id>.md")))
            continue
        number, name = match.groups()
        if number in seen_numbers:
            errors.append(LoadError(rel(path), 1, _("order number %(n)s is also used by %(other)s", n=number, other=seen_numbers[number])))
        seen_numbers[number] = rel(path)
        header, body, body_line = _front_matter(path, rel(path), LESSON_FIELDS, LESSON_FIELDS, errors)
        if header is None or not _check_lesson_header(header, name, rel(path), errors):
            continue
        slug = header["id"].value
        if slug in seen_ids:
            errors.append(LoadError(rel(path), header["id"].line, _("duplicate lesson id “%(id)s” (also in %(other)s)", id=slug, other=seen_ids[slug])))
            continue
        seen_ids[slug] = rel(path)
        lessons.append(LessonContent(slug=slug, title=header["title"].value, title_en=header["title_en"].value,
                                     minutes=header["minutes"].value, body=body, origin=rel(path), body_line=body_line))
    if not lessons and not any(e.path.startswith(rel(folder)) for e in errors):
        errors.append(LoadError(rel(folder / "course.md"), 1, _("the course has no lessons")))
    return lessons


@dataclass
class _Value:
    value: object
    line: int


def _front_matter(path: Path, name: str, allowed: set[str], required: set[str], errors: list[LoadError]):
    """(fields as {key: _Value}, body text, line the body starts on), or (None, "", 0) after an error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append(LoadError(name, 1, _("the file is not UTF-8 text")))
        return None, "", 0
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        errors.append(LoadError(name, 1, _("the file must start with a front-matter block between --- lines")))
        return None, "", 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        errors.append(LoadError(name, 1, _("the front matter has no closing --- line")))
        return None, "", 0
    fields = _parse_yaml("\n".join(lines[1:end]), name, errors)
    if fields is None:
        return None, "", 0
    before = len(errors)
    for key, value in fields.items():
        if key not in allowed:
            errors.append(LoadError(name, value.line, _("unknown field “%(field)s”", field=key)))
    for key in sorted(required - set(fields)):
        errors.append(LoadError(name, 1, _("required field “%(field)s” is missing", field=key)))
    body = "\n".join(lines[end + 1:]).strip("\n")
    return (fields if len(errors) == before else None), body, end + 2


def _parse_yaml(source: str, name: str, errors: list[LoadError]) -> dict[str, _Value] | None:
    """Parse keeping each top-level key's line (the file's line: the YAML starts on line 2)."""
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        errors.append(LoadError(name, line, _("the front matter is not valid YAML: %(problem)s", problem=getattr(error, "problem", "") or str(error))))
        return None
    if not isinstance(data, dict) or node is None:
        errors.append(LoadError(name, 2, _("the front matter must be a list of “field: value” lines")))
        return None
    lines = {key_node.value: key_node.start_mark.line + 2 for key_node, _value in node.value}
    return {str(key): _Value(value, lines.get(str(key), 2)) for key, value in data.items()}


def _check_course_header(header: dict, folder: str, name: str, errors: list[LoadError]) -> None:
    _check_slug(header["id"], folder, _("the folder name"), name, errors)
    for key in ("title", "title_en", "summary_en"):
        _check_text(header[key], key, name, errors)
    if header["part"].value not in PARTS:
        errors.append(LoadError(name, header["part"].line, _("part must be one of %(codes)s", codes=", ".join(PARTS))))
    _check_int(header["order"], "order", name, errors, minimum=0)
    _check_int(header["minutes"], "minutes", name, errors, minimum=1)
    positions = header.get("positions", _Value([], 0))
    if positions.value is None:
        positions.value = []
    if not isinstance(positions.value, list) or any(p not in POSITIONS for p in positions.value):
        errors.append(LoadError(name, positions.line, _("positions must be a list of position codes (%(codes)s)", codes=", ".join(POSITIONS))))
    objectives = header["objectives"]
    if not isinstance(objectives.value, list) or not objectives.value or not all(isinstance(o, str) and o.strip() for o in objectives.value):
        errors.append(LoadError(name, objectives.line, _("objectives must be a non-empty list of sentences")))


def _check_lesson_header(header: dict, file_id: str, name: str, errors: list[LoadError]) -> bool:
    before = len(errors)
    _check_slug(header["id"], file_id, _("the file name after the number"), name, errors)
    _check_text(header["title"], "title", name, errors)
    _check_text(header["title_en"], "title_en", name, errors)
    _check_int(header["minutes"], "minutes", name, errors, minimum=1)
    return len(errors) == before


def _check_slug(value: _Value, expected: str, where: str, name: str, errors: list[LoadError]) -> None:
    if not isinstance(value.value, str) or not SLUG.match(value.value):
        errors.append(LoadError(name, value.line, _("id must be 2–60 lowercase letters, digits or hyphens")))
    elif value.value != expected:
        errors.append(LoadError(name, value.line, _("id “%(id)s” must equal %(where)s “%(expected)s”", id=value.value, where=where, expected=expected)))


def _check_text(value: _Value, key: str, name: str, errors: list[LoadError]) -> None:
    if not isinstance(value.value, str) or not value.value.strip() or len(value.value) > (5000 if key == "summary_en" else 200):
        errors.append(LoadError(name, value.line, _("%(field)s must be non-empty text", field=key)))


def _check_int(value: _Value, key: str, name: str, errors: list[LoadError], minimum: int) -> None:
    if isinstance(value.value, bool) or not isinstance(value.value, int) or not minimum <= value.value <= 100000:
        errors.append(LoadError(name, value.line, _("%(field)s must be a whole number of at least %(min)d", field=key, min=minimum)))


def _check_references(course: CourseContent, targets: set[tuple[str, str]], images: set[str], errors: list[LoadError]) -> None:
    documents = [(course.origin, course.intro, course.body_line)] + [(l.origin, l.body, l.body_line) for l in course.lessons]
    for origin, text, first_line in documents:
        for line, kind, target in references(text, first_line):
            if kind == "lesson" and split_target(target, course.slug) not in targets:
                errors.append(LoadError(origin, line, _("link to lesson:%(target)s, but there is no such lesson", target=target)))
            elif kind == "image" and target not in images:
                errors.append(LoadError(origin, line, _("image:%(name)s is not attached to this course (attach it on the web first)", name=target)))


def _source_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.md")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
