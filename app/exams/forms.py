from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError


class ActionForm(FlaskForm):
    """Buttons that only need CSRF protection (start, submit)."""


class CriterionForm(FlaskForm):
    class Meta:
        csrf = False

    points = IntegerField(_l("Points"), validators=[InputRequired(message=_l("Give points for this criterion."))])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])


class AssessForm(FlaskForm):
    criteria = FieldList(FormField(CriterionForm))
    reason = StringField(_l("Reason for the change"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Save scores"))


class OverrideForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(message=_l("Enter the employee number."))])
    extra_minutes = IntegerField(_l("Extra minutes"), default=0, validators=[NumberRange(min=0, max=600)])
    extra_attempts = IntegerField(_l("Extra attempts"), default=0, validators=[NumberRange(min=0, max=10)])
    reason = StringField(_l("Reason"), validators=[DataRequired(message=_l("Give a reason.")), Length(max=500)])
    submit = SubmitField(_l("Grant"))

    def validate_extra_attempts(self, field):
        if not (self.extra_minutes.data or 0) and not (field.data or 0):
            raise ValidationError(_l("Grant extra minutes, extra attempts, or both."))
