from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.accounts.models import Role
from app.accounts.positions import POSITIONS
from app.org.services import unit_by_code


class PeopleFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = StringField(_l("Name, employee number or username"), validators=[Optional(), Length(max=80)])
    position = SelectField(_l("Position"), validators=[Optional()])
    org = StringField(_l("Org unit code"), validators=[Optional(), Length(max=40)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.position.choices = [("", _l("Any position"))] + [(code, label) for code, label in POSITIONS.items()]


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired()])
    org_code = StringField(_l("Applies to org unit (code)"), validators=[Optional(), Length(max=40)])
    submit = SubmitField(_l("Add role"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, role.label) for role in Role]
        self.unit = None

    def validate_org_code(self, field):
        if field.data:
            self.unit = unit_by_code(field.data.strip())
            if self.unit is None:
                raise ValidationError(_l("There is no org unit with this code."))
        elif self.role.data in Role._value2member_map_ and Role(self.role.data).scoped:
            raise ValidationError(_l("This role needs an org unit it applies to."))


class ConfirmForm(FlaskForm):
    """A bare form for POST buttons: it carries the CSRF token."""

    submit = SubmitField(_l("Confirm"))
