from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FormField, MultipleFileField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired

from app.questions.labels import DIFFICULTY_LABELS


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Files"), validators=[DataRequired(message=_l("Choose one or more files."))])
    submit = SubmitField(_l("Check and import"))

    def validate_files(self, field):
        from wtforms.validators import ValidationError

        allowed = (".yaml", ".yml", ".gift", ".txt", ".aiken")
        if not field.data or not any(getattr(f, "filename", "") for f in field.data):
            raise ValidationError(_l("Choose one or more files."))
        for upload in field.data:
            if not upload.filename.lower().endswith(allowed):
                raise ValidationError(_l("Only .yaml, .gift, .txt and .aiken files can be imported."))


class EditForm(FlaskForm):
    text = TextAreaField(_l("Question (YAML, as in the question files)"), validators=[DataRequired(message=_l("The question cannot be empty."))])
    submit = SubmitField(_l("Save as a new version"))


class RetireForm(FlaskForm):
    submit = SubmitField(_l("Retire"))


class QuestionForm(FlaskForm):
    """The question editor: the fields every question has. The type's own part is added by
    `question_form` (a FormField named "definition"). Nothing is checked here: the entry built from
    the form goes through the same checks as an imported file, and each problem is shown at its field."""

    id = StringField(_l("Id"), render_kw={"spellcheck": "false", "autocapitalize": "off", "maxlength": 80})
    stem = TextAreaField(_l("Question text"), render_kw={"rows": 5})
    explanation = TextAreaField(_l("Explanation"), render_kw={"rows": 4})
    points = StringField(_l("Points"), render_kw={"inputmode": "decimal"})
    difficulty = SelectField(_l("Difficulty"), choices=[(str(n), label) for n, label in DIFFICULTY_LABELS.items()],
                             default="2", validate_choice=False)
    tags = StringField(_l("Knowledge points (tags)"))
    lesson = StringField(_l("Lesson"), render_kw={"spellcheck": "false", "autocapitalize": "off", "list": "lessons"})
    stage = SelectField(_l("Transfer-plan stage"), validate_choice=False,
                        choices=[("", _l("None")), ("1", _l("Stage 1")), ("2", _l("Stage 2")), ("3", _l("Stage 3"))])
    save = SubmitField(_l("Save as a new version"))
    preview = SubmitField(_l("Preview"))


def question_form(kind, **kwargs) -> QuestionForm:
    """The editor form of a question type: the common fields and the type's part."""
    form_class = type(f"{kind.name.title()}QuestionForm", (QuestionForm,),
                      {"definition": FormField(kind.editor_form(), label=kind.label)})
    return form_class(**kwargs)


class NewQuestionForm(FlaskForm):
    """The first step of a new question: its type (GET, so no CSRF)."""

    class Meta:
        csrf = False

    type = SelectField(_l("Type"))
    submit = SubmitField(_l("Continue"))
