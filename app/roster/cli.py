import csv
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.core.cli import ProgressBar
from app.core.tabular import TableInvalid
from app.extensions import db
from app.roster import services

roster_cli = click.Group("roster", help="Staff roster import.")


@roster_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--accounts/--no-accounts", default=True, help="Create sign-in accounts for new people.")
@click.option("--passwords-out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the new accounts' temporary passwords to this CSV file.")
@with_appcontext
def import_command(path: Path, accounts: bool, passwords_out: Path | None):
    """Import a roster from a CSV or XLSX file; all rows or none."""
    data = path.read_bytes()
    bar = ProgressBar(_("Importing"))
    try:
        result = services.import_roster(data, path.name, create_accounts=accounts, progress=bar.update)
    except TableInvalid as invalid:
        db.session.rollback()
        for error in invalid.errors:
            click.echo(f"{path}: {error}", err=True)
        raise SystemExit(1) from None
    bar.finish()
    db.session.commit()
    click.echo(_("%(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
                 created=result.created, updated=result.updated, unchanged=result.unchanged))
    if result.new_accounts and passwords_out:
        with passwords_out.open("w", newline="", encoding="utf-8-sig") as handle:
            csv.writer(handle).writerows([("employee_no", "name", "temporary_password"), *result.new_accounts])
        passwords_out.chmod(0o600)
        click.echo(_("Temporary passwords written to %(path)s.", path=passwords_out))
commands = [roster_cli]
