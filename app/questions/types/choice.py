"""What single and multiple choice share: options in a per-attempt order."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, Form, FormField, StringField

from app.questions.types import editing
from app.questions.types.base import Problem, QuestionType, ResponseInvalid, View


class OptionRow(Form):
    """One option of the editor. Single choice marks the correct one with a radio button of the
    part (`correct`); multiple choice ticks `correct` in each row."""

    text = StringField(_l("Option text"))


class TickedOptionRow(OptionRow):
    correct = BooleanField(_l("Correct"))


class ChoiceType(QuestionType):
    shuffles = True
    min_options = 3
    max_options = 6

    def fields(self) -> tuple[str, ...]:
        return ("options",)

    def definition(self, data: dict) -> dict:
        return {"options": [{"text": str(o["text"]).strip(), "correct": bool(o.get("correct", False))}
                            for o in data["options"]]}

    #: exactly one correct option, chosen with a radio button (else a tick per option)
    one_correct = False

    # --- the editor: one row per option, up to the most options allowed -----------------------
    def editor_form(self) -> type[Form]:
        row = OptionRow if self.one_correct else TickedOptionRow
        fields = {"options": FieldList(FormField(row), min_entries=self.min_options, max_entries=self.max_options)}
        if self.one_correct:
            fields["correct"] = StringField(_l("Correct option"))
        return type(f"{self.name.title()}Part", (Form,), fields)

    def editor_data(self, definition: dict) -> dict:
        options = definition.get("options") or []
        data = {"options": [{"text": o["text"], "correct": o["correct"]} for o in options]}
        if self.one_correct:
            data["correct"] = next((str(i) for i, o in enumerate(options) if o["correct"]), "")
        return data

    def editor_prepare(self, part, fresh: bool) -> None:
        editing.pad(part.options, self.max_options, self.max_options)

    def _ticked(self, part, position: int) -> bool:
        if self.one_correct:
            return (part.correct.data or "") == str(position)
        return bool(part.options.entries[position].form.correct.data)

    def from_editor(self, part) -> dict:
        # A row with no text is left out, unless it is marked correct: then the check says the
        # option needs a text, at that row.
        options = []
        for position, entry in enumerate(part.options.entries):
            text, correct = (entry.form.text.data or "").strip(), self._ticked(part, position)
            if text or correct:
                options.append({"text": text, "correct": correct})
        return {"options": options}

    def _editor_positions(self, part) -> list[int]:
        return [i for i, entry in enumerate(part.options.entries)
                if (entry.form.text.data or "").strip() or self._ticked(part, i)]

    def editor_field(self, part, problem: Problem) -> str | None:
        if problem.field == "options":
            positions = self._editor_positions(part)
            if problem.item is not None and 0 <= problem.item < len(positions):
                return part.options.entries[positions[problem.item]].name
            return part.options.name
        return super().editor_field(part, problem)

    def validate_options(self, data: dict) -> list[Problem]:
        options = data.get("options")
        if not isinstance(options, list):
            return [Problem("options", _("“options” must be a list of {text, correct}."))]
        problems = []
        if not self.min_options <= len(options) <= self.max_options:
            problems.append(Problem("options", _("needs %(low)d to %(high)d options, has %(n)d.",
                                                 low=self.min_options, high=self.max_options, n=len(options))))
        texts = []
        for item, option in enumerate(options):
            if not isinstance(option, dict) or not str(option.get("text", "")).strip():
                problems.append(Problem("options", _("every option needs a non-empty “text”."), item))
                continue
            if not isinstance(option.get("correct", False), bool):
                problems.append(Problem("options", _("“correct” must be true or false."), item))
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
