from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (HiddenField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.positions import POSITIONS
from app.courses.content import SLUG
from app.courses.models import PARTS

SLUG_MESSAGE = _l("Use 2–60 lowercase letters, digits or hyphens, e.g. complaint-handling.")
#: Paths under /courses/ that a course id would hide.
RESERVED = {"authoring", "reports", "search"}


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class NewCourseForm(FlaskForm):
    slug = StringField(_l("Course id"), validators=[DataRequired(), Regexp(SLUG.pattern, message=SLUG_MESSAGE)])
    title = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Create draft"))

    def validate_slug(self, field):
        if field.data in RESERVED:
            raise ValidationError(_l("This id is reserved; choose another."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CourseHeaderForm(FlaskForm):
    title = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=200)])
    part = SelectField(_l("Part"), choices=[(code, label) for code, label in PARTS.items()])
    sort_order = IntegerField(_l("Order within the part"), validators=[InputRequired(), NumberRange(min=0, max=100000)])
    positions = MultiCheckboxField(_l("Meant for (none ticked: everyone)"), choices=list(POSITIONS.items()), validators=[Optional()])
    minutes = IntegerField(_l("Estimated minutes"), validators=[InputRequired(), NumberRange(min=1, max=100000)])
    objectives = TextAreaField(_l("Learning objectives, one per line"), validators=[DataRequired(), Length(max=5000)])
    summary_en = TextAreaField(_l("English summary"), validators=[Optional(), Length(max=5000)])
    intro_md = TextAreaField(_l("Introduction (Markdown)"), validators=[Optional(), Length(max=200_000)])
    submit = SubmitField(_l("Save draft"))
    preview = SubmitField(_l("Preview"))

    def values(self) -> dict:
        return {
            "title": self.title.data.strip(), "title_en": self.title_en.data.strip(), "part": self.part.data,
            "sort_order": self.sort_order.data, "positions": list(self.positions.data or []), "minutes": self.minutes.data,
            "objectives": [line.strip() for line in self.objectives.data.splitlines() if line.strip()],
            "summary_en": (self.summary_en.data or "").strip(), "intro_md": self.intro_md.data or "",
        }


class LessonForm(FlaskForm):
    slug = StringField(_l("Lesson id"), validators=[Optional(), Regexp(SLUG.pattern, message=SLUG_MESSAGE)])
    title = StringField(_l("Title (Chinese)"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title (English)"), validators=[DataRequired(), Length(max=200)])
    minutes = IntegerField(_l("Reading minutes"), validators=[InputRequired(), NumberRange(min=1, max=1000)])
    body_md = TextAreaField(_l("Lesson text (Markdown)"), validators=[Optional(), Length(max=200_000)])
    submit = SubmitField(_l("Save lesson"))
    preview = SubmitField(_l("Preview"))

    def values(self) -> dict:
        return {"title": self.title.data.strip(), "title_en": self.title_en.data.strip(), "minutes": self.minutes.data,
                "body_md": (self.body_md.data or "").replace("\r\n", "\n")}


class ImageForm(FlaskForm):
    name = StringField(_l("Image name (used as image:name)"), validators=[DataRequired(), Regexp(SLUG.pattern, message=SLUG_MESSAGE)])
    file = FileField(_l("Image file (PNG, JPEG, GIF or WebP, up to 2 MB)"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Attach image"))


class RatingForm(FlaskForm):
    stars = RadioField(_l("Your rating"), choices=[(str(n), str(n)) for n in range(1, 6)],
                       validators=[InputRequired(_l("Choose 1 to 5 stars."))])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save rating"))


class BeatForm(FlaskForm):
    """A heartbeat from the lesson page (sent with the CSRF header by the page's script)."""

    visit = HiddenField(validators=[DataRequired(), Length(max=40)])
