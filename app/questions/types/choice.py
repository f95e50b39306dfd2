"""What single and multiple choice share: options in a per-attempt order."""
from __future__ import annotations

from flask_babel import gettext as _

from app.questions.types.base import Problem, QuestionType, ResponseInvalid, View


class ChoiceType(QuestionType):
    shuffles = True
    min_options = 3
    max_options = 6

    def fields(self) -> tuple[str, ...]:
        return ("options",)

    def definition(self, data: dict) -> dict:
        return {"options": [{"text": str(o["text"]).strip(), "correct": bool(o.get("correct", False))}
                            for o in data["options"]]}

    def validate_options(self, data: dict) -> list[Problem]:
        options = data.get("options")
        if not isinstance(options, list):
            return [Problem("options", _("“options” must be a list of {text, correct}."))]
        problems = []
        if not self.min_options <= len(options) <= self.max_options:
            problems.append(Problem("options", _("needs %(low)d to %(high)d options, has %(n)d.",
                                                 low=self.min_options, high=self.max_options, n=len(options))))
        texts = []
        for option in options:
            if not isinstance(option, dict) or not str(option.get("text", "")).strip():
                problems.append(Problem("options", _("every option needs a non-empty “text”.")))
                continue
            if not isinstance(option.get("correct", False), bool):
                problems.append(Problem("options", _("“correct” must be true or false.")))
            texts.append(str(option["text"]).strip())
        if len(set(texts)) != len(texts):
            problems.append(Problem("options", _("two options have the same text.")))
        return problems

    @staticmethod
    def correct(definition: dict) -> list[int]:
        return [i for i, option in enumerate(definition["options"]) if option["correct"]]

    def option_count(self, definition: dict) -> int:
        return len(definition["options"])

    def view(self, definition: dict, order: list[int]) -> View:
        return View(self.name, [definition["options"][i]["text"] for i in order])

    def _original(self, order: list[int], position) -> int:
        if isinstance(position, str) and position.strip().lstrip("-").isdigit():
            position = int(position)
        if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position < len(order):
            raise ResponseInvalid(_("There is no such option."))
        return order[position]

    def key_texts(self, definition: dict) -> list[str]:
        return [definition["options"][i]["text"] for i in self.correct(definition)]
