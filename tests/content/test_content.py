"""The content of courses/ and question_bank/ loads, links resolve, and coverage cannot silently drop."""
from __future__ import annotations

import json

import pytest

from app.config import ROOT
from app.content import report as coverage
from app.content.topics import TOPICS

COURSES = ROOT / "courses"
BANK = ROOT / "question_bank"


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def test_every_course_file_loads(ctx):
    courses = coverage.load_courses(COURSES)  # raises ContentInvalid with every problem
    assert len(courses) >= 13
    assert all(course.content.lessons for course in courses)


def test_every_question_and_exam_file_loads(ctx):
    entries, exams, errors = coverage.load_questions(BANK)
    assert errors == []
    assert len(entries) >= coverage.MIN_QUESTIONS
    assert exams


def test_every_question_lesson_link_resolves(ctx):
    lessons = {f"{c.content.slug}/{l.slug}" for c in coverage.load_courses(COURSES) for l in c.content.lessons}
    entries, _exams, _errors = coverage.load_questions(BANK)
    unresolved = [f"{e.data['id']}: {e.data.get('lesson')}" for e in entries if e.data.get("lesson") not in lessons]
    assert unresolved == []


def test_report_json_meets_the_minimums_and_covers_every_topic(runner):
    result = runner.invoke(args=["content", "report", "--json"])
    data = json.loads(result.output)
    for key in ("courses", "lessons", "questions", "per_chapter", "per_stage", "per_type",
                "missing_topics", "unresolved_lessons"):
        assert key in data
    assert data["missing_topics"] == []
    assert data["unresolved_lessons"] == []
    assert data["errors"] == []
    assert data["questions"] >= 400
    assert set(data["per_chapter"]) == set(coverage.CHAPTERS)
    assert all(n >= 30 for n in data["per_chapter"].values()), data["per_chapter"]
    assert set(data["per_stage"]) == {"1", "2", "3"}
    assert all(n >= 40 for n in data["per_stage"].values()), data["per_stage"]
    assert data["courses"] >= 13 and data["lessons"] >= 60
    assert result.exit_code == 0, result.output


def test_report_table_prints(runner):
    result = runner.invoke(args=["content", "report"])
    assert result.exit_code == 0, result.output
    assert "team-building" in result.output


def test_a_topic_no_lesson_mentions_is_reported():
    lessons = ["督导关键点是“简”“探”“快”“精”。", "季度：开门红、双过半、预收官"]
    missing = coverage.missing_topics(lessons, TOPICS)
    assert "督导关键点：简、探、快、精" not in missing
    assert "季度名称：开门红、双过半、预收官、年末冲刺" in missing  # 年末冲刺 is absent
    assert "早三问、晚三问" in missing
    # the figures match in normalised form
    assert not coverage.missing_topics(["3–5 亿 ×1.25，3亿以下，5 亿以上 ×1.5"], [TOPICS[7]])


def test_a_short_bank_fails_the_report(runner, tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "few.yaml").write_text(
        "questions:\n  - id: x-1\n    type: truefalse\n    lesson: team-building/no-such-lesson\n    stage: 1\n"
        "    stem: 对吗？\n    answer: true\n    explanation: 见课程。\n", encoding="utf-8")
    result = runner.invoke(args=["content", "report", "--json", "--bank", str(bank)])
    data = json.loads(result.output)
    assert result.exit_code == 1
    assert data["questions"] == 1
    assert data["unresolved_lessons"] and "no-such-lesson" in data["unresolved_lessons"][0]
    assert data["shortfalls"]
