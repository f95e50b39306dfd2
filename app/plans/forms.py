from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, FieldList, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.accounts.positions import POSITIONS
from app.accounts.services import person_by_employee_no
from app.org.services import unit_by_code
from app.plans.definition import QUALIFICATION_KINDS
from app.plans.models import STATE_LABELS, State


class TemplateEditForm(FlaskForm):
    source = TextAreaField(_l("Plan definition (YAML)"), validators=[DataRequired(_l("The definition cannot be empty.")),
                                                                     Length(max=60_000)])
    submit = SubmitField(_l("Save as a new version"))


class EnrolForm(FlaskForm):
    employee_nos = TextAreaField(_l("Employee numbers (one per line)"), validators=[Optional(), Length(max=20_000)])
    org_code = StringField(_l("Or everyone in org unit (code)"), validators=[Optional(), Length(max=40)])
    position = SelectField(_l("… holding position"), validators=[Optional()])
    start_date = DateField(_l("Start date"), validators=[DataRequired(_l("Enter a start date (YYYY-MM-DD)."))])
    assessors = FieldList(StringField(validators=[Optional(), Length(max=32)]), min_entries=0)
    submit = SubmitField(_l("Enrol"))

    def __init__(self, *args, stages: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.position.choices = [("", _l("Any position"))] + [(code, label) for code, label in POSITIONS.items()]
        while len(self.assessors) < stages:
            self.assessors.append_entry()
        self.unit, self.people, self.assessor_people = None, [], {}

    def validate_org_code(self, field):
        if field.data:
            self.unit = unit_by_code(field.data.strip())
            if self.unit is None:
                raise ValidationError(_l("There is no org unit with this code."))

    def validate_employee_nos(self, field):
        numbers = [n.strip() for n in (field.data or "").replace(",", "\n").splitlines() if n.strip()]
        if not numbers and not self.org_code.data:
            raise ValidationError(_l("Give employee numbers, or an org unit (and position) to enrol everyone there."))
        unknown = [n for n in numbers if person_by_employee_no(n) is None]
        if unknown:
            raise ValidationError(_l("No one has the employee number(s): %(numbers)s", numbers=", ".join(unknown[:10])))
        self.people = [person_by_employee_no(n) for n in dict.fromkeys(numbers)]

    def validate_assessors(self, field):
        for position, entry in enumerate(field.entries, start=1):
            if entry.data and entry.data.strip():
                person = person_by_employee_no(entry.data.strip())
                if person is None:
                    raise ValidationError(_l("Stage %(n)d: no one has the employee number %(no)s.", n=position,
                                             no=entry.data.strip()))
                self.assessor_people[position] = person


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[("waive", _l("Waive the stage")), ("fail", _l("Record as failed")),
                                                    ("reopen", _l("Reopen the stage"))])
    reason = TextAreaField(_l("Reason (kept in the history)"),
                           validators=[DataRequired(_l("Give a reason; it is kept in the history.")), Length(min=4, max=500)])
    submit = SubmitField(_l("Record decision"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason for withdrawing"),
                           validators=[DataRequired(_l("Give a reason; it is kept in the history.")), Length(min=4, max=500)])
    submit = SubmitField(_l("Withdraw from the plan"))


class EvidenceForm(FlaskForm):
    kind = SelectField(_l("Qualification"))
    certificate_no = StringField(_l("Certificate number"),
                                 validators=[DataRequired(_l("Enter the certificate number.")), Length(max=60)])
    certified_on = DateField(_l("Date on the certificate"), validators=[DataRequired(_l("Enter the date (YYYY-MM-DD)."))])
    file = FileField(_l("Certificate or result (PDF, PNG or JPEG, at most 5 MB)"),
                     validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload evidence"))

    def __init__(self, *args, kinds=(), locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        english = bool(locale and locale.startswith("en"))
        self.kind.choices = [(k, QUALIFICATION_KINDS[k][1 if english else 0]) for k in kinds]


class ReviewForm(FlaskForm):
    reason = TextAreaField(_l("Reason (required to reject)"), validators=[Optional(), Length(max=500)])
    verify = SubmitField(_l("Verify the evidence"))
    reject = SubmitField(_l("Reject the evidence"))


class AssessorForm(FlaskForm):
    employee_no = StringField(_l("Assessor's employee number (empty: none)"), validators=[Optional(), Length(max=32)])
    submit = SubmitField(_l("Set assessor"))


class ListFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    plan = SelectField(_l("Plan"), validators=[Optional()])
    stage = SelectField(_l("Stage"), validators=[Optional()],
                        choices=[("", _l("Any stage"))] + [(str(n), str(n)) for n in range(1, 11)])
    state = SelectField(_l("State"), validators=[Optional()],
                        choices=[("", _l("Any state"))] + [(s.value, STATE_LABELS[s]) for s in State])
    org = StringField(_l("Org unit code"), validators=[Optional(), Length(max=40)])

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.plan.choices = [("", _l("Any plan"))] + [(t.slug, t.title) for t in plans]
