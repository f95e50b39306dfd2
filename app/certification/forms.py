from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.certification import types as cert_types
from app.certification.models import RevocationReason


class IssueForm(FlaskForm):
    type_code = SelectField(_l("Certificate"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(message=_l("Give a reason for issuing by hand.")), Length(max=1000)])
    submit = SubmitField(_l("Issue certificate"))

    def __init__(self, *args, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_code.choices = [(t.code, t.name(locale)) for t in cert_types.all_types().values()]


class SuspendForm(FlaskForm):
    reason = TextAreaField(_l("Reason for suspension"), validators=[DataRequired(message=_l("Give a reason for the suspension.")), Length(max=1000)])
    submit = SubmitField(_l("Suspend"))


class RevokeForm(FlaskForm):
    category = SelectField(_l("Reason category (shown publicly)"),
                           choices=[(r.value, r.label) for r in RevocationReason], validators=[DataRequired()])
    reason = TextAreaField(_l("Details (internal)"), validators=[DataRequired(message=_l("Describe why the certificate is revoked.")), Length(max=1000)])
    submit = SubmitField(_l("Revoke for good"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [(r.value, r.label) for r in RevocationReason]


class VerifyForm(FlaskForm):
    """The public lookup: a GET form, nothing to forge."""

    class Meta:
        csrf = False

    serial = StringField(_l("Certificate serial"), validators=[DataRequired(message=_l("Enter the serial printed on the certificate.")), Length(max=40)])
    submit = SubmitField(_l("Verify"))
