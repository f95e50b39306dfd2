"""`flask courses sync`: load courses/ into the database."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.config import ROOT
from app.courses.loader import ContentInvalid
from app.courses.sync import sync
from app.extensions import db

courses_cli = click.Group("courses", help="Courses: load the course files.")


@courses_cli.command("sync")
@click.option("--path", "path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=ROOT / "courses",
              show_default=True, help="The courses folder.")
@with_appcontext
def sync_command(path: Path):
    """Load courses/ into the database: new versions for changed courses, retire removed ones; all or nothing."""
    try:
        report = sync(path)
    except ContentInvalid as invalid:
        db.session.rollback()
        for error in invalid.errors:
            click.echo(str(error), err=True)
        click.echo(_("%(count)d problems; nothing was loaded.", count=len(invalid.errors)), err=True)
        raise SystemExit(1) from None
    db.session.commit()
    for label, slugs in ((_("added"), report.added), (_("changed"), report.changed), (_("retired"), report.retired)):
        for slug in slugs:
            click.echo(f"{label}: {slug}")
    for note in report.notes:
        click.echo(note)
    click.echo(_("%(added)d added, %(changed)d changed, %(retired)d retired, %(unchanged)d unchanged.",
                 added=len(report.added), changed=len(report.changed), retired=len(report.retired),
                 unchanged=len(report.unchanged)))


commands = [courses_cli]
