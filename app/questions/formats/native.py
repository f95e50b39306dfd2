"""The native YAML format (question_bank/README.md), read with line numbers."""
from __future__ import annotations

import yaml
from flask_babel import gettext as _

from app.questions.formats import Entry, FormatError


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, name: str):
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise FormatError([f"{name}:{line}: " + _("not valid YAML: %(problem)s", problem=getattr(error, "problem", str(error)))]) from None


def read_questions(text: str, name: str) -> list[Entry]:
    document = load_yaml(text, name)
    if not isinstance(document, dict) or not isinstance(document.get("questions"), list):
        raise FormatError([f"{name}:1: " + _("a question file is a mapping with a “questions” list.")])
    entries = []
    for item in document["questions"]:
        if not isinstance(item, LineDict):
            raise FormatError([f"{name}:{getattr(document, 'key_lines', {}).get('questions', 1)}: " + _("every question must be a mapping.")])
        entries.append(Entry(dict(item), name, item.line, dict(item.key_lines)))
    return entries


def plain(value):
    """LineDicts back to plain dicts (for storing as JSON)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
