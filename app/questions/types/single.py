"""Single choice: one correct option; 1 for it, else 0."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from flask_babel import gettext as _

from app.questions.types import register
from app.questions.types.base import Grade, Problem, answer_element, gift_escape
from app.questions.types.choice import ChoiceType


@register
class Single(ChoiceType):
    name = "single"
    moodle_type = "multichoice"
    one_correct = True

    def validate(self, data: dict) -> list[Problem]:
        problems = self.validate_options(data)
        if not problems and sum(1 for o in data["options"] if o.get("correct")) != 1:
            problems.append(Problem("options", _("a single-choice question needs exactly one correct option.")))
        return problems

    def clean_response(self, definition, order, raw):
        if raw is None or raw == "" or (isinstance(raw, dict) and raw.get("choice") in (None, "")):
            return None
        choice = raw.get("choice") if isinstance(raw, dict) else raw
        return {"choice": self._original(order, choice)}

    def display_response(self, definition, order, response):
        if not response:
            return {}
        return {"choice": order.index(response["choice"])}

    def grade(self, definition, response) -> Grade:
        if not response:
            return Grade(0.0)
        return Grade(1.0 if response["choice"] in self.correct(definition) else 0.0)

    def describe_response(self, definition, response) -> str:
        return definition["options"][response["choice"]]["text"] if response else ""

    def to_gift(self, definition, stem):
        parts = [("=" if o["correct"] else "~") + gift_escape(o["text"]) for o in definition["options"]]
        return stem, " ".join(parts)

    def to_moodle_xml(self, definition, question: ET.Element, points: float) -> None:
        ET.SubElement(question, "single").text = "true"
        ET.SubElement(question, "shuffleanswers").text = "1"
        ET.SubElement(question, "answernumbering").text = "abc"
        for option in definition["options"]:
            answer_element(question, 100 if option["correct"] else 0, option["text"])
