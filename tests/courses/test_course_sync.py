"""courses sync: idempotent, versioned by content, all-or-nothing with file:line errors."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.config import ROOT
from app.courses.loader import ContentInvalid
from app.courses.models import Course, CourseVersion, Lesson
from app.courses.sync import sync
from app.extensions import db
from tests.courses.conftest import TREE, write_course


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_sync_loads_and_is_idempotent(db, tree):
    first = sync(tree)
    db.session.commit()
    assert sorted(first.added) == ["alpha", "beta"]
    versions, lessons = _count(CourseVersion), _count(Lesson)
    second = sync(tree)
    db.session.commit()
    assert (second.added, second.changed, second.retired) == ([], [], [])
    assert sorted(second.unchanged) == ["alpha", "beta"]
    assert (_count(CourseVersion), _count(Lesson)) == (versions, lessons) == (2, 3)


def test_changed_files_make_a_new_version_and_the_old_one_stays(db, tree):
    sync(tree)
    db.session.commit()
    alpha = db.session.scalars(select(Course).where(Course.slug == "alpha")).one()
    old = alpha.current_version
    old_html = old.lesson("one").body_html
    path = tree / "alpha" / "01-one.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一句。\n", encoding="utf-8")
    report = sync(tree)
    db.session.commit()
    assert report.changed == ["alpha"] and report.unchanged == ["beta"]
    assert alpha.current_version.number == 2
    db.session.refresh(old)
    assert old.lesson("one").body_html == old_html and "新增一句" not in old_html
    assert "新增一句" in alpha.current_version.lesson("one").body_html


def test_formatting_only_change_makes_no_version(db, tree):
    sync(tree)
    path = tree / "beta" / "course.md"
    path.write_text(path.read_text(encoding="utf-8").replace("minutes: 30", "minutes:   30"), encoding="utf-8")
    report = sync(tree)
    assert report.unchanged == ["alpha", "beta"] and _count(CourseVersion) == 2


def test_removed_course_is_retired_and_restored_when_it_returns(db, tree):
    sync(tree)
    import shutil

    shutil.rmtree(tree / "beta")
    (tree / "alpha" / "02-two.md").write_text("---\nid: two\ntitle: 流程\ntitle_en: Process\nminutes: 5\n---\n无链接。\n", encoding="utf-8")
    report = sync(tree)
    assert report.retired == ["beta"]
    beta = db.session.scalars(select(Course).where(Course.slug == "beta")).one()
    assert beta.retired_at is not None and not beta.is_offered
    write_course(tree, "beta", TREE["beta"])
    report = sync(tree)
    assert report.changed == ["beta"] and beta.retired_at is None and beta.current_version.number == 1


def _broken(tree: Path, relative: str, text: str) -> list[str]:
    (tree / relative).parent.mkdir(parents=True, exist_ok=True)
    (tree / relative).write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as caught:
        sync(tree)
    db.session.rollback()
    assert _count(Course) == 0, "nothing may be loaded from a run with errors"
    return [str(error) for error in caught.value.errors]


LESSON_OK = "---\nid: three\ntitle: 三\ntitle_en: Three\nminutes: 5\n---\n正文\n"


@pytest.mark.parametrize("relative, text, expected", [
    ("alpha/03-three.md", "no front matter\n", "courses/alpha/03-three.md:1: "),
    ("alpha/03-three.md", "---\nid: three\ntitle: 三\n", "courses/alpha/03-three.md:1: "),
    ("alpha/03-three.md", "---\nid: three\ntitle: [unclosed\ntitle_en: x\nminutes: 5\n---\n", "courses/alpha/03-three.md:4: "),
    ("alpha/03-three.md", LESSON_OK.replace("minutes: 5\n", "minutes: 5\ncolour: red\n"), "courses/alpha/03-three.md:6: "),
    ("alpha/03-three.md", LESSON_OK.replace("minutes: 5\n", ""), "courses/alpha/03-three.md:1: "),
    ("alpha/03-three.md", LESSON_OK.replace("id: three", "id: four"), "courses/alpha/03-three.md:2: "),
    ("alpha/03-three.md", LESSON_OK.replace("id: three", "id: one"), "courses/alpha/03-three.md:2: "),
    ("alpha/03-three.md", LESSON_OK.replace("minutes: 5", "minutes: many"), "courses/alpha/03-three.md:5: "),
    ("alpha/03-three.md", LESSON_OK + "\n见[缺失](lesson:nowhere)\n", "courses/alpha/03-three.md:9: "),
    ("alpha/03-three.md", LESSON_OK + "\n![图](image:chart)\n", "courses/alpha/03-three.md:9: "),
    ("alpha/three.md", LESSON_OK, "courses/alpha/three.md:1: "),
    ("alpha/02-three.md", LESSON_OK, "courses/alpha/02-t"),
    ("gamma/01-x.md", LESSON_OK.replace("three", "x"), "courses/gamma/course.md:1: "),
])
def test_each_broken_file_is_reported_with_file_and_line(db, tree, relative, text, expected):
    errors = _broken(tree, relative, text)
    assert any(error.startswith(expected) for error in errors), errors


def test_course_header_errors_name_the_field_line(db, tree):
    path = tree / "beta" / "course.md"
    text = path.read_text(encoding="utf-8")
    errors = _broken(tree, "beta/course.md", text.replace("part: daily", "part: nowhere").replace("id: beta", "id: other"))
    assert "courses/beta/course.md:2: " in " ".join(errors)  # id must equal the folder
    assert any(e.startswith("courses/beta/course.md:5: ") for e in errors)  # part
    assert _broken(tree, "beta/course.md", text.replace("positions: []", "positions: [astronaut]"))[0].startswith("courses/beta/course.md:7: ")


def test_the_real_course_files_load(db):
    report = sync(ROOT / "courses")
    folders = [p for p in (ROOT / "courses").iterdir() if (p / "course.md").exists()]
    assert len(report.added) == len(folders) >= 13
    assert _count(Lesson) == sum(len(list(f.glob("[0-9][0-9]-*.md"))) for f in folders)
    assert sync(ROOT / "courses").touched is False
