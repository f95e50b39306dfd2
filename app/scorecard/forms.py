from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, DecimalField, FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core import clock
from app.scorecard.models import EntryKind
from app.scorecard.services import EntryInput, entry_problems


class EntryForm(FlaskForm):
    """One work-log entry. Which kinds are offered depends on who logs for whom (see the view)."""

    kind = SelectField(_l("What"), validators=[DataRequired()])
    occurred_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    customer = StringField(_l("Customer, company or community"), validators=[Optional(), Length(max=120)])
    reported_on = DateField(_l("Reported to the outlet head on"), validators=[Optional()])
    plan = TextAreaField(_l("Event plan (before)"), validators=[Optional(), Length(max=4000)])
    results = TextAreaField(_l("Event results (after)"), validators=[Optional(), Length(max=4000)])
    score = DecimalField(_l("Score"), places=1, validators=[Optional()])
    severity = SelectField(_l("Severity"), choices=[("", "—"), ("1", "1"), ("2", "2"), ("3", "3")], validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save entry"))

    def __init__(self, kinds: list[EntryKind], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind.value, kind.label) for kind in kinds]
        if not self.occurred_on.data and not self.is_submitted():
            self.occurred_on.data = clock.today()

    def entry(self) -> EntryInput:
        return EntryInput(
            kind=EntryKind(self.kind.data), occurred_on=self.occurred_on.data, customer=(self.customer.data or "").strip(),
            reported_on=self.reported_on.data, plan=(self.plan.data or "").strip(), results=(self.results.data or "").strip(),
            score=self.score.data, severity=int(self.severity.data) if self.severity.data else None,
            note=(self.note.data or "").strip(),
        )

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the work-log rules shared with the import (service.entry_problems)."""
        if not super().validate(extra_validators):
            return False
        problems = entry_problems(self.entry(), clock.today())
        for name, message in problems:
            getattr(self, name).errors = list(getattr(self, name).errors) + [message]
        return not problems


class ResultsForm(FlaskForm):
    results = TextAreaField(_l("Event results (after)"), validators=[DataRequired(_l("Write the results of the event.")), Length(max=4000)])
    submit = SubmitField(_l("Save results"))


class CreativityForm(FlaskForm):
    creativity = IntegerField(_l("Creativity (0–5)"), validators=[InputRequired(_l("Give a creativity score.")), NumberRange(0, 5, _l("Creativity is assessed from 0 to 5."))])
    submit = SubmitField(_l("Assess"))


class ImportForm(FlaskForm):
    file = FileField(_l("Work-log file (CSV or XLSX)"), validators=[
        FileRequired(_l("Choose a file.")), FileAllowed(["csv", "xlsx"], _l("Only CSV and XLSX files are accepted."))])
    submit = SubmitField(_l("Import"))


class RuleRowForm(FlaskForm):
    class Meta:
        csrf = False  # part of RuleSetForm, which carries the token

    rule_id = HiddenField()
    points = DecimalField(_l("Points"), places=2, validators=[InputRequired(_l("Enter the points.")), NumberRange(-100, 100)])
    lower = DecimalField(_l("From (inclusive)"), places=2, validators=[Optional()])
    upper = DecimalField(_l("Below (exclusive)"), places=2, validators=[Optional()])
    enabled = BooleanField(_l("Applies"))


class RuleSetForm(FlaskForm):
    name = StringField(_l("Name of the rule set"), validators=[DataRequired(), Length(max=120)])
    rules = FieldList(FormField(RuleRowForm))
    submit = SubmitField(_l("Save rules"))


class OverrideForm(FlaskForm):
    unit_code = StringField(_l("Org unit code"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Create a rule set for this unit"))
