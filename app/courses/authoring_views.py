"""Authoring pages for trainers and admins: drafts, lessons, images, preview, publish, retire, history."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core import policy
from app.core.errors import DomainError
from app.courses import authoring, reports
from app.courses.forms import ActionForm, CourseHeaderForm, ImageForm, LessonForm, NewCourseForm
from app.courses.models import PARTS, Course
from app.courses.views import bp
from app.extensions import db
from app.main.navigation import nav_item

nav_item("courses.authoring_index", _l("Course authoring"), policy.can_author_courses, order=60, group="teach")


def _author() -> None:
    policy.require(policy.can_author_courses(current_user))


def _draft_of(slug: str):
    course = authoring.course_by_slug(slug)
    if course.draft is None:
        flash(_("Start editing first: there is no draft of this course."), "warning")
        return course, None
    return course, course.draft


@bp.route("/authoring/")
@login_required
def authoring_index():
    _author()
    courses = db.session.scalars(select(Course).order_by(Course.slug)).all()
    return render_template("courses/authoring/index.html", courses=courses, parts=PARTS, form=ActionForm())


@bp.route("/authoring/new", methods=["GET", "POST"])
@login_required
def new_course():
    _author()
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            course = authoring.create_course(form.slug.data, form.title.data.strip(), current_user)
        except DomainError as error:
            db.session.rollback()
            form.slug.errors.append(error.message)
        else:
            db.session.commit()
            return redirect(url_for("courses.edit_course", slug=course.slug))
    return render_template("courses/authoring/new.html", form=form), 422 if form.errors else 200


@bp.route("/authoring/<slug>/start", methods=["POST"])
@login_required
def start_draft(slug: str):
    _author()
    course = authoring.course_by_slug(slug)
    if ActionForm().validate_on_submit():
        authoring.start_draft(course, current_user)
        db.session.commit()
    return redirect(url_for("courses.edit_course", slug=slug))


@bp.route("/authoring/<slug>", methods=["GET", "POST"])
@login_required
def edit_course(slug: str):
    _author()
    course, draft = _draft_of(slug)
    if draft is None:
        return redirect(url_for("courses.history", slug=slug))
    form = CourseHeaderForm(obj=draft) if request.method == "GET" else CourseHeaderForm()
    if request.method == "GET":
        form.objectives.data = "\n".join(draft.objectives or [])
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = authoring.preview(slug, form.intro_md.data or "")
        else:
            authoring.save_header(draft, form.values(), current_user)
            db.session.commit()
            flash(_("Draft saved."), "success")
            return redirect(url_for("courses.edit_course", slug=slug))
    return _edit_page(course, draft, form, ImageForm(), preview, 422 if form.errors else 200)


def _edit_page(course, draft, form, image_form, preview=None, status=200):
    return render_template("courses/authoring/edit.html", course=course, draft=draft, form=form, preview=preview,
                           image_form=image_form, action=ActionForm(), images=authoring.images(course),
                           problems=authoring.problems(course, draft)), status


@bp.route("/authoring/<slug>/lessons/new", methods=["GET", "POST"])
@login_required
def new_lesson(slug: str):
    _author()
    course, draft = _draft_of(slug)
    if draft is None:
        return redirect(url_for("courses.history", slug=slug))
    form = LessonForm()
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = authoring.preview(slug, form.body_md.data or "")
        elif not form.slug.data:
            form.slug.errors.append(_("Give the lesson an id."))
        else:
            try:
                lesson = authoring.add_lesson(draft, {"slug": form.slug.data, **form.values()}, current_user)
            except DomainError as error:
                db.session.rollback()
                form.slug.errors.append(error.message)
            else:
                db.session.commit()
                flash(_("Lesson added to the draft."), "success")
                return redirect(url_for("courses.edit_lesson", slug=slug, lesson_slug=lesson.slug))
    return render_template("courses/authoring/lesson.html", course=course, draft=draft, lesson=None, form=form,
                           preview=preview), 422 if form.errors else 200


@bp.route("/authoring/<slug>/lessons/<lesson_slug>", methods=["GET", "POST"])
@login_required
def edit_lesson(slug: str, lesson_slug: str):
    _author()
    course, draft = _draft_of(slug)
    lesson = draft.lesson(lesson_slug) if draft else None
    if lesson is None:
        abort(404)
    form = LessonForm(obj=lesson)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = authoring.preview(slug, form.body_md.data or "")
        else:
            authoring.save_lesson(draft, lesson, form.values(), current_user)
            db.session.commit()
            flash(_("Lesson saved in the draft. Publish the draft to show it to learners."), "success")
            return redirect(url_for("courses.edit_course", slug=slug, _anchor="lessons"))
    return render_template("courses/authoring/lesson.html", course=course, draft=draft, lesson=lesson, form=form,
                           preview=preview), 422 if form.errors else 200


@bp.route("/authoring/<slug>/lessons/<lesson_slug>/<any(up, down, delete):action>", methods=["POST"])
@login_required
def lesson_action(slug: str, lesson_slug: str, action: str):
    _author()
    course, draft = _draft_of(slug)
    lesson = draft.lesson(lesson_slug) if draft else None
    if lesson is None or not ActionForm().validate_on_submit():
        abort(404 if lesson is None else 400)
    if action == "delete":
        authoring.delete_lesson(draft, lesson)
    else:
        authoring.move_lesson(draft, lesson, -1 if action == "up" else 1)
    db.session.commit()
    return redirect(url_for("courses.edit_course", slug=slug, _anchor="lessons"))


@bp.route("/authoring/<slug>/images", methods=["POST"])
@login_required
def upload_image(slug: str):
    _author()
    course, draft = _draft_of(slug)
    if draft is None:
        return redirect(url_for("courses.history", slug=slug))
    form = ImageForm()
    if form.validate_on_submit():
        try:
            image = authoring.attach_image(course, form.name.data, form.file.data.read(authoring.MAX_IMAGE_BYTES + 1), current_user)
        except DomainError as error:
            db.session.rollback()
            form.file.errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Image attached. Use it in Markdown as ![description](image:%(name)s).", name=image.name), "success")
            return redirect(url_for("courses.edit_course", slug=slug, _anchor="images"))
    header = CourseHeaderForm(obj=draft, formdata=None)
    header.objectives.data = "\n".join(draft.objectives or [])
    return _edit_page(course, draft, header, form, status=422)


@bp.route("/authoring/preview", methods=["POST"])
@login_required
def preview():
    """Sanitised HTML for the live preview (the page's script posts the textarea with the CSRF header)."""
    _author()
    rendered = authoring.preview(request.form.get("course", ""), request.form.get("markdown", ""))
    return jsonify({"html": rendered.html, "broken_links": rendered.broken_links, "missing_images": rendered.missing_images})


@bp.route("/authoring/<slug>/<any(publish, discard, retire):action>", methods=["POST"])
@login_required
def course_action(slug: str, action: str):
    _author()
    course = authoring.course_by_slug(slug)
    if not ActionForm().validate_on_submit():
        abort(400)
    if action == "publish":
        version = authoring.publish(course, current_user)
        flash(_("Version %(number)d published; learners see it now.", number=version.number), "success")
    elif action == "discard":
        authoring.discard_draft(course, current_user)
        flash(_("Draft discarded."), "success")
    else:
        authoring.retire(course, current_user)
        flash(_("Course retired: learners no longer see it."), "success")
    db.session.commit()
    return redirect(url_for("courses.history", slug=slug))


@bp.route("/authoring/<slug>/versions")
@login_required
def history(slug: str):
    _author()
    course = authoring.course_by_slug(slug)
    overall, per_version = reports.ratings(course)
    return render_template("courses/authoring/history.html", course=course, versions=list(reversed(course.versions)),
                           overall=overall, per_version=dict((v.id, s) for v, s in per_version), form=ActionForm())
