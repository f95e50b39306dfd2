"""Web authoring: drafts, publishing a draft as a new immutable version, retiring, images, version diffs."""
from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.core import audit, markdown
from app.core.errors import DomainError
from app.core.files import write_in_transaction
from app.courses import publishing
from app.courses.content import SLUG, CourseContent, LessonContent, references, split_target
from app.courses.models import (Course, CourseDraft, CourseImage, CourseOrigin, CourseVersion, DraftLesson)
from app.extensions import db

MAX_IMAGE_BYTES = 2 * 1024 * 1024
#: Magic bytes → content type. SVG and anything else is refused: it could carry script.
IMAGE_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def course_by_slug(slug: str) -> Course:
    course = db.session.scalars(select(Course).where(Course.slug == slug)).one_or_none()
    if course is None:
        from werkzeug.exceptions import NotFound

        raise NotFound()
    return course


# --- drafts -------------------------------------------------------------------------------------

def create_course(slug: str, title: str, actor) -> Course:
    """A new web course with an empty draft (learners see nothing until it is published)."""
    if not SLUG.match(slug or ""):
        raise DomainError(_("The course id must be 2–60 lowercase letters, digits or hyphens."), 422)
    if db.session.scalars(select(Course.id).where(Course.slug == slug)).first() is not None:
        raise DomainError(_("A course with the id “%(id)s” already exists.", id=slug), 422)
    course = Course(slug=slug, origin=CourseOrigin.web)
    course.draft = CourseDraft(title=title, title_en=title, updated_by_id=actor.id)
    db.session.add(course)
    audit.record("course.create", actor=actor, slug=slug)
    db.session.flush()
    return course


def start_draft(course: Course, actor) -> CourseDraft:
    """The course's draft, started from the current version when there is none."""
    if course.draft is not None:
        return course.draft
    version = course.current_version
    draft = CourseDraft(
        based_on=version, title=version.title, title_en=version.title_en, part=version.part,
        sort_order=version.sort_order, positions=list(version.positions), minutes=version.minutes,
        objectives=list(version.objectives), summary_en=version.summary_en, intro_md=version.intro_md,
        updated_by_id=actor.id,
        lessons=[DraftLesson(slug=l.slug, position=l.position, title=l.title, title_en=l.title_en,
                             minutes=l.minutes, body_md=l.body_md) for l in version.lessons],
    )
    course.draft = draft
    db.session.flush()
    return draft


HEADER_FIELDS = ("title", "title_en", "part", "sort_order", "positions", "minutes", "objectives", "summary_en", "intro_md")


def save_header(draft: CourseDraft, values: dict, actor) -> None:
    for name in HEADER_FIELDS:
        if name in values:
            setattr(draft, name, values[name])
    draft.updated_by_id = actor.id
    db.session.flush()


def add_lesson(draft: CourseDraft, values: dict, actor) -> DraftLesson:
    slug = values["slug"]
    if not SLUG.match(slug or ""):
        raise DomainError(_("The lesson id must be 2–60 lowercase letters, digits or hyphens."), 422)
    if draft.lesson(slug) is not None:
        raise DomainError(_("This course already has a lesson with the id “%(id)s”.", id=slug), 422)
    lesson = DraftLesson(position=len(draft.lessons) + 1, **values)
    draft.lessons.append(lesson)
    draft.updated_by_id = actor.id
    db.session.flush()
    return lesson


def save_lesson(draft: CourseDraft, lesson: DraftLesson, values: dict, actor) -> None:
    for name in ("title", "title_en", "minutes", "body_md"):
        setattr(lesson, name, values[name])
    draft.updated_by_id = actor.id
    db.session.flush()


def delete_lesson(draft: CourseDraft, lesson: DraftLesson) -> None:
    draft.lessons.remove(lesson)
    draft.renumber()
    db.session.flush()


def move_lesson(draft: CourseDraft, lesson: DraftLesson, step: int) -> None:
    draft.move(lesson.slug, -1 if step < 0 else 1)
    db.session.flush()


def discard_draft(course: Course, actor) -> None:
    if course.draft is None:
        raise DomainError(_("There is no draft to discard."), 409)
    if course.current_version_id is None:
        raise DomainError(_("This course was never published: its draft is all there is. Retiring is not possible either."), 409)
    course.draft = None
    audit.record("course.discard_draft", course, actor=actor)
    db.session.flush()


def draft_content(course: Course, draft: CourseDraft) -> CourseContent:
    return CourseContent(
        slug=course.slug, title=draft.title.strip(), title_en=draft.title_en.strip(), part=draft.part,
        order=draft.sort_order, positions=list(draft.positions or []), minutes=draft.minutes,
        objectives=[o for o in (draft.objectives or []) if o.strip()], summary_en=(draft.summary_en or "").strip(),
        intro=(draft.intro_md or "").strip("\n"),
        lessons=[LessonContent(slug=l.slug, title=l.title.strip(), title_en=l.title_en.strip(), minutes=l.minutes,
                               body=(l.body_md or "").strip("\n"), origin=l.title) for l in draft.lessons],
        origin=_("Introduction"),
    )


def problems(course: Course, draft: CourseDraft) -> list[str]:
    """Everything that stops the draft from being published, each naming where."""
    content = draft_content(course, draft)
    found = []
    if not content.title or not content.title_en:
        found.append(_("Course: the Chinese and English titles are required."))
    if not content.objectives:
        found.append(_("Course: give at least one learning objective."))
    if not content.lessons:
        found.append(_("Course: add at least one lesson."))
    lessons = publishing.published_lessons() | {(course.slug, l.slug) for l in content.lessons}
    images = publishing.image_names(course)
    for where, text in [(content.origin, content.intro)] + [(l.origin, l.body) for l in content.lessons]:
        for line, kind, target in references(text):
            if kind == "lesson" and split_target(target.partition("#")[0], course.slug) not in lessons:
                found.append(_("%(where)s, line %(line)d: link to lesson:%(target)s, but there is no such lesson.",
                               where=where, line=line, target=target))
            elif kind == "image" and target not in images:
                found.append(_("%(where)s, line %(line)d: image:%(name)s is not attached to this course.",
                               where=where, line=line, name=target))
    return found


def publish(course: Course, actor) -> CourseVersion:
    """The draft becomes a new immutable version that learners see; the draft is gone afterwards."""
    draft = course.draft
    if draft is None:
        raise DomainError(_("There is no draft to publish."), 409)
    found = problems(course, draft)
    if found:
        raise DomainError(_("The draft cannot be published yet: %(problems)s", problems=" ".join(found)), 422)
    content = draft_content(course, draft)
    if course.current_version is not None and course.current_version.content_hash == content.content_hash() \
            and course.retired_at is None:
        raise DomainError(_("The draft is the same as the published version: nothing to publish."), 409)
    lessons = publishing.published_lessons() | {(course.slug, l.slug) for l in content.lessons}
    version = publishing.build_version(course, content, CourseOrigin.web, lessons, actor=actor)
    course.draft = None
    audit.record("course.publish", course, actor=actor, version=version.number)
    db.session.flush()
    return version


def retire(course: Course, actor) -> None:
    if course.current_version_id is None:
        raise DomainError(_("This course was never published, so it cannot be retired."), 409)
    course.retire()
    audit.record("course.retire", course, actor=actor)
    db.session.flush()


def preview(course_slug: str, text: str) -> markdown.Rendered:
    """Render an unsaved draft text as learners would see it (broken links and images marked)."""
    course = db.session.scalars(select(Course).where(Course.slug == course_slug)).one_or_none()
    lessons = publishing.published_lessons()
    if course is not None and course.draft is not None:
        lessons |= {(course.slug, l.slug) for l in course.draft.lessons}
    return publishing.renderer(course_slug, lessons, publishing.image_names(course))(text[:200_000])


# --- images -------------------------------------------------------------------------------------

def image_type(data: bytes) -> str | None:
    """The content type from the file's first bytes; None for anything but PNG, JPEG, GIF, WebP."""
    for magic, content_type in IMAGE_TYPES:
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def images_dir() -> Path:
    return Path(current_app.config["INSTANCE_PATH"]) / "course_images"


def attach_image(course: Course, name: str, data: bytes, actor) -> CourseImage:
    """Store an image under instance/course_images/ and register it for `image:<name>`."""
    if not SLUG.match(name or ""):
        raise DomainError(_("The image name must be 2–60 lowercase letters, digits or hyphens."), 422)
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(_("The image is %(size)s KB; the limit is %(limit)s KB.", size=len(data) // 1024,
                            limit=MAX_IMAGE_BYTES // 1024), 413)
    content_type = image_type(data)
    if content_type is None:
        raise DomainError(_("The file is not a PNG, JPEG, GIF or WebP image."), 422)
    if name in publishing.image_names(course):
        raise DomainError(_("This course already has an image named “%(name)s”; images are never replaced, "
                            "so published versions keep theirs. Choose another name.", name=name), 422)
    digest = hashlib.sha256(data).hexdigest()
    folder = images_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / digest).exists():  # files are named by content: an existing one may be another row's
        write_in_transaction(folder / digest, data)
    image = CourseImage(course_id=course.id, name=name, content_type=content_type, size=len(data), sha256=digest,
                        uploaded_by_id=actor.id)
    db.session.add(image)
    audit.record("course.image", course, actor=actor, name=name, size=len(data))
    db.session.flush()
    return image


def image_file(course: Course, name: str) -> tuple[Path, CourseImage] | None:
    image = db.session.scalars(select(CourseImage).where(CourseImage.course_id == course.id, CourseImage.name == name)).one_or_none()
    if image is None:
        return None
    path = images_dir() / image.sha256
    return (path, image) if path.exists() else None


def images(course: Course) -> list[CourseImage]:
    return list(db.session.scalars(select(CourseImage).where(CourseImage.course_id == course.id).order_by(CourseImage.name)))


# --- history ------------------------------------------------------------------------------------

@dataclass
class LessonDiff:
    slug: str
    title: str
    status: str  # added, removed, changed, same
    lines: list[tuple[str, str]] = field(default_factory=list)  # (" ", "+", "-", "@"), text


def version_by_number(course: Course, number: int) -> CourseVersion:
    version = next((v for v in course.versions if v.number == number), None)
    if version is None:
        from werkzeug.exceptions import NotFound

        raise NotFound()
    return version


def diff(old: CourseVersion, new: CourseVersion) -> list[LessonDiff]:
    """Per lesson (matched by lesson id), a unified diff of the Markdown, header fields included."""
    result = [_diff_one("_course", _("Course header and introduction"), _header_text(old), _header_text(new))]
    old_lessons = {l.slug: l for l in old.lessons}
    for lesson in new.lessons:
        before = old_lessons.pop(lesson.slug, None)
        result.append(_diff_one(lesson.slug, lesson.title, _lesson_text(before) if before else None, _lesson_text(lesson)))
    for lesson in old_lessons.values():
        result.append(_diff_one(lesson.slug, lesson.title, _lesson_text(lesson), None))
    return result


def _diff_one(slug: str, title: str, before: str | None, after: str | None) -> LessonDiff:
    status = "added" if before is None else "removed" if after is None else "same" if before == after else "changed"
    item = LessonDiff(slug, title, status)
    if status != "same":
        lines = difflib.unified_diff((before or "").splitlines(), (after or "").splitlines(), lineterm="", n=2)
        item.lines = _without_blank_changes([(line[:1], line[1:]) for line in list(lines)[2:]])
    return item


def _without_blank_changes(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Leave out added or removed blank lines (an empty "added: +" row says nothing), and then any
    hunk with no change left in it."""
    hunks: list[list[tuple[str, str]]] = []
    for kind, text in lines:
        if kind == "@" or not hunks:
            hunks.append([])
        if kind in ("+", "-") and not text.strip():
            continue
        hunks[-1].append((kind, text))
    return [line for hunk in hunks if any(kind in ("+", "-") for kind, _text in hunk) for line in hunk]


def _header_text(version: CourseVersion) -> str:
    header = [f"title: {version.title}", f"title_en: {version.title_en}", f"part: {version.part}",
              f"order: {version.sort_order}", f"positions: {', '.join(version.positions)}", f"minutes: {version.minutes}",
              *[f"objective: {o}" for o in version.objectives], f"summary_en: {version.summary_en}", ""]
    return "\n".join(header) + version.intro_md


def _lesson_text(lesson) -> str:
    return f"title: {lesson.title}\ntitle_en: {lesson.title_en}\nminutes: {lesson.minutes}\n\n{lesson.body_md}"
