"""`flask exams close-overdue`: finish attempts left open past their deadline (run it from cron
every minute; pages and the API also close them lazily when touched)."""
import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.exams import services
from app.extensions import db

exams_cli = click.Group("exams", help="Exams and attempts.")


@exams_cli.command("close-overdue")
@with_appcontext
def close_overdue():
    """Finish every open attempt past its deadline (plus grace) with its last saved answers."""
    closed = services.close_overdue()
    db.session.commit()
    click.echo(_("%(n)d overdue attempts closed.", n=closed))


commands = [exams_cli]
