"""Practical items (role-play drill, script drill, mystery-shopper item): an assessor scores each
rubric criterion. The trainee may leave a note; grading here only says "pending"."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField

from app.questions.types import editing

from app.questions.types import register
from app.questions.types.base import Grade, Problem, QuestionType, ResponseInvalid, View

KINDS = ("role_play", "script", "mystery_shopper")
MAX_NOTE = 4000
#: empty criterion rows offered in the editor (more with "Add a row")
BLANK_ROWS = 2


class CriterionRow(Form):
    criterion = StringField(_l("Criterion"))
    points = StringField(_l("Points"), render_kw={"inputmode": "decimal"})
    good = TextAreaField(_l("What good looks like"), render_kw={"rows": 2})


class PracticalPart(Form):
    kind = SelectField(_l("Kind of item"), validate_choice=False)
    rubric = FieldList(FormField(CriterionRow), min_entries=1)

    def __init__(self, *args, **kwargs):
        from app.questions.labels import KIND_LABELS

        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("Choose…"))] + [(kind, KIND_LABELS[kind]) for kind in KINDS]


@register
class Practical(QuestionType):
    name = "practical"
    auto_graded = False
    moodle_type = "essay"

    def fields(self) -> tuple[str, ...]:
        return ("kind", "rubric")

    def definition(self, data: dict) -> dict:
        return {"kind": data["kind"], "rubric": [
            {"criterion": str(c["criterion"]).strip(), "points": c["points"], "good": str(c.get("good", "")).strip()}
            for c in data["rubric"]]}

    # the question's points are the sum of the rubric points
    editor_points = False

    def editor_form(self) -> type[Form]:
        return PracticalPart

    def editor_data(self, definition: dict) -> dict:
        return {"kind": definition.get("kind", ""), "rubric": [
            {"criterion": c["criterion"], "points": f"{c['points']:g}", "good": c.get("good", "")}
            for c in definition.get("rubric") or []]}

    def editor_prepare(self, part, fresh: bool) -> None:
        if fresh:
            editing.pad(part.rubric, BLANK_ROWS)

    def editor_add_row(self, part, name: str) -> None:
        if name == part.rubric.name:
            part.rubric.append_entry()

    def from_editor(self, part) -> dict:
        data = {"rubric": [{"criterion": (row.form.criterion.data or "").strip(),
                            "points": editing.number(row.form.points.data),
                            "good": (row.form.good.data or "").strip()}
                           for row in part.rubric.entries if not editing.blank(row.form)]}
        if part.kind.data:
            data["kind"] = part.kind.data
        return data

    def editor_field(self, part, problem: Problem) -> str | None:
        if problem.field == "rubric":
            return editing.row_name(part.rubric, problem.item)
        return super().editor_field(part, problem)

    def validate(self, data: dict) -> list[Problem]:
        problems = []
        if data.get("kind") not in KINDS:
            problems.append(Problem("kind", _("“kind” must be one of %(kinds)s.", kinds=", ".join(KINDS))))
        rubric = data.get("rubric")
        if not isinstance(rubric, list) or not rubric:
            return problems + [Problem("rubric", _("“rubric” must be a non-empty list of {criterion, points, good}."))]
        for position, item in enumerate(rubric):
            if not isinstance(item, dict) or not str(item.get("criterion", "")).strip():
                problems.append(Problem("rubric", _("every rubric item needs a “criterion”."), position))
            elif isinstance(item.get("points"), bool) or not isinstance(item.get("points"), (int, float)) or item["points"] <= 0:
                problems.append(Problem("rubric", _("rubric points must be a positive number."), position))
        if "points" in data and not problems and data["points"] != sum(c["points"] for c in rubric):
            problems.append(Problem("points", _("“points” must equal the sum of the rubric points (%(sum)s).",
                                                sum=sum(c["points"] for c in rubric))))
        return problems

    def max_points(self, definition, points) -> float:
        return float(sum(c["points"] for c in definition["rubric"]))

    def view(self, definition, order) -> View:
        # Criteria names are shown so the trainee knows what is assessed; the "good" notes are the key.
        return View(self.name, extra={"kind": definition["kind"],
                                      "criteria": [(c["criterion"], c["points"]) for c in definition["rubric"]]})

    def clean_response(self, definition, order, raw):
        note = raw.get("note") if isinstance(raw, dict) else raw
        if note is None or (isinstance(note, str) and not note.strip()):
            return None
        if not isinstance(note, str) or len(note) > MAX_NOTE:
            raise ResponseInvalid(_("The note must be text of at most %(n)d characters.", n=MAX_NOTE))
        return {"note": note}

    def grade(self, definition, response) -> Grade:
        return Grade(0.0, pending=True)

    @staticmethod
    def score(definition: dict, points: list[float]) -> float:
        """The fraction from the assessor's points per criterion."""
        total = sum(c["points"] for c in definition["rubric"])
        return max(0.0, min(1.0, sum(points) / total))

    def key_texts(self, definition) -> list[str]:
        return [c["good"] for c in definition["rubric"] if c["good"]]

    def describe_key(self, definition) -> str:
        return "; ".join(f"{c['criterion']} ({c['points']})" for c in definition["rubric"])

    def describe_response(self, definition, response) -> str:
        return response["note"] if response else ""

    def rubric_text(self, definition) -> str:
        return "\n".join(f"- {c['criterion']} ({c['points']}): {c['good']}" for c in definition["rubric"])

    def to_gift(self, definition, stem):
        return stem, ""

    def to_moodle_xml(self, definition, question: ET.Element, points: float) -> None:
        ET.SubElement(question, "responseformat").text = "editor"
        ET.SubElement(question, "responserequired").text = "0"
        info = ET.SubElement(question, "graderinfo", format="markdown")
        ET.SubElement(info, "text").text = self.rubric_text(definition)
