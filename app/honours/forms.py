from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.accounts.services import person_by_employee_no
from app.org.services import unit_by_code


class NominationForm(FlaskForm):
    category = SelectField(_l("Honour"), validators=[DataRequired()])
    term = StringField(_l("Term"), validators=[DataRequired(_l("Enter the term, e.g. 2026 or 2026-Q2.")), Length(max=7)])
    outlet_code = StringField(_l("Outlet code (for an outlet honour)"), validators=[Optional(), Length(max=40)])
    employee_no = StringField(_l("Employee number (for a personal honour)"), validators=[Optional(), Length(max=32)])
    statement = TextAreaField(_l("Statement: why this nominee"), validators=[DataRequired(_l("Write why you nominate them.")), Length(min=5, max=4000)])
    submit = SubmitField(_l("Nominate"))

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {str(c.id): c for c in categories}
        self.category.choices = [(str(c.id), c.name + (f" · {c.name_en}" if c.name_en else "")) for c in categories]
        self.unit = None
        self.person = None

    def validate_outlet_code(self, field):
        if field.data:
            self.unit = unit_by_code(field.data.strip())
            if self.unit is None:
                raise ValidationError(_l("There is no org unit with this code."))

    def validate_employee_no(self, field):
        if field.data:
            self.person = person_by_employee_no(field.data.strip())
            if self.person is None:
                raise ValidationError(_l("There is no one with this employee number."))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give a reason; it is recorded and shown to the nominator.")), Length(max=2000)])
    submit = SubmitField(_l("Confirm"))
