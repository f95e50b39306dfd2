"""What every question type provides. Definitions are plain dicts (the type-specific part of a
question: options, answers, rubric); responses are small JSON dicts. Grading is pure."""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from flask import render_template
from markupsafe import Markup
from wtforms import Form


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one response: a fraction of the points in [0, 1] and feedback."""

    fraction: float
    feedback: str = ""
    #: True when a person still has to score it (practical items)
    pending: bool = False


@dataclass
class Problem:
    """A definition error: the field it is about (for the line number), the message, and the
    position of the list item at fault when there is one (an option, a rubric criterion)."""

    field: str | None
    message: str
    item: int | None = None


class ResponseInvalid(ValueError):
    """A response that does not fit the question (an option that does not exist, wrong shape)."""


@dataclass
class View:
    """What a trainee is shown of one question: no key, no correct flags, no explanation."""

    kind: str
    options: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


class QuestionType:
    #: the code used in files and the database
    name: str = ""
    #: scored at submit (False: an assessor scores it)
    auto_graded: bool = True
    #: the options are shuffled per attempt
    shuffles: bool = False
    #: the Moodle XML question type
    moodle_type: str = ""

    @property
    def label(self) -> str:
        from app.questions.labels import TYPE_LABELS

        return str(TYPE_LABELS[self.name])

    # --- definition --------------------------------------------------------------------------
    def fields(self) -> tuple[str, ...]:
        """The type-specific keys of a question file entry."""
        return ()

    def validate(self, data: dict) -> list[Problem]:
        raise NotImplementedError

    def definition(self, data: dict) -> dict:
        """The type-specific part to store, from a validated entry."""
        return {key: data[key] for key in self.fields() if key in data}

    def max_points(self, definition: dict, points: float | None) -> float:
        return float(points if points is not None else 1)

    def option_count(self, definition: dict) -> int:
        return 0

    # --- the web editor ----------------------------------------------------------------------
    # A type contributes its own part of the question editor: a wtforms.Form (no CSRF of its own,
    # it is nested in the page's form), the template that lays it out, the form data of a stored
    # definition, and the way back from the submitted part to its keys in the native shape. Those
    # keys are then checked by `validate`, exactly as for an imported file.

    #: the editor has a "points" field (False when the points follow from the definition)
    editor_points: bool = True

    def editor_form(self) -> type[Form]:
        """The class of this type's part of the editor."""
        return Form

    @property
    def editor_template(self) -> str:
        return f"questions/editor/{self.name}.html"

    def editor_data(self, definition: dict) -> dict:
        """The part's form data for a stored definition."""
        return {}

    def editor_prepare(self, part: Form, fresh: bool) -> None:
        """Make room before showing the part: blank rows to fill in (`fresh`: not a submitted form)."""

    def editor_add_row(self, part: Form, name: str) -> None:
        """The trainer pressed "Add a row" of the list `name` (a field name of the part)."""

    def from_editor(self, part: Form) -> dict:
        """The submitted part → the type's keys of a question entry, as a file would give them."""
        return {}

    def editor_field(self, part: Form, problem: Problem) -> str | None:
        """The name of the form field a problem of `validate` is shown at (None: the whole part)."""
        field = part._fields.get(problem.field or "")
        return field.name if field is not None else None

    # --- attempts ----------------------------------------------------------------------------
    def view(self, definition: dict, order: list[int]) -> View:
        raise NotImplementedError

    def clean_response(self, definition: dict, order: list[int], raw) -> dict | None:
        """A response as the browser sends it (display positions) → the stored form (original
        indices); None for "no answer". Raises ResponseInvalid."""
        raise NotImplementedError

    def display_response(self, definition: dict, order: list[int], response: dict | None) -> dict:
        """The stored form → what the input needs to show it again (display positions)."""
        return response or {}

    def grade(self, definition: dict, response: dict | None) -> Grade:
        raise NotImplementedError

    def render(self, definition: dict, order: list[int], response: dict | None, name: str, disabled: bool = False) -> Markup:
        """The input for an attempt page, without any key."""
        return Markup(render_template(f"questions/types/{self.name}.html", view=self.view(definition, order),
                                      value=self.display_response(definition, order, response), name=name,
                                      disabled=disabled))

    # --- the key, for trainers and review ----------------------------------------------------
    def key_texts(self, definition: dict) -> list[str]:
        """The texts that reveal the key (a test scans trainee pages for them)."""
        return []

    def describe_key(self, definition: dict) -> str:
        return ", ".join(self.key_texts(definition))

    def describe_response(self, definition: dict, response: dict | None) -> str:
        return ""

    # --- formats -----------------------------------------------------------------------------
    def to_gift(self, definition: dict, stem: str) -> tuple[str, str]:
        """The stem (possibly with the answer block inside) and the answer block, for GIFT export."""
        raise NotImplementedError

    def to_moodle_xml(self, definition: dict, question: ET.Element, points: float) -> None:
        raise NotImplementedError


def answer_element(parent: ET.Element, fraction: float, text: str, fmt: str = "markdown") -> ET.Element:
    answer = ET.SubElement(parent, "answer", fraction=f"{fraction:.5g}", format=fmt)
    ET.SubElement(answer, "text").text = text
    ET.SubElement(ET.SubElement(answer, "feedback", format="html"), "text").text = ""
    return answer


def gift_escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")
