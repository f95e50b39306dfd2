"""End to end across plans, exams and certification: real objects through the real services, no stand-ins.
The question bank, its exams and the plan templates are loaded as the CLI loads them."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from app.accounts.models import Role
from app.config import ROOT
from app.core import clock
from app.exams import grading
from app.exams import services as exams
from app.plans import services as plans
from app.questions import services as questions

#: Wednesday 4 March 2026, 18:30 in Beijing: inside the Wednesday-evening exam window (周三夕会).
WEDNESDAY_EVENING = datetime(2026, 3, 4, 10, 30, tzinfo=timezone.utc)


@pytest.fixture
def content(db):
    """The shipped question bank (questions and exams) and plan templates."""
    questions.import_sources(questions.collect(ROOT / "question_bank"))
    plans.sync_directory(ROOT / "courses" / "plans")
    db.session.commit()


@pytest.fixture
def bank(org, make_person, content):
    clock.freeze(WEDNESDAY_EVENING)
    return {
        "head": make_person(org["BJ"], "pf_manager", roles=[(Role.branch_head, org["BJ"])], username="bjhead"),
        "product_manager": make_person(org["BJ-S01"], "product_manager", roles=[(Role.assessor, org["BJ"])],
                                       username="pm"),
        "senior": make_person(org["BJ-S01"], "senior_account_manager", roles=[(Role.assessor, org["BJ-S01"])],
                              username="senior"),
        "teller": make_person(org["BJ-S01-001"], "teller", username="teller", name="李晓梅"),
        "outlet_head": make_person(org["BJ-S01-002"], "outlet_head", username="oh", name="王建国"),
    }


def right_answer(slot):
    """The key of the question in this slot, read from its version (in the attempt's option order)."""
    definition, order, kind = slot.version.definition, slot.option_order, slot.version.type
    if kind == "single":
        return {"choice": order.index(next(i for i, o in enumerate(definition["options"]) if o["correct"]))}
    if kind == "multiple":
        return {"choices": [order.index(i) for i, o in enumerate(definition["options"]) if o["correct"]]}
    if kind == "truefalse":
        return {"value": definition["answer"]}
    if kind == "fill":
        return {"text": definition["answers"][0]}
    return {"note": "准备好了"}


def wrong_answer(slot):
    definition, order, kind = slot.version.definition, slot.option_order, slot.version.type
    if kind == "single":
        return {"choice": order.index(next(i for i, o in enumerate(definition["options"]) if not o.get("correct")))}
    if kind == "multiple":
        return {"choices": [order.index(i) for i, o in enumerate(definition["options"]) if not o.get("correct")][:1]}
    if kind == "truefalse":
        return {"value": not definition["answer"]}
    if kind == "fill":
        return {"text": "不知道"}
    return {"note": ""}


def sit(db, person, slug: str, correct_slots: int | None = None):
    """Start an attempt, answer (the first `correct_slots` right, the rest wrong; all right by default),
    submit, commit: what the exam pages do, through the same services."""
    attempt = exams.start_or_resume(exams.exam_by_slug(slug), person)
    db.session.commit()
    for index, slot in enumerate(attempt.slots):
        good = correct_slots is None or index < correct_slots
        exams.save_answer(attempt, slot.slot, right_answer(slot) if good else wrong_answer(slot))
    db.session.commit()
    exams.submit(attempt)
    db.session.commit()
    return attempt


def score_practicals(db, assessor, attempt):
    """The assessor gives full points on every rubric criterion of every practical item."""
    for slot in grading.queue(assessor):
        if slot.attempt_id != attempt.id:
            continue
        points = [grading.CriterionInput(c["points"], "到位") for c in slot.version.definition["rubric"]]
        grading.score_slot(slot, assessor, points)
    db.session.commit()
