"""`flask questions import PATH` and `flask questions export`."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.core.cli import ProgressBar
from app.extensions import db
from app.questions import exporting, services

questions_cli = click.Group("questions", help="The question bank: import and export.")


@questions_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@with_appcontext
def import_command(path: Path):
    """Import questions (YAML, .gift, .aiken) and exams (exams/*.yaml) from a file or a directory.
    Everything is checked first; on any error nothing is imported."""
    bar = ProgressBar(_("Importing"))
    try:
        result = services.import_sources(services.collect(path), progress=bar.update)
    except services.ImportInvalid as invalid:
        bar.finish()
        db.session.rollback()
        for error in invalid.errors:
            click.echo(error, err=True)
        click.echo(_("%(n)d problems: nothing was imported.", n=len(invalid.errors)), err=True)
        raise SystemExit(1) from None
    bar.finish()
    db.session.commit()
    click.echo(_("Questions: %(created)d new, %(changed)d changed (new version), %(unchanged)d unchanged.",
                 created=result.created, changed=result.changed, unchanged=result.unchanged))
    click.echo(_("Exams: %(created)d new, %(changed)d changed, %(unchanged)d unchanged.", **result.exams))


@questions_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["gift", "xml"]), default="gift", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default: standard output).")
@click.option("--include-retired", is_flag=True, help="Export retired questions too.")
@with_appcontext
def export_command(fmt: str, output: Path | None, include_retired: bool):
    """Export the current version of every question as GIFT or Moodle XML."""
    text = exporting.export(fmt, include_retired=include_retired)
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(_("Written to %(path)s.", path=output), err=True)
    else:
        click.echo(text)


commands = [questions_cli]
