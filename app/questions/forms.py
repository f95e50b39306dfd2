from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import MultipleFileField, SubmitField, TextAreaField
from wtforms.validators import DataRequired


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
