"""The shipped exams have an English title for English pages; a chapter quiz is named by its course's
English title (never by the course's identifier)."""
from pathlib import Path

import pytest
import yaml

from app.config import ROOT

EXAMS = sorted((ROOT / "question_bank" / "exams").glob("*.yaml"))


def _course(slug: str) -> dict:
    text = (ROOT / "courses" / slug / "course.md").read_text(encoding="utf-8")
    return yaml.safe_load(text[3:].split("\n---", 1)[0])


@pytest.mark.parametrize("path", EXAMS, ids=lambda p: p.stem)
def test_every_exam_has_an_english_title_without_identifiers(path: Path):
    exam = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert exam.get("title_en", "").strip()
    assert exam["id"] not in exam["title_en"]


@pytest.mark.parametrize("path", [p for p in EXAMS if p.stem.startswith("quiz-")], ids=lambda p: p.stem)
def test_a_chapter_quiz_is_named_after_its_course(path: Path):
    exam = yaml.safe_load(path.read_text(encoding="utf-8"))
    course = _course(exam["id"].removeprefix("quiz-"))
    assert exam["title"] == f"随堂测验：{course['title']}"
    assert exam["title_en"] == f"Quiz: {course['title_en']}"
