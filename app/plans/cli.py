from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.config import ROOT
from app.extensions import db
from app.plans import services

plans_cli = click.Group("plans", help="Learning-plan templates.")


@plans_cli.command("sync")
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def sync(directory: Path | None):
    """Load courses/plans/*.yaml: every file or none; an unchanged file adds nothing."""
    directory = directory or ROOT / "courses" / "plans"
    try:
        versions = services.sync_directory(directory)
    except services.SyncFailed as failed:
        db.session.rollback()
        for problem in failed.problems:
            click.echo(f"{directory}/{problem}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    for version in versions:
        click.echo(_("%(plan)s: version %(n)d loaded.", plan=version.template.slug, n=version.number))
    if not versions:
        click.echo(_("Plans are up to date."))


commands = [plans_cli]
