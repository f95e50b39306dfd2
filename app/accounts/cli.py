import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import ApiToken, Person
from app.extensions import db

tokens_cli = click.Group("tokens", help="API bearer tokens.")
users_cli = click.Group("users", help="Sign-in accounts.")


def _person(username: str) -> Person:
    person = db.session.scalars(
        select(Person).where((Person.username == username) | (Person.employee_no == username))
    ).first()
    if person is None:
        raise click.ClickException(_("No person with username or employee number %(name)s.", name=username))
    return person


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for.")
@with_appcontext
def create_token(username: str, name: str):
    """Create a token for USERNAME and print it (shown only once)."""
    token, secret = ApiToken.issue(_person(username), name)
    db.session.add(token)
    db.session.commit()
    click.echo(secret)


@tokens_cli.command("revoke")
@click.argument("token_or_prefix")
@with_appcontext
def revoke_token(token_or_prefix: str):
    """Revoke a token, given in full or by the prefix `tokens list` shows."""
    found = db.session.scalars(
        select(ApiToken).where(
            (ApiToken.token_hash == ApiToken.hash(token_or_prefix)) | (ApiToken.prefix == token_or_prefix)
        )
    ).all()
    if len(found) != 1:
        raise click.ClickException(_("No single token matches %(value)s.", value=token_or_prefix))
    found[0].revoke()
    db.session.commit()
    click.echo(_("Token %(prefix)s revoked.", prefix=found[0].prefix))


@tokens_cli.command("list")
@click.argument("username")
@with_appcontext
def list_tokens(username: str):
    """List USERNAME's tokens."""
    person = _person(username)
    for token in db.session.scalars(select(ApiToken).where(ApiToken.person_id == person.id)):
        state = _("revoked") if token.revoked_at else _("active")
        click.echo(f"{token.prefix}\t{token.name}\t{token.created_at:%Y-%m-%d %H:%M}\t{state}")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option()
@click.option("--temporary", is_flag=True, help="Must be changed at next sign-in.")
@with_appcontext
def set_password(username: str, password: str, temporary: bool):
    """Set USERNAME's password."""
    person = _person(username)
    person.set_password(password, temporary=temporary)
    person.username = person.username or person.employee_no
    db.session.commit()
    click.echo(_("Password set."))
commands = [tokens_cli, users_cli]
