"""Turning CourseContent into a new immutable CourseVersion with rendered lessons (shared by sync and web publish)."""
from __future__ import annotations

from sqlalchemy import select

from app.core import markdown
from app.courses.content import CourseContent, split_target
from app.courses.models import Course, CourseImage, CourseOrigin, CourseVersion, Lesson
from app.extensions import db


def lesson_path(course_slug: str, lesson_slug: str, anchor: str = "") -> str:
    """The lesson page's URL path. Built by hand because sync renders outside any request."""
    return f"/courses/{course_slug}/lessons/{lesson_slug}{anchor}"


def image_path(course_slug: str, name: str) -> str:
    return f"/courses/{course_slug}/images/{name}"


def published_lessons() -> set[tuple[str, str]]:
    """(course, lesson) of every lesson in a current version."""
    rows = db.session.execute(
        select(Course.slug, Lesson.slug).join(Lesson, Lesson.version_id == Course.current_version_id)
    )
    return {(course, lesson) for course, lesson in rows}


def image_names(course: Course | None) -> set[str]:
    if course is None or course.id is None:
        return set()
    return set(db.session.scalars(select(CourseImage.name).where(CourseImage.course_id == course.id)))


def renderer(course_slug: str, lessons: set[tuple[str, str]], images: set[str]):
    """A render function for one course's documents, resolving its links against `lessons`."""

    def resolve_link(target: str) -> str | None:
        path, _sep, anchor = target.partition("#")
        course, lesson = split_target(path, course_slug)
        return lesson_path(course, lesson, "#" + anchor if anchor else "") if (course, lesson) in lessons else None

    def resolve_image(name: str) -> str | None:
        return image_path(course_slug, name) if name in images else None

    return lambda text: markdown.render(text, resolve_link=resolve_link, resolve_image=resolve_image)


def build_version(course: Course, content: CourseContent, source: CourseOrigin, lessons: set[tuple[str, str]],
                  actor=None) -> CourseVersion:
    """A new version of `course` from `content`, its HTML rendered now and stored, made current."""
    render = renderer(course.slug, lessons, image_names(course))
    version = CourseVersion(
        course=course, number=course.next_version_number(), content_hash=content.content_hash(),
        title=content.title, title_en=content.title_en, part=content.part, sort_order=content.order,
        positions=list(content.positions), minutes=content.minutes, objectives=list(content.objectives),
        summary_en=content.summary_en, intro_md=content.intro, intro_html=render(content.intro).html,
        source=source, published_by_id=getattr(actor, "id", None),
    )
    for position, lesson in enumerate(content.lessons, start=1):
        rendered = render(lesson.body)
        version.lessons.append(Lesson(
            slug=lesson.slug, position=position, title=lesson.title, title_en=lesson.title_en, minutes=lesson.minutes,
            body_md=lesson.body, body_html=rendered.html, toc=rendered.toc,
            search_text=" ".join((lesson.title, lesson.title_en, rendered.text)), content_hash=lesson.content_hash(),
        ))
    db.session.add(version)
    db.session.flush()
    course.publish(version, from_web=source is CourseOrigin.web)
    db.session.flush()
    return version
