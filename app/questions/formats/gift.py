"""Moodle's GIFT format. Supported: multiple choice (one right answer → single; weighted
answers with two or more positive weights → multiple), true/false, short answer (→ fill),
missing-word questions, question names, categories, [markdown]/[html]/[plain] markers, feedback
and general feedback (→ explanation), comments and escapes. Matching, numerical and essay
questions have no counterpart here and are reported as errors with their line."""
from __future__ import annotations

import hashlib
import re

from flask_babel import gettext as _

from app.questions.formats import Entry, FormatError
from app.questions.types.fill import BLANK

_ESCAPES = {"\\~": "~", "\\=": "=", "\\#": "#", "\\{": "{", "\\}": "}", "\\:": ":", "\\n": "\n", "\\\\": "\\"}
_PLACEHOLDER = "\x00"


def unescape(text: str) -> str:
    return re.sub(r"\\[~=#{}:n\\]", lambda m: _ESCAPES[m.group(0)], text)


def _unescaped(text: str, chars: str) -> list[int]:
    """Positions of `chars` not preceded by a backslash escape."""
    positions, index = [], 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] in chars:
            positions.append(index)
        index += 1
    return positions


def slug_id(name: str, stem: str, prefix: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:80] if slug else f"{prefix}-" + hashlib.sha1(stem.encode()).hexdigest()[:10]


def _blocks(text: str):
    """(first line number, lines) of each question, split on blank lines, comments dropped."""
    block, start = [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("//"):
            continue
        if not line.strip():
            if block:
                yield start, block
            block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, block


def read(text: str, name: str) -> list[Entry]:
    entries, errors, category = [], [], ""
    for line, lines in _blocks(text.lstrip("\ufeff")):
        body = "\n".join(lines).strip()
        if body.startswith("$CATEGORY:"):
            category = body.split(":", 1)[1].strip().split("/")[-1]
            continue
        try:
            entries.append(_question(body, name, line, category))
        except ValueError as error:
            errors.append(f"{name}:{line}: {error}")
    if errors:
        raise FormatError(errors)
    return entries


def _question(body: str, name: str, line: int, category: str) -> Entry:
    title = ""
    match = re.match(r"::(.*?)::", body, re.S)
    if match:
        title, body = unescape(match.group(1).strip()), body[match.end():].strip()
    body = re.sub(r"^\[(markdown|html|plain|moodle)\]", "", body)
    opens, closes = _unescaped(body, "{"), _unescaped(body, "}")
    if not opens or not closes or closes[-1] < opens[0]:
        raise ValueError(_("no answer block {…}: descriptions are not questions."))
    before, block, after = body[:opens[0]], body[opens[0] + 1:closes[-1]], body[closes[-1] + 1:]
    data = _answers(block)
    # A missing-word question: the answer block sits inside the sentence, which keeps its spacing.
    stem = (unescape(before) + BLANK + unescape(after)).strip() if after.strip() else unescape(before).strip()
    data.update(id=slug_id(title, stem, "gift"), stem=stem, difficulty=2, points=1,
                tags=[t for t in (category, "gift") if t])
    return Entry(data, name, line, strict=False)


def _answers(block: str) -> dict:
    block = block.strip()
    explanation = ""
    split = block.find("####")
    if split >= 0 and split not in [p + 1 for p in _unescaped(block, "\\")]:
        block, explanation = block[:split].strip(), unescape(block[split + 4:].strip())
    if block.startswith("#"):
        raise ValueError(_("numerical questions are not supported."))
    if not block:
        raise ValueError(_("essay questions are not supported (use a practical item with a rubric)."))
    truth = block.split("#", 1)[0].strip().upper()
    if truth in ("T", "TRUE", "F", "FALSE"):
        return {"type": "truefalse", "answer": truth.startswith("T"), "explanation": explanation}
    if "->" in block:
        raise ValueError(_("matching questions are not supported."))
    return _choices(block, explanation)


def _choices(block: str, explanation: str) -> dict:
    marks = _unescaped(block, "~=")
    if not marks or marks[0] != len(block) - len(block.lstrip()):
        raise ValueError(_("every answer must start with = (right) or ~ (wrong)."))
    answers = []
    for start, end in zip(marks, marks[1:] + [len(block)]):
        token = block[start + 1:end]
        weight = None
        match = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", token)
        if match:
            weight, token = float(match.group(1)), token[match.end():]
        feedback_at = _unescaped(token, "#")
        text = unescape((token[:feedback_at[0]] if feedback_at else token).strip())
        right = block[start] == "=" or (weight is not None and weight > 0)
        answers.append((text, right, block[start]))
    if all(sign == "=" for _t, _r, sign in answers):
        return {"type": "fill", "answers": [t for t, _r, _s in answers], "explanation": explanation}
    right = sum(1 for _t, r, _s in answers if r)
    kind = "single" if right == 1 else "multiple"
    return {"type": kind, "options": [{"text": t, "correct": r} for t, r, _s in answers], "explanation": explanation}
