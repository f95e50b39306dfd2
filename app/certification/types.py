"""Certificate types, read once from types.yaml (see the comments there for the format)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

#: Requirement kinds a type may list; each has an evaluator in requirements.py.
KINDS = ("exam", "plan", "course", "qualification")


@dataclass(frozen=True)
class Requirement:
    kind: str
    ref: str
    #: exams only: a score threshold stricter than the exam's own pass mark, in percent
    min_percent: float | None = None

    @classmethod
    def parse(cls, spec: dict) -> Requirement:
        kinds = [kind for kind in KINDS if kind in spec]
        if len(kinds) != 1:
            raise ValueError(f"a requirement names exactly one of {KINDS}: {spec}")
        return cls(kinds[0], str(spec[kinds[0]]), spec.get("min_percent"))


@dataclass(frozen=True)
class Renewal:
    requirement: Requirement
    window_days: int


@dataclass(frozen=True)
class CertType:
    code: str
    name_zh: str
    name_en: str
    requires: tuple[Requirement, ...]
    validity_months: int | None
    renewal: Renewal | None
    positions: tuple[str, ...]

    def name(self, locale: str | None = None) -> str:
        return self.name_en if locale and str(locale).startswith("en") else self.name_zh

    def mentions(self, kind: str, ref: str) -> bool:
        """Whether an event about (kind, ref) may earn or renew this type."""
        found = [r for r in self.requires if (r.kind, r.ref) == (kind, ref)]
        return bool(found) or bool(self.renewal and (self.renewal.requirement.kind, self.renewal.requirement.ref) == (kind, ref))


def _parse(spec: dict) -> CertType:
    renewal = spec.get("renewal")
    return CertType(
        code=spec["code"],
        name_zh=spec["name"]["zh"],
        name_en=spec["name"]["en"],
        requires=tuple(Requirement.parse(r) for r in spec["requires"]),
        validity_months=spec.get("validity_months"),
        renewal=Renewal(Requirement.parse(renewal), int(renewal["window_days"])) if renewal else None,
        positions=tuple(spec.get("positions") or ()),
    )


@lru_cache
def all_types() -> dict[str, CertType]:
    specs = yaml.safe_load((Path(__file__).parent / "types.yaml").read_text(encoding="utf-8"))
    return {spec["code"]: _parse(spec) for spec in specs}


def get(code: str) -> CertType | None:
    return all_types().get(code)


def required_for(position: str | None) -> list[CertType]:
    """The types a person in `position` must hold."""
    return [t for t in all_types().values() if position in t.positions]


def licensed_positions() -> set[str]:
    return {p for t in all_types().values() for p in t.positions}
