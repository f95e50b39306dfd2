"""The demo seed as ordered steps. Each domain adds its own step with `@step(order)`, so the
demo grows with the product without one module knowing every domain."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

from flask_babel import gettext as _

from app.demo.accounts import build_accounts
from app.demo.org import DemoBank, build_org, build_staff


@dataclass
class DemoContext:
    staff: int | None
    rng: random.Random
    bank: DemoBank | None = None
    accounts: dict = field(default_factory=dict)
    report: list[str] = field(default_factory=list)


_STEPS: list[tuple[int, Callable[[DemoContext], None]]] = []


def step(order: int):
    def register(func: Callable[[DemoContext], None]):
        _STEPS.append((order, func))
        return func

    return register


def run_all(staff: int | None, rng: random.Random) -> DemoContext:
    _import_domain_steps()
    context = DemoContext(staff=staff, rng=rng)
    for _order, func in sorted(_STEPS, key=lambda item: item[0]):
        func(context)
    return context


def _import_domain_steps() -> None:
    """Domains register their steps in app/<domain>/demo.py; importing them registers them."""
    from app import _domain_modules

    list(_domain_modules("demo"))


@step(10)
def org_and_staff(context: DemoContext) -> None:
    context.bank = build_org(context.staff)
    count = build_staff(context.bank, context.staff, context.rng)
    bank = context.bank
    context.report.append(
        _("Org: %(branches)d branches, %(subs)d sub-branches, %(outlets)d outlets; %(people)d staff.",
          branches=len(bank.branches), subs=len(bank.sub_branches), outlets=len(bank.outlets), people=count)
    )


@step(20)
def accounts(context: DemoContext) -> None:
    context.accounts = build_accounts(context.bank)
