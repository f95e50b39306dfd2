"""Courses in the JSON API: the caller's catalog, and one course with the caller's progress."""
from flask import jsonify, request

from app.api import bp
from app.api.auth import api_person
from app.api.openapi import SCHEMAS, operation, path_parameter
from app.courses import services


def _summary(entry: services.CatalogEntry) -> dict:
    version = entry.version
    return {
        "slug": entry.course.slug, "title": version.title, "title_en": version.title_en, "part": version.part,
        "order": version.sort_order, "positions": version.positions, "minutes": version.minutes,
        "version": version.number, "lessons": entry.lessons, "lessons_done": entry.done,
        "progress": round(entry.progress, 4), "meant_for_me": entry.meant_for_me,
    }


@bp.get("/courses")
def courses_index():
    person = api_person()
    entries = services.catalog(person, show_all=request.args.get("all") in ("1", "true"))
    return jsonify({"courses": [_summary(entry) for entry in entries]})


@bp.get("/courses/<slug>")
def courses_show(slug: str):
    person = api_person()
    course = services.offered_course(slug)
    version = course.current_version
    done = services.completions(person, course)
    lessons = [{
        "slug": lesson.slug, "title": lesson.title, "title_en": lesson.title_en, "minutes": lesson.minutes,
        "status": services.lesson_status(lesson, done.get(lesson.slug)),
        "completed_at": done[lesson.slug].completed_at.isoformat() if lesson.slug in done else None,
    } for lesson in version.lessons]
    entry = services.CatalogEntry(course, version, len(lessons), sum(l["status"] == "done" for l in lessons),
                                  version.meant_for(person.position))
    return jsonify({**_summary(entry), "objectives": version.objectives, "summary_en": version.summary_en,
                    "lessons": lessons, "completed": entry.progress >= 1.0})


SCHEMAS["CourseSummary"] = {
    "type": "object",
    "properties": {
        "slug": {"type": "string"}, "title": {"type": "string"}, "title_en": {"type": "string"},
        "part": {"type": "string", "enum": ["intro", "daily", "indicators", "risk", "transfer"]},
        "order": {"type": "integer"}, "positions": {"type": "array", "items": {"type": "string"}},
        "minutes": {"type": "integer"}, "version": {"type": "integer"}, "lessons": {"type": "integer"},
        "lessons_done": {"type": "integer"}, "progress": {"type": "number", "minimum": 0, "maximum": 1},
        "meant_for_me": {"type": "boolean"},
    },
    "required": ["slug", "title", "part", "version", "lessons", "lessons_done", "progress"],
}
operation("/courses", "get", "Published courses for the caller's position (all=1: every course), with progress", {
    "type": "object",
    "properties": {"courses": {"type": "array", "items": {"$ref": "#/components/schemas/CourseSummary"}}},
}, parameters=[{"name": "all", "in": "query", "required": False, "schema": {"type": "string", "enum": ["0", "1"]}}])
operation("/courses/{slug}", "get", "One published course: its lessons and the caller's progress in each", {
    "allOf": [{"$ref": "#/components/schemas/CourseSummary"}, {"type": "object", "properties": {
        "objectives": {"type": "array", "items": {"type": "string"}}, "summary_en": {"type": "string"},
        "completed": {"type": "boolean"},
        "lessons": {"type": "array", "items": {"type": "object", "properties": {
            "slug": {"type": "string"}, "title": {"type": "string"}, "title_en": {"type": "string"},
            "minutes": {"type": "integer"}, "status": {"type": "string", "enum": ["todo", "done", "changed"]},
            "completed_at": {"type": ["string", "null"], "format": "date-time"}}}},
    }}],
}, parameters=[path_parameter("slug")], errors={404: "No published course with this id"})
