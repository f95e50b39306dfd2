"""Course pages for learners (catalog, course, lesson, rating, changes) and images."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.core import policy
from app.courses import authoring, services
from app.courses.forms import ActionForm, BeatForm, RatingForm
from app.courses.models import PARTS
from app.extensions import db
from app.accounts.models import Role
from app.main.dashboard import Panel, panel
from app.main.navigation import nav_item

bp = Blueprint("courses", __name__, url_prefix="/courses")

nav_item("courses.catalog", _l("Courses"), order=20)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/")
@login_required
def catalog():
    show_all = request.args.get("all") == "1"
    query = request.args.get("q", "").strip()
    hits = services.search(query) if query else None
    entries = services.catalog(current_user, show_all=show_all)
    by_part = {code: [e for e in entries if e.version.part == code] for code in PARTS}
    return render_template("courses/catalog.html", by_part=by_part, parts=PARTS, show_all=show_all, query=query,
                           hits=hits, resume=services.continue_points(current_user))


@bp.route("/<slug>")
@login_required
def course(slug: str):
    found = _readable(slug)
    rating = services.my_rating(current_user, found)
    form = RatingForm(stars=str(rating.stars) if rating else None, comment=rating.comment if rating else "")
    return _course_page(found, form)


def _readable(slug: str):
    found = authoring.course_by_slug(slug)
    if found.current_version_id is None or not policy.can_read_course(current_user, found):
        abort(404)
    return found


def _course_page(found, form, status: int = 200):
    done = services.completions(current_user, found)
    lessons = [(lesson, services.lesson_status(lesson, done.get(lesson.slug))) for lesson in found.current_version.lessons]
    finished = sum(1 for _lesson, state in lessons if state == "done")
    resume = next((lesson for lesson, state in lessons if state != "done"), lessons[0][0] if lessons else None)
    return render_template(
        "courses/course.html", course=found, version=found.current_version, lessons=lessons,
        progress=finished / len(lessons) if lessons else 0.0, rating=services.my_rating(current_user, found),
        form=form, resume=resume, done=done, seconds=services.seconds_in_course(current_user, found),
    ), status


@bp.route("/<slug>/lessons/<lesson_slug>")
@login_required
def lesson(slug: str, lesson_slug: str):
    found = services.offered_course(slug)
    lesson = services.lesson_of(found, lesson_slug)
    if services.opened_lesson(current_user, found, lesson):
        db.session.commit()  # only when "continue where you left off" moved: re-reading costs no write
    lessons = found.current_version.lessons
    index = lessons.index(lesson)
    completion = services.completions(current_user, found).get(lesson.slug)
    return render_template(
        "courses/lesson.html", course=found, version=found.current_version, lesson=lesson,
        previous=lessons[index - 1] if index else None, next=lessons[index + 1] if index + 1 < len(lessons) else None,
        status=services.lesson_status(lesson, completion), completion=completion, form=ActionForm(),
        number=index + 1, total=len(lessons),
    )


@bp.route("/<slug>/lessons/<lesson_slug>/complete", methods=["POST"])
@login_required
def complete(slug: str, lesson_slug: str):
    found = services.offered_course(slug)
    lesson = services.lesson_of(found, lesson_slug)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    finished = services.complete_lesson(current_user, found, lesson, automatic=request.form.get("automatic") == "1")
    db.session.commit()
    progress = services.progress_of(current_user, found)
    if _wants_json():
        return jsonify({"completed": True, "course_completed": finished, "progress": progress})
    lessons = found.current_version.lessons
    index = lessons.index(lesson)
    locale = str(get_locale())
    if finished:
        flash(_("Lesson completed, and with it the course “%(course)s”.",
                course=found.current_version.display_title(locale)), "success")
        return redirect(url_for("courses.course", slug=slug, _anchor="rate"))
    flash(_("Lesson “%(lesson)s” completed.", lesson=lesson.display_title(locale)), "success")
    target = lessons[index + 1] if index + 1 < len(lessons) else lesson
    return redirect(url_for("courses.lesson", slug=slug, lesson_slug=target.slug))


@bp.route("/<slug>/lessons/<lesson_slug>/beat", methods=["POST"])
@login_required
def beat(slug: str, lesson_slug: str):
    found = services.offered_course(slug)
    lesson = services.lesson_of(found, lesson_slug)
    form = BeatForm()
    if not form.validate_on_submit():
        abort(400)
    seconds = services.heartbeat(current_user, found, lesson, form.visit.data)
    db.session.commit()
    return jsonify({"seconds": seconds})


@bp.route("/<slug>/rating", methods=["POST"])
@login_required
def rate(slug: str):
    found = services.offered_course(slug)
    form = RatingForm()
    if form.validate_on_submit():
        services.rate(current_user, found, int(form.stars.data), form.comment.data or "")
        db.session.commit()
        return redirect(url_for("courses.course", slug=slug, saved=1, _anchor="rate"))
    return _course_page(found, form, 422)


@bp.route("/<slug>/changes")
@login_required
def changes(slug: str):
    """What changed between two versions (default: the previous and the current)."""
    found = _readable(slug)
    current = found.current_version.number
    new = authoring.version_by_number(found, request.args.get("to", current, type=int))
    old = authoring.version_by_number(found, request.args.get("from", max(new.number - 1, 1), type=int))
    focus = request.args.get("lesson")
    return render_template("courses/changes.html", course=found, old=old, new=new,
                           diffs=authoring.diff(old, new), focus=focus, versions=found.versions)


@bp.route("/<slug>/images/<name>")
@login_required
def image(slug: str, name: str):
    found = authoring.course_by_slug(slug)
    stored = authoring.image_file(found, name)
    if stored is None:
        abort(404)
    path, meta = stored
    response = send_file(path, mimetype=meta.content_type, max_age=86400, etag=meta.sha256)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response




@panel(Role.trainee, order=15)
def continue_panel(person) -> Panel:
    """Home page: continue where you left off, in the courses not yet complete."""
    recent = [(state, course, version, lesson, services.progress_of(person, course))
              for state, course, version, lesson in services.continue_points(person, limit=12)]
    points = [point for point in recent if point[4] < 1][:3]
    return Panel(_l("Continue learning"), "courses/panels/continue.html", {"points": points, "started": bool(recent)})


from app.courses import authoring_views, report_views  # noqa: E402,F401  (routes on the same blueprint)
