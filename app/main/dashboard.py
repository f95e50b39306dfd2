"""The home page is a list of panels, each contributed by a domain for the roles it serves.
Domains register panels with `panel(roles, order)`; the home page shows those the person's roles allow."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts.models import Person, PersonStatus, Role
from app.core import policy
from app.extensions import db
from app.org.models import OrgKind, OrgUnit


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)


_PANELS: list[tuple[int, tuple[Role, ...], Callable[[Person], Panel | None]]] = []


def panel(*roles: Role, order: int = 50):
    """Register a panel builder for people holding any of `roles` (no roles: everyone)."""

    def register(builder: Callable[[Person], Panel | None]):
        _PANELS.append((order, roles, builder))
        return builder

    return register


def panels_for(person: Person) -> list[Panel]:
    held = person.role_set()
    # Panels for the person's roles (their job) come before those everyone gets.
    ranked = sorted(_PANELS, key=lambda p: (not p[1], p[0]))
    chosen = [builder for order, roles, builder in ranked if not roles or held & set(roles)]
    return [built for built in (builder(person) for builder in chosen) if built is not None]


@panel(order=10)
def profile_panel(person: Person) -> Panel:
    return Panel(_l("My profile"), "main/panels/profile.html", {"person": person})


@panel(Role.branch_head, Role.trainer, Role.assessor, order=20)
def team_panel(person: Person) -> Panel:
    scoped = policy.people_in_scope(person).where(Person.status == PersonStatus.active).subquery()
    by_position = db.session.execute(
        select(scoped.c.position, func.count()).group_by(scoped.c.position).order_by(func.count().desc())
    ).all()
    units = policy.scope_units(person)
    return Panel(
        _l("My people"),
        "main/panels/team.html",
        {"by_position": by_position, "total": sum(n for _, n in by_position), "units": units},
    )


@panel(Role.admin, order=30)
def bank_panel(person: Person) -> Panel:
    units = dict(db.session.execute(select(OrgUnit.kind, func.count()).group_by(OrgUnit.kind)).all())
    people = db.session.scalar(select(func.count()).select_from(Person).where(Person.status == PersonStatus.active))
    accounts = db.session.scalar(select(func.count()).select_from(Person).where(Person.password_hash.is_not(None)))
    return Panel(
        _l("The bank"),
        "main/panels/bank.html",
        {"units": [(kind, units.get(kind, 0)) for kind in OrgKind], "people": people, "accounts": accounts},
    )
