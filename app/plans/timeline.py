"""What a page or the API shows for one enrolment: each stage with its state, dates, tasks and results.
Built once here so the trainee's timeline, the drill-down, the export and the API agree."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _

from app.core import clock
from app.core.i18n import localised
from app.plans import progress, schedule, services
from app.plans.definition import QUALIFICATION_KINDS, qualification_name
from app.plans.models import Enrolment, EnrolmentStage, HistoryEntry, State


@dataclass
class Task:
    kind: str
    ref: str
    title: str
    done: float | None  #: 0.0–1.0 for courses and lessons; None for readings
    url: str | None


@dataclass
class Result:
    kind: str
    ref: str
    title: str
    passed: bool
    detail: str  #: score, or the evidence's status
    finished: object = None
    url: str | None = None  #: where the exam or drill is taken (exams and practicals)


@dataclass
class StageView:
    stage: EnrolmentStage
    title: str
    summary: str
    state: State
    tasks: list[Task] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    next_session: date | None = None
    place: str = ""
    follow_up: list[str] = field(default_factory=list)


def describe(task: dict, locale: str | None) -> tuple[str, str | None]:
    """A task's title in the reader's language (the plan's own, else the course's, lesson's or exam's)
    and where it is done; the timeline and the plan page show tasks the same way."""
    kind, ref = task["kind"], task["ref"]
    title = localised(task, "title", locale)
    if kind in ("course", "lesson"):
        return title or progress.content_title(ref, locale), progress.course_url(ref)
    if kind == "practice":
        return title or progress.exam_title(ref, locale), progress.exam_url(ref)
    return title or ref, None


def _task(person, task: dict, locale) -> Task:
    kind, ref = task["kind"], task["ref"]
    title, url = describe(task, locale)
    if kind in ("course", "lesson"):
        done = progress.course_progress(person, ref) if kind == "course" else float(progress.lesson_done(person, ref))
        return Task(kind, ref, title, done, url)
    return Task(kind, ref, title, None, url)


def _result(person, assessment: dict, locale) -> Result:
    title = localised(assessment, "title", locale)
    if assessment["kind"] == "external":
        verified = services.verified_qualification(person, assessment["ref"])
        detail = verified.certificate_no if verified else ""
        return Result("external", assessment["ref"], title or qualification_name(assessment["ref"], locale),
                      verified is not None, detail,
                      verified.verified_at if verified else None)
    attempt = progress.best_attempt(person, assessment["ref"])
    detail = f"{attempt.score:g} / {attempt.max_score:g}" if attempt is not None else ""
    return Result(assessment["kind"], assessment["ref"], title or progress.exam_title(assessment["ref"], locale),
                  progress.exam_passed(person, assessment["ref"]), detail,
                  getattr(attempt, "finished_at", None), progress.exam_url(assessment["ref"]))


def build(enrolment: Enrolment, locale: str | None = None) -> list[StageView]:
    person, views = enrolment.person, []
    for stage in enrolment.stages:
        definition = stage.definition
        session = definition.get("session")
        view = StageView(stage, localised(definition, "title", locale), localised(definition, "summary", locale),
                         stage.state, place=localised(session, "place", locale) if session else "")
        view.tasks = [_task(person, task, locale) for task in definition["tasks"]]
        view.results = [_result(person, item, locale) for item in definition["assessments"]]
        if stage.state in (State.in_progress, State.overdue):
            view.next_session = schedule.next_session(session, max(clock.today(), enrolment.start_date))
        view.follow_up = [localised(goal, "title", locale) for goal in definition.get("follow_up", [])]
        views.append(view)
    return views


# --- history -----------------------------------------------------------------------------------------


def history_note(entry: HistoryEntry, locale: str | None = None) -> str:
    """A history entry's note in the reader's language: put into words from the facts it keeps (`data`),
    followed by any reason a person typed. Entries written before the facts were kept are read from their
    note where it holds an identifier, and from the enrolment where the facts are its own."""
    data, note, enrolment = entry.data or {}, entry.note or "", entry.enrolment
    said = _said(entry.action, data, enrolment, locale) if data else _said_before(entry.action, note, enrolment, locale)
    if said is None:
        return note
    return f"{said} · {note}" if data and note else said


def _said(action: str, data: dict, enrolment: Enrolment, locale) -> str | None:
    if action == "enrolled":
        return _("version %(n)d, starting %(date)s", n=data["version"], date=format_date(date.fromisoformat(data["start"])))
    if action == "completed":
        return localised(enrolment.version.definition, "qualifies_for", locale)
    if "exhausted" in data:
        return _("All attempts at %(exam)s used without a pass.", exam=progress.exam_title(data["exhausted"], locale))
    if "exam" in data:
        return _("result of %(exam)s", exam=progress.exam_title(data["exam"], locale))
    if "course" in data:
        return progress.content_title(data["course"], locale)
    if "certificate_no" in data:
        what = f"{qualification_name(data['kind'], locale)} {data['certificate_no']}"
        return _("%(qualification)s verified", qualification=what) if action == "stage_passed" else what
    if "assessor" in data:
        return f"{data['name']} ({data['assessor']})" if data["assessor"] else _("none")
    return None


#: how "qualification <no> verified" was written into stage_passed notes, in either language
LEGACY_VERIFIED = re.compile(r"^(?:qualification (\S+) verified|资格证书 (\S+) 已核验)$")


def _said_before(action: str, note: str, enrolment: Enrolment, locale) -> str | None:
    if action == "enrolled":
        return _("version %(n)d, starting %(date)s", n=enrolment.version.number, date=format_date(enrolment.start_date))
    if action == "completed":
        return localised(enrolment.version.definition, "qualifies_for", locale) or None
    if action == "course_completed" and progress.course_exists(note):
        return progress.content_title(note, locale)
    if action == "stage_passed" and progress.exam_exists(note):
        return _("result of %(exam)s", exam=progress.exam_title(note, locale))
    verified = LEGACY_VERIFIED.match(note)
    if action == "stage_passed" and verified:
        return _("qualification %(no)s verified", no=verified.group(1) or verified.group(2))
    kind, _space, rest = note.partition(" ")
    if action.startswith("evidence_") and kind in QUALIFICATION_KINDS:
        return f"{qualification_name(kind, locale)} {rest}".strip()
    return None
