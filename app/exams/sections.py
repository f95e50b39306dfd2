"""Exam sections: fixed questions and random draws. Drawing is seeded per attempt, so the
same attempt always gets the same questions in the same order."""
from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.questions.models import Question, QuestionVersion


@dataclass(frozen=True)
class Candidate:
    """What a draw needs to know of a question: its current version's id, type, difficulty and tags."""
    version_id: int
    question_id: int
    type: str
    difficulty: int
    tags: list


@dataclass
class Pick:
    section: int
    version: QuestionVersion
    points: float


def matches(version: Candidate | QuestionVersion, draw: dict) -> bool:
    """A question version fits a draw: every tag, and the difficulty and type when given."""
    tags = set(version.tags)
    if not set(draw.get("tags") or []) <= tags:
        return False
    if draw.get("difficulty") is not None and version.difficulty != draw["difficulty"]:
        return False
    return draw.get("type") is None or version.type == draw["type"]


def current_versions() -> list[Candidate]:
    """The current version of every question still in use, by slug order (stable for seeding).
    Plain rows, not ORM objects: every start of a drawn exam reads the whole bank."""
    rows = db.session.execute(
        select(QuestionVersion.id, QuestionVersion.question_id, QuestionVersion.type, QuestionVersion.difficulty,
               QuestionVersion.tags)
        .join(Question, (Question.id == QuestionVersion.question_id) & (Question.current_number == QuestionVersion.number))
        .where(Question.retired.is_(False)).order_by(Question.slug))
    return [Candidate(*row) for row in rows]


def versions(ids: list[int]) -> dict[int, QuestionVersion]:
    return {v.id: v for v in db.session.scalars(select(QuestionVersion).where(QuestionVersion.id.in_(ids)))} if ids else {}


def candidates(draw: dict, pool: list[Candidate] | None = None) -> list[Candidate]:
    return [v for v in (pool if pool is not None else current_versions()) if matches(v, draw)]


def by_slug(slugs: list[str]) -> dict[str, Question]:
    rows = db.session.scalars(select(Question).where(Question.slug.in_(slugs)))
    return {q.slug: q for q in rows}


def section_points(section: dict) -> float:
    if "draw" in section:
        draw = section["draw"]
        if draw.get("points") is not None:
            return float(draw["points"]) * draw["count"]
        found = candidates(draw)
        return float(db.session.get(QuestionVersion, found[0].version_id).max_points * draw["count"]) if found else 0.0
    questions = by_slug(section["questions"])
    return sum(questions[s].current.max_points for s in section["questions"] if s in questions)


def pick(sections: list[dict], seed: int, shuffle_questions: bool) -> list[Pick]:
    """The questions of one attempt, in display order."""
    rng = random.Random(seed)
    pool = None
    picks: list[Pick] = []
    for index, section in enumerate(sections):
        if "draw" in section:
            pool = pool if pool is not None else current_versions()
            draw = section["draw"]
            taken = {p.version.question_id for p in picks}
            found = [c for c in candidates(draw, pool) if c.question_id not in taken]
            chosen = rng.sample(found, min(draw["count"], len(found)))
            loaded = versions([c.version_id for c in chosen])
            part = [Pick(index, loaded[c.version_id], float(draw["points"]) if draw.get("points") is not None
                         else loaded[c.version_id].max_points) for c in chosen]
        else:
            questions = by_slug(section["questions"])
            part = [Pick(index, questions[s].current, questions[s].current.max_points)
                    for s in section["questions"] if s in questions and not questions[s].retired]
        if shuffle_questions:
            rng.shuffle(part)
        picks.extend(part)
    return picks


def option_order(count: int, rng: random.Random, shuffle: bool) -> list[int]:
    order = list(range(count))
    if shuffle:
        rng.shuffle(order)
    return order
