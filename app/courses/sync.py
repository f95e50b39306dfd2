"""`courses sync`: bring the database in line with courses/ (rules in courses/README.md, "Sync and the web").

- A course whose files did not change since the last sync is left alone, even if a trainer has since
  published a newer version on the web: the web version stays current.
- A course whose files changed gets a new version from the files (when the content really differs),
  which becomes current, also over a web-published version; the report says so.
- A course that came from files and whose folder is gone is retired (and restored if the folder returns);
  web-made courses are never touched. A course retired on the web stays retired until its files change.
- Published versions are never modified; web drafts are left as they are.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit
from app.courses import publishing
from app.courses.loader import LoadedCourse, load_tree
from app.courses.models import Course, CourseImage, CourseOrigin
from app.extensions import db


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.retired)


def sync(root: Path, actor=None) -> SyncReport:
    """Load `root` (raises loader.ContentInvalid, having changed nothing, on any broken file)."""
    courses = {course.slug: course for course in db.session.scalars(select(Course))}
    web_lessons = {
        (course, lesson) for course, lesson in publishing.published_lessons()
        if courses[course].origin is CourseOrigin.web
    }
    loaded = load_tree(root, web_lessons, _images_by_course())
    lessons = web_lessons | {(c.content.slug, lesson.slug) for c in loaded for lesson in c.content.lessons}
    report = SyncReport()
    for item in loaded:
        _sync_course(courses.get(item.content.slug), item, lessons, report)
    on_disk = {item.content.slug for item in loaded}
    for course in courses.values():
        if course.origin is CourseOrigin.files and course.slug not in on_disk and course.retired_at is None:
            course.retire()
            course.source_hash = None  # so the folder coming back restores it
            report.retired.append(course.slug)
    if report.touched:
        audit.record("courses.sync", actor=actor, added=report.added, changed=report.changed, retired=report.retired)
    db.session.flush()
    return report


def _sync_course(course: Course | None, item: LoadedCourse, lessons: set, report: SyncReport) -> None:
    slug = item.content.slug
    if course is None:
        course = Course(slug=slug, origin=CourseOrigin.files)
        db.session.add(course)
        publishing.build_version(course, item.content, CourseOrigin.files, lessons)
        course.source_hash = item.source_hash
        report.added.append(slug)
        return
    if course.source_hash == item.source_hash:
        report.unchanged.append(slug)
        return
    current = course.current_version
    if current is not None and current.content_hash == item.content.content_hash():
        if course.retired_at is not None:  # its folder came back as it was
            course.retired_at = None
            report.changed.append(slug)
        else:
            report.unchanged.append(slug)  # only the files' formatting changed
    else:
        if course.edited_on_web:
            report.notes.append(_("%(course)s: the files changed, so they replace the version published on the web.", course=slug))
        publishing.build_version(course, item.content, CourseOrigin.files, lessons)
        report.changed.append(slug)
    if course.draft is not None:
        report.notes.append(_("%(course)s: a web draft exists; it was started from an older version.", course=slug))
    course.source_hash = item.source_hash


def _images_by_course() -> dict[str, set[str]]:
    rows = db.session.execute(select(Course.slug, CourseImage.name).join(CourseImage, CourseImage.course_id == Course.id))
    images: dict[str, set[str]] = {}
    for course, name in rows:
        images.setdefault(course, set()).add(name)
    return images
