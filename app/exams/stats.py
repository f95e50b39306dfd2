"""Item analysis for trainers, over the final attempts of the people in the trainer's scope:
score distribution, and per question the facility index (mean fraction), the discrimination
index (mean fraction in the top 27% by total score minus the bottom 27%) and the option
distribution, with flags for questions that look wrong."""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import func, select

from app.accounts.models import Person
from app.core import policy
from app.exams.models import AnswerStep, Attempt, AttemptSlot, AttemptState, Exam
from app.extensions import db
from app.org.models import OrgUnit
from app.questions.models import Question, QuestionVersion

GROUP = 0.27


@dataclass
class ItemStats:
    version: QuestionVersion
    slug: str
    count: int
    facility: float
    discrimination: float | None
    options: list[tuple[str, bool, int]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class ExamReport:
    attempts: int
    mean: float | None
    median: float | None
    pass_rate: float | None
    bins: list[int]
    items: list[ItemStats]


def final_attempts(exam: Exam, actor: Person) -> list[Attempt]:
    return list(db.session.scalars(
        select(Attempt).join(Attempt.person).join(Person.org_unit)
        .where(Attempt.exam_id == exam.id, Attempt.state == AttemptState.graded,
               policy.in_scope_clause(OrgUnit.path, actor, policy.EXAM_MANAGER_ROLES))
        .order_by(Attempt.id)))


def summaries(exams: list[Exam], actor: Person) -> dict[int, tuple[int, float | None]]:
    """Per exam: final attempts in scope and pass rate, in one query."""
    rows = db.session.execute(
        select(Attempt.exam_id, func.count(), func.avg(func.cast(Attempt.passed, db.Integer)))
        .join(Attempt.person).join(Person.org_unit)
        .where(Attempt.state == AttemptState.graded, policy.in_scope_clause(OrgUnit.path, actor, policy.EXAM_MANAGER_ROLES))
        .group_by(Attempt.exam_id)).all()
    return {exam_id: (count, float(rate) if rate is not None else None) for exam_id, count, rate in rows}


def exam_report(exam: Exam, actor: Person) -> ExamReport:
    attempts = final_attempts(exam, actor)
    percents = [100 * a.score / a.max_score if a.max_score else 0 for a in attempts]
    bins = [0] * 10
    for value in percents:
        bins[min(int(value // 10), 9)] += 1
    return ExamReport(
        attempts=len(attempts),
        mean=statistics.fmean(a.score for a in attempts) if attempts else None,
        median=statistics.median(a.score for a in attempts) if attempts else None,
        pass_rate=sum(1 for a in attempts if a.passed) / len(attempts) if attempts else None,
        bins=bins, items=_items(attempts))


def _responses(attempt_ids: list[int]) -> dict[tuple[int, int], dict | None]:
    latest = (select(AnswerStep.attempt_id, AnswerStep.slot, func.max(AnswerStep.sequence).label("sequence"))
              .where(AnswerStep.attempt_id.in_(attempt_ids)).group_by(AnswerStep.attempt_id, AnswerStep.slot).subquery())
    rows = db.session.execute(select(AnswerStep.attempt_id, AnswerStep.slot, AnswerStep.response).join(
        latest, (AnswerStep.attempt_id == latest.c.attempt_id) & (AnswerStep.slot == latest.c.slot)
        & (AnswerStep.sequence == latest.c.sequence)))
    return {(a, s): r for a, s, r in rows}


def _items(attempts: list[Attempt]) -> list[ItemStats]:
    if not attempts:
        return []
    ids = [a.id for a in attempts]
    ranked = sorted(attempts, key=lambda a: (a.score / a.max_score if a.max_score else 0, a.id))
    size = max(1, round(len(ranked) * GROUP))
    bottom, top = {a.id for a in ranked[:size]}, {a.id for a in ranked[-size:]}
    responses = _responses(ids)
    by_version: dict[int, list[tuple[int, AttemptSlot]]] = defaultdict(list)
    for slot in db.session.scalars(select(AttemptSlot).where(AttemptSlot.attempt_id.in_(ids), AttemptSlot.fraction.is_not(None))):
        by_version[slot.question_version_id].append((slot.attempt_id, slot))
    slugs = dict(db.session.execute(select(QuestionVersion.id, Question.slug).join(QuestionVersion.question)
                                    .where(QuestionVersion.id.in_(list(by_version)))).all())
    items = [_item(rows[0][1].version, slugs[vid], rows, responses, top, bottom, len(ranked) >= 4)
             for vid, rows in by_version.items()]
    return sorted(items, key=lambda i: (not i.flags, i.slug))


def _item(version, slug, rows, responses, top, bottom, enough: bool) -> ItemStats:
    fractions = {attempt_id: slot.fraction for attempt_id, slot in rows}
    facility = statistics.fmean(fractions.values())
    top_f = [f for a, f in fractions.items() if a in top]
    bottom_f = [f for a, f in fractions.items() if a in bottom]
    discrimination = statistics.fmean(top_f) - statistics.fmean(bottom_f) if enough and top_f and bottom_f else None
    item = ItemStats(version, slug, len(fractions), facility, discrimination)
    if version.type in ("single", "multiple"):
        chosen = Counter()
        for attempt_id, slot in rows:
            response = responses.get((attempt_id, slot.slot)) or {}
            chosen.update(response.get("choices") or ([response["choice"]] if "choice" in response else []))
        item.options = [(o["text"], o["correct"], chosen[i]) for i, o in enumerate(version.definition["options"])]
    item.flags = flags(item)
    return item


def flags(item: ItemStats) -> list[str]:
    found = []
    if item.facility < 0.2:
        found.append(_("very hard: fewer than 20% score"))
    if item.facility > 0.95:
        found.append(_("very easy: more than 95% score"))
    if item.discrimination is not None and item.discrimination < 0:
        found.append(_("negative discrimination: weaker candidates do better"))
    key_max = max((n for _t, right, n in item.options if right), default=None)
    if key_max is not None and any(n > key_max for _t, right, n in item.options if not right):
        found.append(_("a distractor is chosen more often than the key"))
    return found


def histogram_svg(report: ExamReport) -> Markup:
    """The score distribution as an inline SVG bar chart (drawn on the server: no script needed)."""
    width, height, pad = 600, 240, 30
    top = max(report.bins) or 1
    bar = (width - 2 * pad) / 10
    parts = [f'<svg viewBox="0 0 {width} {height}" role="img" class="chart" aria-labelledby="hist-title">',
             f'<title id="hist-title">{escape(_("Score distribution (percent of the total)"))}</title>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#5f5b58"/>']
    for index, count in enumerate(report.bins):
        h = (height - 2 * pad - 14) * count / top
        x = pad + index * bar
        y = height - pad - h
        label = f"{index * 10}–{index * 10 + 10}%"
        parts.append(f'<rect x="{x + 3:.1f}" y="{y:.1f}" width="{bar - 6:.1f}" height="{h:.1f}" fill="#b3261e">'
                     f'<title>{escape(label)}: {count}</title></rect>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12">{count}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - pad + 16}" text-anchor="middle" font-size="11">{index * 10}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
