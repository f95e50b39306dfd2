"""The bank's org tree: head office → regions → branches → sub-branches → outlets."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, ForeignKey, Integer, String, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import binary_string
from app.extensions import db


class OrgKind(enum.Enum):
    head_office = 0
    region = 1
    branch = 2
    sub_branch = 3
    outlet = 4

    @property
    def label(self) -> str:
        return str(ORG_KIND_LABELS[self])


ORG_KIND_LABELS = {
    OrgKind.head_office: _l("Head office"),
    OrgKind.region: _l("Region"),
    OrgKind.branch: _l("Branch"),
    OrgKind.sub_branch: _l("Sub-branch"),
    OrgKind.outlet: _l("Outlet"),
}


class OrgUnit(db.Model):
    """One node of the org tree. `path` is a materialised path of ids ("/1/4/17/"), so a whole
    subtree is one indexed range query (see `subtree_clause`)."""

    __tablename__ = "org_units"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the bank's own code for the unit, unique (e.g. "BJ", "BJ-ZJL-03")
    code: Mapped[str] = mapped_column(String(40), unique=True)
    #: display name in Chinese (the bank's official name)
    name: Mapped[str] = mapped_column(String(120))
    #: English name, where the bank has one
    name_en: Mapped[str | None] = mapped_column(String(120))
    #: level in the tree
    kind: Mapped[OrgKind] = mapped_column(Enum(OrgKind, native_enum=False, length=20))
    #: parent unit; None only for head office
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    #: ids from the root down to this unit, "/1/4/17/"; compared bytewise
    path: Mapped[str] = mapped_column(binary_string(255), index=True, default="")

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent", order_by="OrgUnit.code")

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code} {self.kind.name}>"

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def display_name(self, locale: str | None = None) -> str:
        if locale and locale.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    def set_parent(self, parent: OrgUnit | None) -> None:
        """Place the unit under `parent`; the id must be known (flush first)."""
        self.parent = parent
        self.path = (parent.path if parent else "/") + f"{self.id}/"

    def contains(self, other: OrgUnit) -> bool:
        return other.path.startswith(self.path)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def as_scope(self) -> dict:
        return {"code": self.code, "name": self.name, "kind": self.kind.name}


def subtree_bounds(path: str) -> tuple[str, str]:
    """[low, high) of the paths in the subtree rooted at `path` (inclusive)."""
    return path, path[:-1] + chr(ord("/") + 1)


def subtree_clause(path_column, path: str):
    """SQL condition: `path_column` lies in the subtree rooted at `path` (inclusive).
    A range on a bytewise-compared string, so a plain B-tree index serves it."""
    low, high = subtree_bounds(path)
    return and_(path_column >= low, path_column < high)
