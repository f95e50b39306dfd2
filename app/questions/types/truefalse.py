"""True/false: 1 or 0."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, RadioField

from app.questions.types import register
from app.questions.types.base import Grade, Problem, QuestionType, ResponseInvalid, View, answer_element


@register
class TrueFalse(QuestionType):
    name = "truefalse"
    moodle_type = "truefalse"

    def fields(self) -> tuple[str, ...]:
        return ("answer",)

    def validate(self, data: dict) -> list[Problem]:
        if not isinstance(data.get("answer"), bool):
            return [Problem("answer", _("“answer” must be true or false."))]
        return []

    def editor_form(self) -> type[Form]:
        class TrueFalsePart(Form):
            answer = RadioField(_l("The statement is"), choices=[("true", _l("True")), ("false", _l("False"))],
                                validate_choice=False)
        return TrueFalsePart

    def editor_data(self, definition: dict) -> dict:
        return {"answer": {True: "true", False: "false"}.get(definition.get("answer"))}

    def from_editor(self, part) -> dict:
        return {"answer": {"true": True, "false": False}.get(part.answer.data)}

    def view(self, definition, order) -> View:
        return View(self.name)

    def clean_response(self, definition, order, raw):
        value = raw.get("value") if isinstance(raw, dict) else raw
        if value in (None, ""):
            return None
        if isinstance(value, str):
            if value.lower() not in ("true", "false"):
                raise ResponseInvalid(_("Answer true or false."))
            value = value.lower() == "true"
        if not isinstance(value, bool):
            raise ResponseInvalid(_("Answer true or false."))
        return {"value": value}

    def grade(self, definition, response) -> Grade:
        if not response:
            return Grade(0.0)
        return Grade(1.0 if response["value"] is definition["answer"] else 0.0)

    def key_texts(self, definition) -> list[str]:
        return []  # "true"/"false" appear on every page; the key is checked through the API shape instead

    def describe_key(self, definition) -> str:
        return _("True") if definition["answer"] else _("False")

    def describe_response(self, definition, response) -> str:
        if not response:
            return ""
        return _("True") if response["value"] else _("False")

    def to_gift(self, definition, stem):
        return stem, "TRUE" if definition["answer"] else "FALSE"

    def to_moodle_xml(self, definition, question: ET.Element, points: float) -> None:
        answer_element(question, 100 if definition["answer"] else 0, "true", "moodle_auto_format")
        answer_element(question, 0 if definition["answer"] else 100, "false", "moodle_auto_format")
