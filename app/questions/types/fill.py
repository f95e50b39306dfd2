"""Fill in the blank: right if the response equals an accepted answer after normalising
full-width/half-width forms (NFKC), case (casefold) and all white space (removed)."""
from __future__ import annotations

import re
import unicodedata
from xml.etree import ElementTree as ET

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Form, TextAreaField

from app.questions.types import register
from app.questions.types.base import Grade, Problem, QuestionType, ResponseInvalid, View, answer_element, gift_escape

BLANK = "____"
_SPACE = re.compile(r"\s+", re.UNICODE)
MAX_LENGTH = 500


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    # casefold can produce characters that NFKC would fold again (rare, e.g. ß → ss is stable)
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@register
class Fill(QuestionType):
    name = "fill"
    moodle_type = "shortanswer"

    def fields(self) -> tuple[str, ...]:
        return ("answers",)

    def definition(self, data: dict) -> dict:
        return {"answers": [str(a).strip() for a in data["answers"]]}

    def validate(self, data: dict) -> list[Problem]:
        answers = data.get("answers")
        if not isinstance(answers, list) or not answers:
            return [Problem("answers", _("“answers” must be a non-empty list of accepted answers."))]
        if any(not normalise(str(a)) for a in answers if a is not None) or None in answers:
            return [Problem("answers", _("an accepted answer is empty."))]
        return []

    def editor_form(self) -> type[Form]:
        class FillPart(Form):
            answers = TextAreaField(_l("Accepted answers"), render_kw={"rows": 4})
        return FillPart

    def editor_data(self, definition: dict) -> dict:
        return {"answers": "\n".join(definition.get("answers") or [])}

    def from_editor(self, part) -> dict:
        return {"answers": [line.strip() for line in (part.answers.data or "").splitlines() if line.strip()]}

    def view(self, definition, order) -> View:
        return View(self.name)

    def clean_response(self, definition, order, raw):
        text = raw.get("text") if isinstance(raw, dict) else raw
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        if not isinstance(text, str):
            raise ResponseInvalid(_("The answer must be text."))
        if len(text) > MAX_LENGTH:
            raise ResponseInvalid(_("The answer is longer than %(n)d characters.", n=MAX_LENGTH))
        return {"text": text}

    def grade(self, definition, response) -> Grade:
        if not response:
            return Grade(0.0)
        given = normalise(response["text"])
        return Grade(1.0 if any(given == normalise(a) for a in definition["answers"]) else 0.0)

    def key_texts(self, definition) -> list[str]:
        return list(definition["answers"])

    def describe_key(self, definition) -> str:
        return " / ".join(definition["answers"])

    def describe_response(self, definition, response) -> str:
        return response["text"] if response else ""

    def to_gift(self, definition, stem):
        block = " ".join("=" + gift_escape(a) for a in definition["answers"])
        return stem, block

    def to_moodle_xml(self, definition, question: ET.Element, points: float) -> None:
        ET.SubElement(question, "usecase").text = "0"
        for answer in definition["answers"]:
            answer_element(question, 100, answer, "moodle_auto_format")
