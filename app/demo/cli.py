import random

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.demo import steps
from app.demo.accounts import DEMO_PASSWORD
from app.extensions import db
from app.org.models import OrgUnit

seed_cli = click.Group("seed", help="Demo data.")


@seed_cli.command("demo")
@click.option("--staff", type=click.IntRange(min=100), default=None, help="How many staff to create (default: about 2,400).")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when the database already has data.")
@with_appcontext
def demo(staff: int | None, if_empty: bool):
    """Build the demo bank, its people and the demo accounts on an empty database."""
    if db.session.scalar(select(func.count()).select_from(OrgUnit)):
        if if_empty:
            click.echo(_("The database already has data; demo seed skipped."))
            return
        raise click.ClickException(_("The database already has data; the demo seed runs only on an empty database."))
    context = steps.run_all(staff=staff, rng=random.Random(2026))
    db.session.commit()
    for line in context.report:
        click.echo(line)
    click.echo(_("Demo accounts (password %(password)s):", password=DEMO_PASSWORD))
    for username, person in context.accounts.items():
        roles = ", ".join(grant.role.label for grant in person.roles)
        click.echo(f"  {username:<10} {person.name} · {person.org_unit.name} · {roles}")
commands = [seed_cli]
