"""Course content as plain data, whichever way it arrives (files or a web draft), and its hashes."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

SLUG = re.compile(r"^[a-z0-9-]{2,60}$")
#: `[text](lesson:course/lesson#anchor)`: group 1 is the target without the anchor
LESSON_LINK = re.compile(r"\]\(\s*lesson:([^)\s#]*)(#[^)\s]*)?\s*\)")
#: `![alt](image:name)`
IMAGE_REF = re.compile(r"!\[[^\]]*\]\(\s*image:([^)\s]*)\s*\)")


@dataclass
class LessonContent:
    slug: str
    title: str
    title_en: str
    minutes: int
    body: str
    #: where it came from, for error messages ("courses/x/01-y.md"), and the line the body starts at
    origin: str = ""
    body_line: int = 1

    def content_hash(self) -> str:
        return _hash({"title": self.title, "title_en": self.title_en, "minutes": self.minutes, "body": self.body})


@dataclass
class CourseContent:
    slug: str
    title: str
    title_en: str
    part: str
    order: int
    positions: list[str]
    minutes: int
    objectives: list[str]
    summary_en: str
    intro: str
    lessons: list[LessonContent] = field(default_factory=list)
    origin: str = ""
    body_line: int = 1

    def content_hash(self) -> str:
        header = {k: v for k, v in asdict(self).items() if k not in ("lessons", "origin", "body_line")}
        return _hash({"header": header, "lessons": [[lesson.slug, lesson.content_hash()] for lesson in self.lessons]})


def _hash(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def split_target(target: str, course_slug: str) -> tuple[str, str]:
    """"course/lesson" or "lesson" (same course) → (course, lesson)."""
    course, _sep, lesson = target.rpartition("/")
    return (course or course_slug), lesson


def references(text: str, first_line: int = 1):
    """Yield (line number, kind, target) for every lesson link and image reference in Markdown text."""
    for offset, line in enumerate(text.splitlines()):
        for match in LESSON_LINK.finditer(line):
            yield first_line + offset, "lesson", match.group(1)
        for match in IMAGE_REF.finditer(line):
            yield first_line + offset, "image", match.group(1)
