from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (DateField, FieldList, Form, FormField, SelectField, SelectMultipleField, StringField, SubmitField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.accounts.positions import POSITIONS
from app.accounts.services import person_by_employee_no
from app.org.services import unit_by_code
from app.plans.definition import ASSESSMENT_KINDS, QUALIFICATION_KINDS, qualification_name
from app.plans.models import ENROLMENT_STATES, STATE_LABELS


class TemplateEditForm(FlaskForm):
    source = TextAreaField(_l("Plan definition (YAML)"), validators=[DataRequired(_l("The definition cannot be empty.")),
                                                                     Length(max=60_000)])
    submit = SubmitField(_l("Save as a new version"))


# --- the plan editor ---------------------------------------------------------------------------------
# Nothing is checked by these forms (CSRF aside): app/plans/editor.py turns the submitted form into the
# data a plan file holds and the file validator (app/plans/definition.py) checks it; each problem is
# shown at its field. Select fields keep whatever was sent, so a wrong value is reported, not dropped.
TASK_KINDS = {"course": _l("Course"), "lesson": _l("Lesson"), "reading": _l("Reading"), "practice": _l("Practice exam")}
ASSESSMENT_LABELS = {"exam": _l("Exam"), "practical": _l("Practical drill (scored by an assessor)"),
                     "external": _l("External qualification (evidence uploaded)")}
WEEKDAY_LABELS = {"mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"), "thu": _l("Thursday"),
                  "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday")}
SESSION_KINDS = {"none": _l("No fixed session"), "weekly": _l("Every week"), "date": _l("On a date")}
_CODE = {"spellcheck": "false", "autocapitalize": "off", "autocomplete": "off"}


class TaskRow(Form):
    kind = SelectField(_l("Kind"), choices=list(TASK_KINDS.items()), validate_choice=False)
    value = StringField(_l("Course, lesson, exam or reading"), render_kw=_CODE)
    title = StringField(_l("Title (Chinese, optional)"))
    title_en = StringField(_l("Title (English, optional)"))


class AssessmentRow(Form):
    kind = SelectField(_l("Kind"), choices=[(k, ASSESSMENT_LABELS[k]) for k in ASSESSMENT_KINDS], validate_choice=False)
    exam = StringField(_l("Exam id (exam or drill)"), render_kw={**_CODE, "list": "plan-exams"})
    qualification = SelectField(_l("Qualification (external)"), validate_choice=False)
    title = StringField(_l("Title (Chinese)"))
    title_en = StringField(_l("Title (English)"))
    description = TextAreaField(_l("What to upload (Chinese)"), render_kw={"rows": 2})
    description_en = TextAreaField(_l("What to upload (English)"), render_kw={"rows": 2})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.qualification.choices = [("", _l("—"))] + [(k, f"{zh} / {en}") for k, (zh, en) in QUALIFICATION_KINDS.items()]


class GoalRow(Form):
    title = StringField(_l("Goal (Chinese)"))
    title_en = StringField(_l("Goal (English)"))
    when = StringField(_l("When (optional)"))


class StageRow(Form):
    title = StringField(_l("Stage title (Chinese)"))
    title_en = StringField(_l("Stage title (English)"))
    weeks = StringField(_l("Weeks"), render_kw={"inputmode": "numeric", "size": 4})
    summary = TextAreaField(_l("Summary (Chinese)"), render_kw={"rows": 2})
    summary_en = TextAreaField(_l("Summary (English)"), render_kw={"rows": 2})
    tasks = FieldList(FormField(TaskRow), min_entries=0)
    assessments = FieldList(FormField(AssessmentRow), min_entries=0)
    assessor = SelectField(_l("Assessor (position)"), validate_choice=False)
    session_kind = SelectField(_l("Assessment session"), choices=list(SESSION_KINDS.items()), validate_choice=False)
    weekday = SelectField(_l("Weekday"), choices=list(WEEKDAY_LABELS.items()), validate_choice=False)
    date = StringField(_l("Date"), render_kw={"type": "date"})
    start = StringField(_l("Starts"), render_kw={"type": "time"})
    end = StringField(_l("Ends"), render_kw={"type": "time"})
    place = StringField(_l("Place (Chinese)"))
    place_en = StringField(_l("Place (English)"))
    follow_up = FieldList(FormField(GoalRow), min_entries=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessor.choices = [("", _l("Nobody in particular"))] + list(POSITIONS.items())


class PlanEditorForm(FlaskForm):
    title = StringField(_l("Title (Chinese)"))
    title_en = StringField(_l("Title (English)"))
    description = TextAreaField(_l("Description (Chinese)"), render_kw={"rows": 3})
    description_en = TextAreaField(_l("Description (English)"), render_kw={"rows": 3})
    qualifies_for = StringField(_l("Completing it records (Chinese)"))
    qualifies_for_en = StringField(_l("Completing it records (English)"))
    audience_positions = SelectMultipleField(_l("For people in these positions"), validate_choice=False)
    references = TextAreaField(_l("Reading list (one per line)"), render_kw={"rows": 3})
    stages = FieldList(FormField(StageRow), min_entries=0)
    save = SubmitField(_l("Save as a new version"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audience_positions.choices = list(POSITIONS.items())


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
        self.kind.choices = [(k, qualification_name(k, locale)) for k in kinds]


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
                        choices=[("", _l("Any state"))] + [(s.value, STATE_LABELS[s]) for s in ENROLMENT_STATES])
    org = StringField(_l("Org unit code"), validators=[Optional(), Length(max=40)])

    def __init__(self, *args, plans=(), locale: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan.choices = [("", _l("Any plan"))] + [(t.slug, t.display_title(locale)) for t in plans]
