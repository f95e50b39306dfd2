"""File formats of the question bank: native YAML, GIFT and Aiken in; GIFT and Moodle XML out.
Every reader returns Entry objects in the native shape, with line numbers for error messages."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Entry:
    """One question read from a file, as a native-format dict."""

    data: dict
    file: str
    line: int
    #: line of each key, where the format knows it
    lines: dict[str, int] = field(default_factory=dict)
    #: native files must explain every answer; GIFT and Aiken often do not
    strict: bool = True

    def where(self, key: str | None = None) -> str:
        return f"{self.file}:{self.lines.get(key, self.line) if key else self.line}"


class FormatError(Exception):
    """A file that cannot be read at all; messages are already "file:line: reason"."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors
