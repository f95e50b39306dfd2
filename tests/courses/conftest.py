"""A small courses/ tree in a temporary folder, and helpers to load it."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.extensions import db as _db

COURSE = """---
id: {id}
title: {title}
title_en: {title_en}
part: {part}
order: {order}
positions: {positions}
minutes: 30
objectives:
  - 说出三换技巧
summary_en: >
  A test course.
---
导言。
"""

LESSON = """---
id: {id}
title: {title}
title_en: {title_en}
minutes: 10
---
{body}
"""

TREE = {
    "alpha": dict(title="投诉处理", title_en="Complaint handling", part="risk", order=20, positions="[teller]", lessons=[
        ("01", "one", "处理原则", "Principles", "## 三换技巧\n\n换人、换地、换时。见[第二课](lesson:two)。\n\n!!! key\n    要记住。"),
        ("02", "two", "处理流程", "Process", "| 步骤 | 做法 |\n|---|---|\n| 1 | 礼貌 |\n\n见[另一门课](lesson:beta/first#intro)。"),
    ]),
    "beta": dict(title="团队建设", title_en="Team building", part="daily", order=10, positions="[]", lessons=[
        ("01", "first", "凝聚力", "Cohesion", "## intro\n\nTeam cohesion matters."),
    ]),
}


def write_course(root: Path, slug: str, spec: dict) -> None:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.md").write_text(COURSE.format(id=slug, **{k: v for k, v in spec.items() if k != "lessons"}), encoding="utf-8")
    for number, lesson, title, title_en, body in spec["lessons"]:
        (folder / f"{number}-{lesson}.md").write_text(LESSON.format(id=lesson, title=title, title_en=title_en, body=body), encoding="utf-8")


@pytest.fixture
def tree(tmp_path) -> Path:
    root = tmp_path / "courses"
    for slug, spec in TREE.items():
        write_course(root, slug, spec)
    return root


@pytest.fixture
def synced(db, tree):
    """The small tree loaded; returns {slug: Course}."""
    from app.courses.sync import sync

    sync(tree)
    _db.session.commit()
    from sqlalchemy import select

    from app.courses.models import Course

    return {course.slug: course for course in _db.session.scalars(select(Course))}
