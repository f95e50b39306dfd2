from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SubmitField


class RosterUploadForm(FlaskForm):
    file = FileField(
        _l("Roster file (CSV or XLSX)"),
        validators=[FileRequired(_l("Choose a file.")), FileAllowed(["csv", "xlsx"], _l("Only CSV and XLSX files are accepted."))],
    )
    create_accounts = BooleanField(_l("Create sign-in accounts for new people"), default=True)
    submit = SubmitField(_l("Import"))
