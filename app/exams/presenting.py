"""What trainees see of an attempt, in HTML and JSON alike: stems, options in the attempt's
order, the saved answers, and never a key, a correct flag or an explanation. Review data
(answers and explanations) is a separate function, called only when the exam's policy allows."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from app.core.i18n import localised
from app.exams.models import Attempt, AttemptSlot
from app.exams.services import latest_steps
from app.questions.markdown import render, render_inline


@dataclass
class SlotView:
    slot: AttemptSlot
    section_title: str
    stem: Markup
    input: Markup
    saved_at: object
    answered: bool


def section_titles(attempt: Attempt, locale: str | None = None) -> list[str]:
    return [localised(s, "title", locale) for s in attempt.exam.sections]


def slot_views(attempt: Attempt, disabled: bool = False, locale: str | None = None) -> list[SlotView]:
    steps = latest_steps(attempt.id)
    titles = section_titles(attempt, locale)
    views = []
    for slot in attempt.slots:
        step = steps.get(slot.slot)
        response = step.response if step else None
        kind = slot.version.kind
        views.append(SlotView(slot, titles[slot.section] if slot.section < len(titles) else "",
                              render(slot.version.stem),
                              kind.render(slot.version.definition, slot.option_order, response, f"q{slot.slot}", disabled),
                              step.saved_at if step else None, response is not None))
    return views


def slot_json(slot: AttemptSlot, step) -> dict:
    kind = slot.version.kind
    view = kind.view(slot.version.definition, slot.option_order)
    body = {"slot": slot.slot, "section": slot.section, "type": slot.version.type, "points": slot.max_points,
            "stem_html": str(render(slot.version.stem)),
            "options": [{"id": i, "html": str(render_inline(text))} for i, text in enumerate(view.options)],
            "answer": kind.display_response(slot.version.definition, slot.option_order, step.response) if step and step.response else None,
            "saved_at": step.saved_at.isoformat() if step else None}
    if slot.version.type == "practical":
        body["kind"] = view.extra["kind"]
        body["criteria"] = [{"criterion": c, "points": p} for c, p in view.extra["criteria"]]
    return body


def attempt_json(attempt: Attempt, include_questions: bool = True) -> dict:
    body = {"id": attempt.id, "exam": {"id": attempt.exam.slug, "title": attempt.exam.title},
            "number": attempt.number, "state": attempt.state.value,
            "started_at": attempt.started_at.isoformat(),
            "deadline": attempt.deadline.isoformat() if attempt.deadline else None,
            "seconds_left": attempt.seconds_left() if attempt.is_open else None,
            "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
            "max_score": attempt.max_score, "result": result_json(attempt)}
    if include_questions:
        steps = latest_steps(attempt.id)
        body["sections"] = section_titles(attempt)
        body["questions"] = [slot_json(slot, steps.get(slot.slot)) for slot in attempt.slots]
    return body


def result_json(attempt: Attempt) -> dict | None:
    if attempt.is_open:
        return None
    return {"final": attempt.is_final, "score": attempt.score, "max_score": attempt.max_score,
            "passed": attempt.passed, "pass_threshold": attempt.exam.pass_label(),
            "sections": [{"title": t, "score": s, "max_score": m} for t, s, m in section_scores(attempt)]}


def section_scores(attempt: Attempt, locale: str | None = None) -> list[tuple[str, float | None, float]]:
    titles = section_titles(attempt, locale)
    rows = []
    for index, title in enumerate(titles):
        slots = [s for s in attempt.slots if s.section == index]
        if not slots:
            continue
        scored = None if any(not s.graded for s in slots) else round(sum(s.points for s in slots), 4)
        rows.append((title, scored, sum(s.max_points for s in slots)))
    return rows


@dataclass
class ReviewItem:
    slot: AttemptSlot
    stem: Markup
    your_answer: str
    key: str
    explanation: Markup
    points: float | None
    criteria: list


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Answers, keys and explanations: only for callers who checked attempt.review_allowed()."""
    steps = latest_steps(attempt.id)
    items = []
    for slot in attempt.slots:
        kind, definition = slot.version.kind, slot.version.definition
        step = steps.get(slot.slot)
        items.append(ReviewItem(slot, render(slot.version.stem), kind.describe_response(definition, step.response if step else None),
                                kind.describe_key(definition), render(slot.version.explanation), slot.points,
                                [(definition["rubric"][c.criterion]["criterion"], c.points, c.comment) for c in slot.criteria]
                                if slot.version.type == "practical" else []))
    return items
