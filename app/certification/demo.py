"""Demo certificates in every state, so the compliance view tells a story on first run: most outlet heads
and account managers licensed, some expiring or expired, a few suspended or revoked, renewals, and people in
licensed posts with no certificate at all — in the demo branch (JS) and across the bank."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person
from app.certification import services
from app.certification import types as cert_types
from app.certification.models import RevocationReason
from app.core import clock
from app.demo.accounts import DEMO_BRANCH
from app.demo.steps import DemoContext, step
from app.extensions import db
from app.org.models import OrgUnit, subtree_clause

#: People given demo certificates through the services (signing each); a larger bank gets a sample.
MAX_DEMO_HOLDERS = 1500
#: Share of people in licensed posts who hold nothing (the branch heads' to-do list).
UNLICENSED_SHARE = 0.2


def _candidates(context: DemoContext) -> list[Person]:
    positions = cert_types.licensed_positions()
    people = list(db.session.scalars(select(Person).where(Person.position.in_(positions)).order_by(Person.id)))
    branch = context.bank.branches[DEMO_BRANCH]
    in_branch = [p for p in people if p.org_unit.path.startswith(branch.path)]
    others = [p for p in people if not p.org_unit.path.startswith(branch.path)]
    context.rng.shuffle(others)
    return in_branch + others[: max(0, MAX_DEMO_HOLDERS - len(in_branch))]


def _issue(person: Person, cert_type, months_ago: int, days_extra: int = 0):
    issued_at = clock.now() - timedelta(days=months_ago * 30 + days_extra)
    evidence = [{"kind": "admin", "reason": _("Demo data"), "by": "demo"}]
    return services.issue(person, cert_type, evidence, f"demo:{person.id}:{months_ago}:{days_extra}", issued_at=issued_at)


#: (state, weight): how the demo spreads certificates over the holders.
STORY = [("valid", 50), ("expiring", 10), ("expired", 8), ("suspended", 3), ("revoked", 3), ("renewed", 6)]


def _make(state: str, person: Person, cert_type, admin: Person, rng) -> None:
    expires = cert_type.validity_months is not None
    if state == "expiring" and expires:
        _issue(person, cert_type, cert_type.validity_months - 1, rng.randint(0, 25))
    elif state == "expired" and expires:
        _issue(person, cert_type, cert_type.validity_months + 1, rng.randint(0, 90))
    elif state == "renewed" and expires:
        old = _issue(person, cert_type, cert_type.validity_months - 2, rng.randint(0, 20))
        services.renew(old, [{"kind": "admin", "reason": _("Demo data: recertification exam passed"), "by": "demo"}])
    else:
        cert = _issue(person, cert_type, rng.randint(0, 12), rng.randint(0, 29))
        if state == "suspended":
            services.suspend(admin, cert, _("Demo data: complaint under investigation"))
        elif state == "revoked":
            services.revoke(admin, cert, RevocationReason.exam_irregularity, _("Demo data: exam irregularity confirmed"))


@step(60)
def certificates(context: DemoContext) -> None:
    admin = context.accounts["admin"]
    states = [state for state, weight in STORY for _ in range(weight)]
    issued, shown = 0, {code: 0 for code in cert_types.all_types()}
    for person in _candidates(context):
        for cert_type in cert_types.required_for(person.position):
            # The first holders of each type (in the demo branch) walk through every state, so each is there to see.
            if shown[cert_type.code] < len(STORY):
                state = STORY[shown[cert_type.code]][0]
                shown[cert_type.code] += 1
            elif context.rng.random() < UNLICENSED_SHARE:
                continue
            else:
                state = context.rng.choice(states)
            _make(state, person, cert_type, admin, context.rng)
            issued += 1
    db.session.flush()
    context.report.append(_("Certificates: %(count)d demo certificates in every state.", count=issued))
