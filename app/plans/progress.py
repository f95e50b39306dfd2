"""The one place plans ask other domains about learning and exams (the interface contract):

- app.courses.services: course_progress(person, slug) -> float, course_completed(person, slug) -> bool
- app.exams.services: best_attempt(person, slug), exam_passed(person, slug) -> bool; exam_by_slug and
  attempts_of (with app.exams.eligibility.attempts_left) to tell when a stage's attempts are used up
- app.courses.services: lesson_completed(person, "course/lesson") -> bool

Until a domain's services exist, its answers are "nothing done yet" (0.0, False, None): plans keep
working and stages wait. Which course, lesson and exam slugs exist is read from the content files
(courses/, question_bank/exams/) so templates validate before either domain's sync has run."""
from __future__ import annotations

import importlib
from functools import lru_cache
from pathlib import Path

import yaml

from app.config import ROOT
from app.core import clock

COURSES_DIR = ROOT / "courses"
EXAMS_DIR = ROOT / "question_bank" / "exams"


def _service(domain: str, name: str):
    try:
        module = importlib.import_module(f"app.{domain}.services")
    except ModuleNotFoundError as missing:
        if missing.name not in (f"app.{domain}", f"app.{domain}.services"):
            raise
        return None
    return getattr(module, name, None)


# --- what exists --------------------------------------------------------------------------------
def course_exists(slug: str) -> bool:
    return bool(slug) and "/" not in slug and (COURSES_DIR / slug / "course.md").is_file()


def lesson_exists(slug: str) -> bool:
    course, _, lesson = slug.partition("/")
    return course_exists(course) and bool(lesson) and any((COURSES_DIR / course).glob(f"[0-9]*-{lesson}.md"))


@lru_cache(maxsize=1)
def _exam_titles() -> dict[str, tuple[str, str]]:
    titles = {}
    for path in sorted(Path(EXAMS_DIR).glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        if isinstance(data, dict) and data.get("id"):
            titles[data["id"]] = (data.get("title", data["id"]), data.get("title_en", ""))
    return titles


def exam_exists(slug: str) -> bool:
    return slug in _exam_titles()


def exam_title(slug: str, locale: str | None = None) -> str:
    zh, en = _exam_titles().get(slug, (slug, ""))
    return en if locale and locale.startswith("en") and en else zh


def known_ids(locale: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """(id, title) of every course, lesson ("course/lesson") and exam the content files hold: the
    suggestions of the plan editor (the validator still decides what is accepted)."""
    courses = sorted(p.parent.name for p in COURSES_DIR.glob("*/course.md"))
    lessons = []
    for course in courses:
        for path in sorted((COURSES_DIR / course).glob("[0-9]*-*.md")):
            slug = f"{course}/{path.stem.split('-', 1)[1]}"
            lessons.append((slug, content_title(slug, locale)))
    exams = [(slug, exam_title(slug, locale)) for slug in sorted(_exam_titles())]
    return {"course": [(c, content_title(c, locale)) for c in courses], "lesson": lessons, "exam": exams}


# --- a person's progress ------------------------------------------------------------------------
def course_progress(person, slug: str) -> float:
    """0.0–1.0 of the course's current lessons done; a lesson slug counts as a one-lesson course
    (done when the course service says the lesson's course progress reached it)."""
    service = _service("courses", "course_progress")
    if service is None:
        return 0.0
    return max(0.0, min(1.0, float(service(person, slug))))


def lesson_done(person, slug: str) -> bool:
    """Is the lesson (course/lesson) completed in its course's current version?"""
    service = _service("courses", "lesson_completed")
    return bool(service(person, slug)) if service is not None else False


def exam_passed(person, slug: str) -> bool:
    service = _service("exams", "exam_passed")
    return bool(service(person, slug)) if service is not None else False


def best_attempt(person, slug: str):
    service = _service("exams", "best_attempt")
    return service(person, slug) if service is not None else None


def _final_attempts(person, slug: str) -> tuple[object, list] | None:
    """The exam and the person's attempts at it, through the exams services; None when either is missing."""
    exam_by_slug, attempts_of = _service("exams", "exam_by_slug"), _service("exams", "attempts_of")
    exam = exam_by_slug(slug) if exam_by_slug is not None else None
    if exam is None or attempts_of is None:
        return None
    return exam, attempts_of(person, exam)


def exam_exhausted(person, slug: str) -> bool:
    """Has the person used every attempt the exam allows (its maximum plus any override) with every
    result final and none passed? Only then is a stage failed automatically."""
    found = _final_attempts(person, slug)
    if found is None or found[0].max_attempts is None:
        return False
    exam, attempts = found
    from app.exams.eligibility import attempts_left  # the exams engine's own count, overrides included

    if attempts_left(exam, person) != 0:
        return False
    return all(a.is_final for a in attempts) and not any(a.passed for a in attempts)


def exam_passed_at(person, slug: str):
    """When the person first passed the exam (the earliest passing final attempt's finish), or None."""
    found = _final_attempts(person, slug)
    if found is None:
        return None
    finished = [clock.as_utc(a.finished_at) for a in found[1] if a.is_final and a.passed and a.finished_at]
    return min(finished, default=None)


def exam_url(slug: str) -> str | None:
    """Where the trainee takes the exam, when the exam domain offers a page for it."""
    from flask import url_for
    from werkzeug.routing import BuildError

    try:
        return url_for("exams.show", slug=slug)
    except BuildError:
        return None


def course_url(slug: str) -> str | None:
    from flask import url_for
    from werkzeug.routing import BuildError

    course, _, lesson = slug.partition("/")
    try:
        return url_for("courses.lesson", slug=course, lesson_slug=lesson) if lesson else url_for("courses.course", slug=course)
    except BuildError:
        return None


@lru_cache(maxsize=256)
def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if not text.startswith("---"):
        return {}
    header = text[3:].split("\n---", 1)[0]
    try:
        data = yaml.safe_load(header)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def content_title(slug: str, locale: str | None = None) -> str:
    """A course's or lesson's title from its file's header; the slug when there is none."""
    course, _, lesson = slug.partition("/")
    if lesson:
        path = next((COURSES_DIR / course).glob(f"[0-9]*-{lesson}.md"), None) if course_exists(course) else None
    else:
        path = COURSES_DIR / course / "course.md"
    data = _front_matter(path) if path is not None else {}
    english = locale and locale.startswith("en") and data.get("title_en")
    return str(data.get("title_en") if english else data.get("title") or slug)
