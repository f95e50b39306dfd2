"""Questions and their versions. A question's id (slug) is stable; every change of its content
makes a new version, and attempts point at the version they were given."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from app.core import clock
from app.core.types import UTCDateTime
from app.extensions import db
from app.questions import types

#: `QuestionVersion.source` of a version saved from the web editor
EDITED = "edited"


class Question(db.Model):
    """A question of the bank, identified by its slug across all its versions."""

    __tablename__ = "questions"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: stable id from the files, [a-z0-9-], unique across the bank
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: number of the version new attempts get (the latest)
    current_number: Mapped[int] = mapped_column(Integer, default=1)
    #: retired questions are kept for old attempts but never drawn or offered again
    retired: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    #: when it was first imported or created
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.number", cascade="all, delete-orphan")
    current: Mapped[QuestionVersion] = relationship(
        primaryjoin=lambda: and_(foreign(QuestionVersion.question_id) == Question.id,
                                 QuestionVersion.number == Question.current_number),
        viewonly=True, uselist=False, lazy="joined")

    def __repr__(self) -> str:
        return f"<Question {self.slug} v{self.current_number}{' retired' if self.retired else ''}>"

    def add_version(self, version: QuestionVersion) -> QuestionVersion:
        """Append a version and make it current (the number follows the last one)."""
        version.number = (max((v.number for v in self.versions), default=0)) + 1
        self.versions.append(version)
        self.current_number = version.number
        return version

    def retire(self) -> None:
        self.retired = True

    def restore(self) -> None:
        self.retired = False


class QuestionVersion(db.Model):
    """One immutable version of a question's content."""

    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number", name="uq_question_versions_question_number"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the question this is a version of
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    #: 1, 2, ... in order of creation
    number: Mapped[int] = mapped_column(Integer)
    #: type code in the registry: single, multiple, truefalse, fill, practical
    type: Mapped[str] = mapped_column(String(20), index=True)
    #: the question text, Markdown (sanitised when rendered)
    stem: Mapped[str] = mapped_column(Text)
    #: why the answer is right, citing the lesson; Markdown
    explanation: Mapped[str] = mapped_column(Text, default="")
    #: points the question is worth when an exam does not say otherwise
    points: Mapped[float] = mapped_column(Float, default=1.0)
    #: 1 easy, 2 medium, 3 hard
    difficulty: Mapped[int] = mapped_column(Integer, default=2, index=True)
    #: the lesson it tests, "<course-id>/<lesson-id>", or "" for imported questions
    lesson: Mapped[str] = mapped_column(String(160), default="")
    #: transfer-plan stage 1-3, None when not a plan question
    stage: Mapped[int | None] = mapped_column(Integer)
    #: all tags: the file's tags, the course id (chapter) and stage-N
    tags: Mapped[list] = mapped_column(JSON, default=list)
    #: the type-specific definition (options, answer, answers, kind + rubric)
    definition: Mapped[dict] = mapped_column(JSON, default=dict)
    #: SHA-256 of the content, to tell an unchanged re-import from a change
    content_hash: Mapped[str] = mapped_column(String(64))
    #: where it came from, "file:line" or "edited"
    source: Mapped[str] = mapped_column(String(255), default="")
    #: when this version was made
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: who made it (None for the import command)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    question: Mapped[Question] = relationship(back_populates="versions")

    def __repr__(self) -> str:
        return f"<QuestionVersion {self.question_id} v{self.number} {self.type}>"

    @property
    def kind(self) -> types.QuestionType:
        return types.get(self.type)

    @property
    def max_points(self) -> float:
        return self.kind.max_points(self.definition, self.points)

    @property
    def source_label(self) -> str:
        """Where the version came from, for people: the file and line, or "edited on the web" in the UI language."""
        if self.source == EDITED:
            return _("edited on the web")
        return self.source

    @property
    def chapter(self) -> str:
        return self.lesson.split("/", 1)[0] if self.lesson else ""

    @property
    def authored_tags(self) -> list[str]:
        """The tags an author wrote: all tags but the chapter and stage-N ones derived from lesson and stage."""
        derived = (self.chapter, f"stage-{self.stage}" if self.stage else None)
        return [tag for tag in self.tags if tag not in derived]
