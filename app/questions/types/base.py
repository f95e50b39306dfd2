"""What every question type provides. Definitions are plain dicts (the type-specific part of a
question: options, answers, rubric); responses are small JSON dicts. Grading is pure."""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from flask import render_template
from markupsafe import Markup


@dataclass(frozen=True)
class Grade:
    """The outcome of grading one response: a fraction of the points in [0, 1] and feedback."""

    fraction: float
    feedback: str = ""
    #: True when a person still has to score it (practical items)
    pending: bool = False


@dataclass
class Problem:
    """A definition error: the field it is about (for the line number) and the message."""

    field: str | None
    message: str


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
