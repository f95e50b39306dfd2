"""Demo data for exams: the question bank (when not loaded yet), the trainee's submitted attempt
at the all-types demo exam with its drill waiting for the demo assessor, and finished attempts
by colleagues in the same branch so the statistics pages have something to show."""
from __future__ import annotations

import random

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import Person
from app.config import ROOT
from app.demo.steps import DemoContext, step
from app.exams import grading, services
from app.exams.models import Attempt, AttemptSlot
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause
from app.questions import services as question_services
from app.questions.models import Question

DEMO_EXAM = "demo-all-types"
QUIZ = "quiz-team-building"
COLLEAGUES = 30


@step(40)
def exams(context: DemoContext) -> None:
    if not db.session.scalar(select(func.count()).select_from(Question)):
        question_services.import_sources(question_services.collect(ROOT / "question_bank"))
    demo_exam, quiz = services.exam_by_slug(DEMO_EXAM), services.exam_by_slug(QUIZ)
    trainee, assessor = context.accounts.get("trainee"), context.accounts.get("assessor")
    if demo_exam is None or trainee is None:
        return
    rng = random.Random(4)
    sit(demo_exam, trainee, rng, ability=0.8)
    colleagues = _colleagues(trainee, assessor)
    waiting = 0
    for index, person in enumerate(colleagues):
        ability = rng.uniform(0.3, 0.95)
        attempt = sit(demo_exam, person, rng, ability)
        if index % 3 == 0 and waiting < 4:
            waiting += 1  # left for the assessor
        elif assessor is not None:
            _assess(attempt, assessor, rng, ability)
        if quiz is not None:
            sit(quiz, person, rng, ability)
    context.report.append(_("Exams: %(n)d attempts; %(waiting)d practical items wait for the demo assessor.",
                            n=db.session.scalar(select(func.count()).select_from(Attempt)), waiting=waiting + 1))


def _colleagues(trainee: Person, assessor: Person | None) -> list[Person]:
    """People in the assessor's branch (so their drills are in the demo assessor's scope)."""
    branch_path = "/".join(trainee.org_unit.path.split("/")[:4]) + "/"
    return list(db.session.scalars(select(Person).join(Person.org_unit)
                                   .where(subtree_clause(OrgUnit.path, branch_path), Person.username.is_(None))
                                   .order_by(Person.employee_no).limit(COLLEAGUES)))


def sit(exam, person: Person, rng: random.Random, ability: float) -> Attempt:
    attempt = services.start_or_resume(exam, person)
    for slot in attempt.slots:
        services.save_answer(attempt, slot.slot, answer(slot, rng, rng.random() < ability))
    return services.submit(attempt)


def answer(slot: AttemptSlot, rng: random.Random, right: bool):
    """A response in the browser's form (display positions), right or a plausible mistake."""
    definition, order, kind = slot.version.definition, slot.option_order, slot.version.type
    if kind in ("single", "multiple"):
        key = [order.index(i) for i, o in enumerate(definition["options"]) if o["correct"]]
        if kind == "single":
            return {"choice": key[0] if right else rng.choice([p for p in range(len(order)) if p not in key])}
        return {"choices": key if right else rng.sample(range(len(order)), k=rng.randint(1, len(order) - 1))}
    if kind == "truefalse":
        return {"value": definition["answer"] if right else not definition["answer"]}
    if kind == "fill":
        return {"text": definition["answers"][0] if right else "不清楚"}
    return {"note": "已按要求完成演练。"}


def _assess(attempt: Attempt, assessor: Person, rng: random.Random, ability: float) -> None:
    for slot in attempt.slots:
        if slot.version.type == "practical" and not slot.graded:
            scores = [grading.CriterionInput(round(c["points"] * min(1.0, ability + rng.uniform(-0.2, 0.2))), "")
                      for c in slot.version.definition["rubric"]]
            grading.score_slot(slot, assessor, [grading.CriterionInput(max(0, s.points), s.comment) for s in scores])
