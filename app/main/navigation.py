"""The main menu. Each domain adds its entries with `nav_item`; the menu shows those the person may use.
Everyday entries stand in the bar; the tools of trainers and of those who oversee people sit in two
groups, so an admin's menu stays one row."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l

from app.accounts.models import Person
from app.core import policy


#: menu groups, by key: "teach" (what trainers and assessors make and mark), "oversee" (people, plans, rules)
GROUPS = {"teach": _l("Teaching"), "oversee": _l("Management")}


@dataclass
class NavItem:
    endpoint: str
    label: str
    visible: Callable[[Person], bool]
    order: int
    group: str | None = None


@dataclass
class NavGroup:
    key: str
    label: str
    items: list[NavItem]

    def holds(self, endpoint: str | None) -> bool:
        return any(item.endpoint == endpoint for item in self.items)


_ITEMS: list[NavItem] = []


def nav_item(endpoint: str, label, visible: Callable[[Person], bool] = lambda person: True, order: int = 50,
             group: str | None = None) -> None:
    if group is not None and group not in GROUPS:
        raise ValueError(f"unknown menu group {group!r}")
    _ITEMS.append(NavItem(endpoint, label, visible, order, group))


def items_for(person: Person) -> list[NavItem]:
    return [item for item in sorted(_ITEMS, key=lambda i: i.order) if item.visible(person)]


def menu_for(person: Person) -> list[NavItem | NavGroup]:
    """The bar's entries in order: plain items, then each group the person has anything in; a group
    with a single entry is shown as that entry."""
    items = items_for(person)
    menu: list[NavItem | NavGroup] = [item for item in items if item.group is None]
    for key, label in GROUPS.items():
        members = [item for item in items if item.group == key]
        if len(members) == 1:
            menu.append(members[0])
        elif members:
            menu.append(NavGroup(key, label, members))
    return menu


def _oversees(person: Person) -> bool:
    return person.is_admin or bool(policy.scope_units(person))


nav_item("main.home", _l("Home"), order=0)
nav_item("org.tree", _l("Organisation"), _oversees, order=80, group="oversee")
nav_item("people.index", _l("People"), _oversees, order=81, group="oversee")
nav_item("roster.upload", _l("Roster import"), policy.can_administer, order=90, group="oversee")
