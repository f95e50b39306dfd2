"""The registry of question types. Each type is a plugin (a QuestionType subclass registered with
`register`): it validates its definition, renders its input, grades a response without side
effects and imports/exports itself. The rest of the engine only talks to types through here."""
from __future__ import annotations

from app.questions.types.base import Grade, QuestionType, ResponseInvalid

_REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    _REGISTRY[cls.name] = cls()
    return cls


def get(name: str) -> QuestionType:
    return _REGISTRY[name]


def names() -> list[str]:
    return list(_REGISTRY)


def all_types() -> list[QuestionType]:
    return list(_REGISTRY.values())


from app.questions.types import fill, multiple, practical, single, truefalse  # noqa: E402,F401

__all__ = ["Grade", "QuestionType", "ResponseInvalid", "register", "get", "names", "all_types"]
