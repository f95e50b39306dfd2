"""Multiple choice with partial credit: each correct option chosen +1/k, each wrong one −1/k
(k = number of correct options), floored at 0. So full marks iff exactly the key is chosen."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from flask_babel import gettext as _

from app.questions.types import register
from app.questions.types.base import Grade, Problem, ResponseInvalid, answer_element, gift_escape
from app.questions.types.choice import ChoiceType


@register
class Multiple(ChoiceType):
    name = "multiple"
    moodle_type = "multichoice"
    max_options = 8

    def validate(self, data: dict) -> list[Problem]:
        problems = self.validate_options(data)
        if not problems and sum(1 for o in data["options"] if o.get("correct")) < 2:
            problems.append(Problem("options", _("a multiple-choice question needs at least two correct options.")))
        return problems

    def clean_response(self, definition, order, raw):
        choices = raw.get("choices") if isinstance(raw, dict) else raw
        if choices in (None, "", []):
            return None
        if not isinstance(choices, list):
            raise ResponseInvalid(_("Choose options from the list."))
        originals = sorted({self._original(order, c) for c in choices})
        return {"choices": originals}

    def display_response(self, definition, order, response):
        if not response:
            return {}
        return {"choices": sorted(order.index(c) for c in response["choices"])}

    def grade(self, definition, response) -> Grade:
        if not response:
            return Grade(0.0)
        key = set(self.correct(definition))
        chosen = set(response["choices"])
        raw = (len(chosen & key) - len(chosen - key)) / len(key)
        fraction = max(0.0, min(1.0, raw))
        if chosen == key:
            fraction = 1.0  # exact, whatever the float arithmetic says
        return Grade(fraction)

    def describe_response(self, definition, response) -> str:
        return "; ".join(definition["options"][i]["text"] for i in response["choices"]) if response else ""

    @staticmethod
    def _weight(correct: bool, k: int) -> float:
        return (100 if correct else -100) / k

    def to_gift(self, definition, stem):
        k = len(self.correct(definition))
        parts = [f"~%{self._weight(o['correct'], k):.5g}%{gift_escape(o['text'])}" for o in definition["options"]]
        return stem, " ".join(parts)

    def to_moodle_xml(self, definition, question: ET.Element, points: float) -> None:
        k = len(self.correct(definition))
        ET.SubElement(question, "single").text = "false"
        ET.SubElement(question, "shuffleanswers").text = "1"
        ET.SubElement(question, "answernumbering").text = "abc"
        for option in definition["options"]:
            answer_element(question, self._weight(option["correct"], k), option["text"])
