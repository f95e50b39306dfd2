"""The coverage report: courses/ and question_bank/ parsed from disk with the real loaders (nothing is
written to the database), counted, and checked against the minimums and the source topics."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from app.content.topics import TOPICS, Topic
from app.courses.loader import ContentInvalid, load_tree
from app.exams import definitions
from app.questions import services as question_services

#: The eight chapters of the manual (course ids), each needing MIN_PER_CHAPTER questions.
CHAPTERS = ("team-building", "target-management", "process-management", "customer-management",
            "sales-management", "activity-management", "risk-management", "complaint-handling")
STAGES = ("1", "2", "3")
MIN_QUESTIONS = 400
MIN_PER_CHAPTER = 30
MIN_PER_STAGE = 40


def normalise(text: str) -> str:
    """NFKC, without white space, with – and — as -: "3–5 亿" and "3-5亿" compare equal."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).replace("–", "-").replace("—", "-")


def missing_topics(lesson_texts: list[str], topics: list[Topic] = TOPICS) -> list[str]:
    """Names of the topics no single lesson covers (every group of the topic matched in that lesson)."""
    texts = [normalise(t) for t in lesson_texts]
    missing = []
    for name, groups in topics:
        wanted = [[normalise(s) for s in group] for group in groups]
        if not any(all(any(s in text for s in group) for group in wanted) for text in texts):
            missing.append(name)
    return missing


@dataclass
class Report:
    courses: int = 0
    lessons: int = 0
    questions: int = 0
    exams: int = 0
    per_chapter: dict[str, int] = field(default_factory=dict)
    per_stage: dict[str, int] = field(default_factory=dict)
    per_type: dict[str, int] = field(default_factory=dict)
    per_course: dict[str, dict] = field(default_factory=dict)
    missing_topics: list[str] = field(default_factory=list)
    unresolved_lessons: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.shortfalls or self.missing_topics or self.unresolved_lessons)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok, "courses": self.courses, "lessons": self.lessons, "questions": self.questions,
            "exams": self.exams, "per_chapter": self.per_chapter, "per_stage": self.per_stage,
            "per_type": self.per_type, "per_course": self.per_course, "missing_topics": self.missing_topics,
            "unresolved_lessons": self.unresolved_lessons, "errors": self.errors, "shortfalls": self.shortfalls,
            "minimums": {"questions": MIN_QUESTIONS, "per_chapter": MIN_PER_CHAPTER, "per_stage": MIN_PER_STAGE},
            "topics": len(TOPICS),
        }


def load_courses(root: Path):
    """The courses under `root`, parsed by the course loader (raises ContentInvalid)."""
    return load_tree(root, set(), {})


def load_questions(root: Path):
    """(question entries, exam docs, errors) from the question bank folder, parsed and validated by the
    importer's own code without writing anything."""
    sources = question_services.collect(root)
    entries, errors = question_services.parse_all(sources)
    exam_docs = definitions.read_all([s for s in sources if s.exam])
    return entries, exam_docs.exams, errors + exam_docs.errors


def build(courses_root: Path, bank_root: Path, topics: list[Topic] = TOPICS) -> Report:
    report = Report()
    try:
        courses = [c.content for c in load_courses(courses_root)]
    except ContentInvalid as invalid:
        courses = []
        report.errors += [str(e) for e in invalid.errors]
    entries, exams, errors = load_questions(bank_root)
    report.errors += errors
    report.courses = len(courses)
    report.lessons = sum(len(c.lessons) for c in courses)
    report.exams = len(exams)
    report.questions = len(entries)
    targets = {f"{c.slug}/{lesson.slug}" for c in courses for lesson in c.lessons}

    chapters: Counter = Counter({chapter: 0 for chapter in CHAPTERS})
    stages: Counter = Counter({stage: 0 for stage in STAGES})
    kinds: Counter = Counter()
    per_course: Counter = Counter()
    for entry in entries:
        data = entry.data
        lesson = data.get("lesson") or ""
        course = lesson.split("/", 1)[0] if lesson else ""
        if lesson not in targets:
            report.unresolved_lessons.append(f"{data.get('id', '?')} ({entry.where('lesson')}): {lesson or '-'}")
        if course in CHAPTERS:
            chapters[course] += 1
        if data.get("stage") is not None:
            stages[str(data["stage"])] += 1
        kinds[str(data.get("type"))] += 1
        per_course[course] += 1
    report.per_chapter = {chapter: chapters[chapter] for chapter in CHAPTERS}
    report.per_stage = {stage: stages[stage] for stage in sorted(stages)}
    report.per_type = dict(sorted(kinds.items()))
    report.per_course = {c.slug: {"title": c.title, "lessons": len(c.lessons), "questions": per_course[c.slug]}
                         for c in sorted(courses, key=lambda c: (c.part, c.order, c.slug))}

    if report.questions < MIN_QUESTIONS:
        report.shortfalls.append(f"questions: {report.questions} < {MIN_QUESTIONS}")
    report.shortfalls += [f"per_chapter.{k}: {v} < {MIN_PER_CHAPTER}" for k, v in report.per_chapter.items() if v < MIN_PER_CHAPTER]
    report.shortfalls += [f"per_stage.{k}: {v} < {MIN_PER_STAGE}" for k, v in report.per_stage.items() if v < MIN_PER_STAGE]
    report.missing_topics = missing_topics([f"{l.title}\n{l.body}" for c in courses for l in c.lessons], topics)
    return report
