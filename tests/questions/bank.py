"""A small question bank and exams for tests: one question of every type, imported through the
real importer (so the tests exercise the same path as the CLI)."""
from __future__ import annotations

from app.questions import services

QUESTIONS = """
questions:
  - id: t-single
    type: single
    lesson: team-building/supervision-keys
    difficulty: 1
    tags: [督导关键点]
    stem: 高柜柜员的督导关键点是哪个字？
    options:
      - {text: 简钥甲, correct: true}
      - {text: 探乙}
      - {text: 快丙}
      - {text: 精丁}
    explanation: 解释单选钥。
  - id: t-multiple
    type: multiple
    lesson: team-building/cohesion
    difficulty: 2
    points: 2
    tags: [凝聚力]
    stem: 哪些做法正确？
    options:
      - {text: 多选钥一, correct: true}
      - {text: 多选钥二, correct: true}
      - {text: 干扰项一}
      - {text: 干扰项二}
    explanation: 解释多选钥。
  - id: t-truefalse
    type: truefalse
    lesson: team-building/cohesion
    difficulty: 1
    stem: 晨会应每天召开。
    answer: true
    explanation: 解释判断钥。
  - id: t-fill
    type: fill
    lesson: team-building/cohesion
    difficulty: 2
    stem: 每天至少联系 ____ 位客户。
    answers: [二十, "20"]
    explanation: 解释填空钥。
  - id: t-practical
    type: practical
    lesson: transfer-stage-2/sales-scripts
    difficulty: 2
    stage: 2
    kind: script
    stem: 话术演练：电话邀约。
    rubric:
      - {criterion: 开场, points: 3, good: 评分要点开场秘钥}
      - {criterion: 约访, points: 2, good: 评分要点约访秘钥}
    explanation: 解释实操钥。
"""

EXAM_AUTO = """
id: t-auto
title: 自动评分卷
pass_percent: 60
time_limit_minutes: 30
shuffle_questions: true
shuffle_options: true
review: after_submit
sections:
  - title: 第一部分
    questions: [t-single, t-multiple]
  - title: 第二部分
    questions: [t-truefalse, t-fill]
"""

EXAM_ALL = """
id: t-all
title: 全题型卷
pass_mark: 6
time_limit_minutes: 20
max_attempts: 2
retake_wait_hours: 1
review: after_submit
sections:
  - title: 客观题
    questions: [t-single, t-multiple, t-truefalse, t-fill]
  - title: 实操题
    questions: [t-practical]
"""

#: Strings that give the key away; none may appear in a trainee-facing response before review.
KEY_STRINGS = ["解释单选钥", "解释多选钥", "解释判断钥", "解释填空钥", "解释实操钥", "评分要点开场秘钥", "评分要点约访秘钥",
               "二十", '"correct"', "correct\":"]


def load(exams: tuple[str, ...] = (EXAM_AUTO, EXAM_ALL)):
    sources = [services.SourceFile("bank.yaml", QUESTIONS)]
    sources += [services.SourceFile(f"exams/e{i}.yaml", text, exam=True) for i, text in enumerate(exams)]
    result = services.import_sources(sources)
    from app.extensions import db

    db.session.commit()
    return result
