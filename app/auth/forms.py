from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError


class LoginForm(FlaskForm):
    username = StringField(_l("Username or employee number"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(
        _l("New password again"), validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))]
    )
    submit = SubmitField(_l("Change password"))

    def validate_new_password(self, field):
        value = field.data or ""
        if not (any(c.isalpha() for c in value) and any(c.isdigit() for c in value)):
            raise ValidationError(_l("Use at least one letter and one digit."))
        if value == self.current_password.data:
            raise ValidationError(_l("The new password must differ from the current one."))
