"""The main menu. Each domain adds its entries with `nav_item`; the menu shows those the person may use."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from app.accounts.models import Person
from app.core import policy


@dataclass
class NavItem:
    endpoint: str
    label: str
    visible: Callable[[Person], bool]
    order: int


_ITEMS: list[NavItem] = []


def nav_item(endpoint: str, label, visible: Callable[[Person], bool] = lambda person: True, order: int = 50) -> None:
    _ITEMS.append(NavItem(endpoint, label, visible, order))


def items_for(person: Person) -> list[NavItem]:
    return [item for item in sorted(_ITEMS, key=lambda i: i.order) if item.visible(person)]


def _oversees(person: Person) -> bool:
    return person.is_admin or bool(policy.scope_units(person))


nav_item("main.home", _l("Home"), order=0)
nav_item("org.tree", _l("Organisation"), _oversees, order=80)
nav_item("people.index", _l("People"), _oversees, order=81)
nav_item("roster.upload", _l("Roster import"), policy.can_administer, order=90)
