"""Courses, their immutable published versions, web drafts, images, and each learner's progress.

A course is a stable id (slug). What learners read is always a `CourseVersion`: published once,
never changed. Trainers edit a `CourseDraft` (one per course) and publish it as a new version;
`flask courses sync` publishes versions from the files in courses/.
"""
from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core import clock
from app.core.errors import DomainError
from app.core.types import UTCDateTime
from app.extensions import db

PARTS = {
    "intro": _l("Programme introduction"),
    "daily": _l("Daily management"),
    "indicators": _l("Indicator promotion"),
    "risk": _l("Risk control"),
    "transfer": _l("Transfer to account manager"),
}
ADMONITION_KINDS = ("key", "note", "warning", "example")


class CourseOrigin(enum.Enum):
    files = "files"
    web = "web"


class Course(db.Model):
    """A course, identified by its slug; its content lives in versions."""

    __tablename__ = "courses"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: stable id, the folder name in courses/ ("complaint-handling")
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    #: where the course was first created: synced from files or created on the web
    origin: Mapped[CourseOrigin] = mapped_column(Enum(CourseOrigin, native_enum=False, length=10))
    #: the version learners see; None until first published
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("course_versions.id", use_alter=True, name="fk_courses_current_version", ondelete="SET NULL"), index=True
    )
    #: SHA-256 of course.md and all lesson files at the last sync that took them; sync skips unchanged files
    source_hash: Mapped[str | None] = mapped_column(String(64))
    #: the current version was published on the web after the last sync (sync keeps it unless the files change)
    edited_on_web: Mapped[bool] = mapped_column(default=False)
    #: when the course was retired; None while offered
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: when the course was created
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    current_version: Mapped[CourseVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)
    versions: Mapped[list[CourseVersion]] = relationship(
        back_populates="course", foreign_keys="CourseVersion.course_id", order_by="CourseVersion.number"
    )
    draft: Mapped[CourseDraft | None] = relationship(back_populates="course", uselist=False, cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"

    @property
    def is_offered(self) -> bool:
        return self.retired_at is None and self.current_version_id is not None

    def publish(self, version: CourseVersion, *, from_web: bool) -> None:
        """Make `version` the one learners see."""
        if version.course_id not in (None, self.id):
            raise ValueError("version of another course")
        self.current_version = version
        self.edited_on_web = from_web
        self.retired_at = None

    def retire(self) -> None:
        if self.retired_at is not None:
            raise DomainError(str(_l("This course is already retired.")))
        self.retired_at = clock.now()

    def next_version_number(self) -> int:
        return max((v.number for v in self.versions), default=0) + 1


class CourseVersion(db.Model):
    """One published, immutable state of a course: its header and its lessons."""

    __tablename__ = "course_versions"
    __table_args__ = (UniqueConstraint("course_id", "number", name="uq_course_versions_course_number"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the course
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: 1, 2, 3… within the course
    number: Mapped[int] = mapped_column(Integer)
    #: SHA-256 of the canonical content (header and lessons), to tell whether anything changed
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Simplified-Chinese title
    title: Mapped[str] = mapped_column(String(200))
    #: English title
    title_en: Mapped[str] = mapped_column(String(200))
    #: part code (PARTS)
    part: Mapped[str] = mapped_column(String(20), index=True)
    #: sort order within the part
    sort_order: Mapped[int] = mapped_column(Integer)
    #: position codes the course is meant for; empty means everyone
    positions: Mapped[list] = mapped_column(JSON, default=list)
    #: estimated minutes for the whole course
    minutes: Mapped[int] = mapped_column(Integer)
    #: learning objectives (Chinese), in order
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    #: one-paragraph English summary
    summary_en: Mapped[str] = mapped_column(Text, default="")
    #: the introduction as written (Markdown)
    intro_md: Mapped[str] = mapped_column(Text, default="")
    #: the introduction rendered and sanitised
    intro_html: Mapped[str] = mapped_column(Text, default="")
    #: files (sync) or web (a trainer published a draft)
    source: Mapped[CourseOrigin] = mapped_column(Enum(CourseOrigin, native_enum=False, length=10))
    #: when it was published
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: who published it; None for sync
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)

    course: Mapped[Course] = relationship(back_populates="versions", foreign_keys=[course_id])
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="version", order_by="Lesson.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<CourseVersion {self.course_id} v{self.number}>"

    def display_title(self, locale: str | None) -> str:
        return self.title_en if locale and locale.startswith("en") and self.title_en else self.title

    def lesson(self, slug: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def meant_for(self, position: str) -> bool:
        return not self.positions or position in self.positions


class Lesson(db.Model):
    """One lesson of one course version, with its HTML rendered once at publication."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("version_id", "slug", name="uq_lessons_version_slug"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the course version this lesson belongs to
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), index=True)
    #: stable lesson id within the course ("key-points")
    slug: Mapped[str] = mapped_column(String(60))
    #: 1, 2, 3… the reading order
    position: Mapped[int] = mapped_column(Integer)
    #: Simplified-Chinese title
    title: Mapped[str] = mapped_column(String(200))
    #: English title
    title_en: Mapped[str] = mapped_column(String(200))
    #: estimated reading minutes
    minutes: Mapped[int] = mapped_column(Integer)
    #: the lesson as written (Markdown); deferred: pages serve body_html
    body_md: Mapped[str] = mapped_column(Text, deferred=True)
    #: rendered, sanitised HTML: what the lesson page serves
    body_html: Mapped[str] = mapped_column(Text)
    #: table of contents: [{"level": 2, "id": "...", "name": "..."}]
    toc: Mapped[list] = mapped_column(JSON, default=list)
    #: titles and plain text, for substring search (Chinese has no word breaks); deferred like body_md
    search_text: Mapped[str] = mapped_column(Text, default="", deferred=True)
    #: SHA-256 of title, minutes and body: equal hashes mean a completion carries over
    content_hash: Mapped[str] = mapped_column(String(64), index=True)

    version: Mapped[CourseVersion] = relationship(back_populates="lessons")

    def __repr__(self) -> str:
        return f"<Lesson {self.slug} of version {self.version_id}>"

    def display_title(self, locale: str | None) -> str:
        return self.title_en if locale and locale.startswith("en") and self.title_en else self.title


class CourseDraft(db.Model):
    """The web-edited next version of a course (one per course), until it is published or discarded."""

    __tablename__ = "course_drafts"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the course this draft will become a version of
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), unique=True)
    #: the version the draft started from; None for a new course
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("course_versions.id"), index=True)
    #: Simplified-Chinese title
    title: Mapped[str] = mapped_column(String(200), default="")
    #: English title
    title_en: Mapped[str] = mapped_column(String(200), default="")
    #: part code
    part: Mapped[str] = mapped_column(String(20), default="daily")
    #: sort order within the part
    sort_order: Mapped[int] = mapped_column(Integer, default=10)
    #: position codes; empty means everyone
    positions: Mapped[list] = mapped_column(JSON, default=list)
    #: estimated minutes
    minutes: Mapped[int] = mapped_column(Integer, default=30)
    #: learning objectives
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    #: English summary
    summary_en: Mapped[str] = mapped_column(Text, default="")
    #: introduction (Markdown)
    intro_md: Mapped[str] = mapped_column(Text, default="")
    #: who last changed it
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    #: when it was last changed
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)

    course: Mapped[Course] = relationship(back_populates="draft")
    based_on: Mapped[CourseVersion | None] = relationship()
    lessons: Mapped[list[DraftLesson]] = relationship(
        back_populates="draft", order_by="DraftLesson.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<CourseDraft of {self.course_id}>"

    def lesson(self, slug: str) -> DraftLesson | None:
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def renumber(self) -> None:
        for index, lesson in enumerate(sorted(self.lessons, key=lambda l: l.position), start=1):
            lesson.position = index

    def move(self, slug: str, step: int) -> None:
        """Move a lesson up (-1) or down (+1) in the reading order."""
        ordered = sorted(self.lessons, key=lambda l: l.position)
        index = next(i for i, lesson in enumerate(ordered) if lesson.slug == slug)
        target = index + step
        if 0 <= target < len(ordered):
            ordered[index], ordered[target] = ordered[target], ordered[index]
        for position, lesson in enumerate(ordered, start=1):
            lesson.position = position


class DraftLesson(db.Model):
    """A lesson of a draft."""

    __tablename__ = "draft_lessons"
    __table_args__ = (UniqueConstraint("draft_id", "slug", name="uq_draft_lessons_draft_slug"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the draft
    draft_id: Mapped[int] = mapped_column(ForeignKey("course_drafts.id", ondelete="CASCADE"), index=True)
    #: lesson id, stable across versions
    slug: Mapped[str] = mapped_column(String(60))
    #: reading order
    position: Mapped[int] = mapped_column(Integer)
    #: Simplified-Chinese title
    title: Mapped[str] = mapped_column(String(200))
    #: English title
    title_en: Mapped[str] = mapped_column(String(200))
    #: estimated reading minutes
    minutes: Mapped[int] = mapped_column(Integer)
    #: the lesson (Markdown)
    body_md: Mapped[str] = mapped_column(Text, default="")

    draft: Mapped[CourseDraft] = relationship(back_populates="lessons")

    def __repr__(self) -> str:
        return f"<DraftLesson {self.slug}>"


class CourseImage(db.Model):
    """An image attached to a course on the web, referenced from Markdown as `image:<name>`.
    Never replaced once uploaded, so a published version always shows the image it was published with."""

    __tablename__ = "course_images"
    __table_args__ = (UniqueConstraint("course_id", "name", name="uq_course_images_course_name"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the course it belongs to
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: the name used in Markdown (image:<name>)
    name: Mapped[str] = mapped_column(String(60))
    #: image/png, image/jpeg, image/gif or image/webp, from the file's magic bytes
    content_type: Mapped[str] = mapped_column(String(20))
    #: size in bytes
    size: Mapped[int] = mapped_column(Integer)
    #: SHA-256 of the bytes; also the stored file's name under instance/course_images/
    sha256: Mapped[str] = mapped_column(String(64))
    #: who uploaded it
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    #: when
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    def __repr__(self) -> str:
        return f"<CourseImage {self.name} of {self.course_id}>"


class LessonCompletion(db.Model):
    """A person completed a lesson. Matched by lesson id across versions: it counts for a newer
    version as long as that lesson's content hash is unchanged."""

    __tablename__ = "lesson_completions"
    __table_args__ = (
        UniqueConstraint("person_id", "course_id", "lesson_slug", name="uq_lesson_completions_person_course_lesson"),
    )

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the learner
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: the course
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: the lesson id within the course
    lesson_slug: Mapped[str] = mapped_column(String(60))
    #: the lesson's content hash when it was completed
    content_hash: Mapped[str] = mapped_column(String(64))
    #: the course version that was read, to show "what changed since"
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"), index=True)
    #: completed at the end of the page (automatic) or by the button
    automatic: Mapped[bool] = mapped_column(default=False)
    #: when
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    version: Mapped[CourseVersion] = relationship()

    def __repr__(self) -> str:
        return f"<LessonCompletion {self.person_id} {self.course_id}/{self.lesson_slug}>"


class CourseState(db.Model):
    """Where a person is in a course: first opened, last lesson opened (for "continue where you left off")."""

    __tablename__ = "course_states"
    __table_args__ = (UniqueConstraint("person_id", "course_id", name="uq_course_states_person_course"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the learner
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: the course
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: the lesson last opened
    last_lesson_slug: Mapped[str] = mapped_column(String(60))
    #: when the course was first opened
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: when a lesson of it was last opened
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, index=True)
    #: when the person first had every lesson complete; None until then
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<CourseState {self.person_id} {self.course_id} at {self.last_lesson_slug}>"


class LessonVisit(db.Model):
    """Time spent on one view of a lesson page, from the page's heartbeats (capped per view)."""

    __tablename__ = "lesson_visits"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: random id the page made for this view
    token: Mapped[str] = mapped_column(String(40), unique=True)
    #: the learner
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: the lesson row (a version's lesson) that was on screen
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    #: the course, for per-course sums
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: first heartbeat
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: last heartbeat counted
    last_beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: seconds counted so far (never more than the cap for the lesson)
    seconds: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self) -> str:
        return f"<LessonVisit {self.token} {self.seconds}s>"


class CourseRating(db.Model):
    """A learner's 1–5 rating of one course version (one per person and version; may be edited)."""

    __tablename__ = "course_ratings"
    __table_args__ = (UniqueConstraint("person_id", "version_id", name="uq_course_ratings_person_version"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: who rated
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: the course version rated
    version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id", ondelete="CASCADE"), index=True)
    #: the course (for per-course sums across versions)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    #: 1 to 5 stars
    stars: Mapped[int] = mapped_column(Integer)
    #: optional comment
    comment: Mapped[str] = mapped_column(Text, default="")
    #: first rated
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: last changed
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)

    def __repr__(self) -> str:
        return f"<CourseRating {self.person_id} v{self.version_id} {self.stars}>"
