"""Trainer pages of the question bank: browse and filter, preview (as the trainee sees it, plus
the key), edit (a new version), retire, and upload files with the same checks as the CLI."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core import policy
from app.core.markdown import render as render_markdown
from app.extensions import db
from app.main.navigation import nav_item
from app.questions import editor, services, types
from app.questions.forms import EditForm, NewQuestionForm, RetireForm, UploadForm, question_form
from app.questions.markdown import render
from app.questions.models import Question

bp = Blueprint("questions", __name__, url_prefix="/questions")
PAGE = 30


def _require() -> None:
    policy.require(policy.can_manage_questions(current_user))


def _question(slug: str) -> Question:
    return db.session.scalars(select(Question).where(Question.slug == slug)).one_or_none() or abort(404)


def _matches(question: Question, args) -> bool:
    version = question.current
    text = (args.get("q") or "").strip().lower()
    if args.get("type") and version.type != args["type"]:
        return False
    if args.get("difficulty") and str(version.difficulty) != args["difficulty"]:
        return False
    if args.get("tag") and args["tag"] not in version.tags:
        return False
    if args.get("status") != "retired" and question.retired or args.get("status") == "retired" and not question.retired:
        return False
    return not text or text in question.slug or text in version.stem.lower() or any(text in t.lower() for t in version.tags)


@bp.route("/")
@login_required
def index():
    """The bank is a few hundred questions: filter in Python over the current versions."""
    _require()
    questions = db.session.scalars(select(Question).order_by(Question.slug)).all()
    found = [q for q in questions if _matches(q, request.args)]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    tags = sorted({t for q in questions for t in q.current.tags})
    return render_template("questions/index.html", questions=found[(page - 1) * PAGE:page * PAGE], total=len(found),
                           page=page, pages=max(1, -(-len(found) // PAGE)), tags=tags, types=types.all_types(),
                           args=request.args)


@bp.route("/<slug>")
@login_required
def show(slug: str):
    _require()
    question = _question(slug)
    number = request.args.get("version", question.current_number, type=int)
    version = next((v for v in question.versions if v.number == number), None) or abort(404)
    order = list(range(version.kind.option_count(version.definition)))
    return render_template("questions/show.html", question=question, version=version, stem=render(version.stem),
                           preview=version.kind.render(version.definition, order, None, "preview"),
                           key=version.kind.describe_key(version.definition), explanation=render(version.explanation),
                           retire_form=RetireForm())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """A new question: first its type, then the editor of that type."""
    _require()
    name = request.values.get("type", "")
    if name not in types.names():
        chooser = NewQuestionForm(request.args)
        chooser.type.choices = [(t.name, t.label) for t in types.all_types()]
        return render_template("questions/new.html", form=chooser)
    return _editor(None, types.get(name), {})


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """The question editor: a form of the common fields and the type's own part; saving makes a
    new version (attempts keep the version they were given)."""
    _require()
    question = _question(slug)
    return _editor(question, question.current.kind, editor.form_data(question.current))


def _editor(question: Question | None, kind: types.QuestionType, data: dict):
    submitted = request.method == "POST"
    # A submitted form is read from what was sent only (an unticked box or an unchosen radio
    # button sends nothing, which must not fall back to the stored value).
    form = question_form(kind, formdata=request.form) if submitted else question_form(kind, formdata=None, data=data)
    problems: dict[str, list[str]] = {}
    preview = None
    if submitted and request.form.get("add_row"):
        # "Add a row" (without JavaScript): show the form again with one more empty row; nothing is saved.
        kind.editor_add_row(form.definition.form, request.form["add_row"])
    elif form.validate_on_submit():
        try:
            if form.preview.data:
                preview = _preview(kind, services.checked_entry(editor.entry_data(form, kind), question))
            else:
                before = question.current_number if question is not None else None
                question = services.save_entry(editor.entry_data(form, kind), current_user, question)
                db.session.commit()
                if before is None:
                    flash(_("Question %(id)s created.", id=question.slug), "success")
                elif question.current_number != before:
                    flash(_("Saved as version %(n)d.", n=question.current_number), "success")
                else:
                    flash(_("Nothing changed: the question keeps version %(n)d.", n=before), "success")
                return redirect(url_for("questions.show", slug=question.slug))
        except services.EntryInvalid as invalid:
            db.session.rollback()
            problems = editor.place(form, kind, invalid.problems)
    kind.editor_prepare(form.definition.form, fresh=not submitted)
    status = 422 if problems or form.errors else 200
    return render_template("questions/editor.html", question=question, kind=kind, form=form, part=form.definition.form,
                           problems=problems, preview=preview, lessons=_lessons()), status


def _preview(kind: types.QuestionType, entry) -> dict:
    """The question as the trainee will see it, its key and explanation, without saving."""
    fields = services.version_fields(entry)
    definition = fields["definition"]
    order = list(range(kind.option_count(definition)))
    return {"stem": render(fields["stem"]), "input": kind.render(definition, order, None, "preview"),
            "key": kind.describe_key(definition), "explanation": render(fields["explanation"]),
            "points": kind.max_points(definition, fields["points"])}


def _lessons() -> list[tuple[str, str]]:
    """Lessons to suggest for the lesson field ("course/lesson", title), when the courses domain is there."""
    try:
        from app.courses.models import Course, CourseVersion, Lesson
    except ImportError:
        return []
    rows = db.session.execute(
        select(Course.slug, Lesson.slug, Lesson.title).join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .join(Lesson, Lesson.version_id == CourseVersion.id).order_by(Course.slug, Lesson.position))
    return [(f"{course}/{lesson}", title) for course, lesson, title in rows]


@bp.route("/markdown-preview", methods=["POST"])
@login_required
def markdown_preview():
    """Sanitised HTML of the stem or explanation for the editor's live preview (CSRF-checked like any POST).
    Not through the cached renderer: every keystroke's text would push out the texts attempt pages reuse."""
    _require()
    return jsonify({"html": render_markdown(request.form.get("markdown", "")[:20000]).html})


@bp.route("/<slug>/edit/yaml", methods=["GET", "POST"])
@login_required
def edit_yaml(slug: str):
    """The advanced editor: the question as YAML in the format of the question files."""
    _require()
    question = _question(slug)
    form = EditForm(data={"text": services.as_yaml(question.current)} if request.method == "GET" else None)
    errors = []
    if form.validate_on_submit():
        try:
            before = question.current_number
            services.edit(question, form.text.data, current_user)
        except services.ImportInvalid as invalid:
            db.session.rollback()
            errors = invalid.errors
        else:
            db.session.commit()
            flash(_("Saved as version %(n)d.", n=question.current_number) if question.current_number != before
                  else _("Nothing changed: the question keeps version %(n)d.", n=before), "success")
            return redirect(url_for("questions.show", slug=slug))
    return render_template("questions/edit_yaml.html", question=question, form=form, errors=errors), 422 if errors or form.errors else 200


@bp.route("/<slug>/retire", methods=["POST"])
@login_required
def retire(slug: str):
    _require()
    question = _question(slug)
    if not RetireForm().validate_on_submit():
        abort(400)
    services.set_retired(question, not question.retired, current_user)
    db.session.commit()
    flash(_("The question is retired: it stays in old attempts but is no longer drawn.") if question.retired
          else _("The question is back in use."), "success")
    return redirect(url_for("questions.show", slug=slug))


@bp.route("/import", methods=["GET", "POST"])
@login_required
def upload():
    _require()
    form = UploadForm()
    errors, result = [], None
    if form.validate_on_submit():
        try:
            sources = [_source(upload) for upload in form.files.data]
            result = services.import_sources(sources, actor=current_user)
        except services.ImportInvalid as invalid:
            db.session.rollback()
            errors = invalid.errors
        else:
            db.session.commit()
    status = 422 if errors or form.errors else 200
    return render_template("questions/import.html", form=form, errors=errors, result=result), status


def _source(upload) -> services.SourceFile:
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise services.ImportInvalid([f"{upload.filename}:1: " + _("the file is not UTF-8 text.")]) from None
    is_exam = upload.filename.lower().endswith((".yaml", ".yml")) and text.lstrip().startswith("id:")
    return services.SourceFile(upload.filename, text, is_exam)


nav_item("questions.index", _l("Question bank"), policy.can_manage_questions, order=32, group="teach")
