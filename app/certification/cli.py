import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.certification import reminders, signing

certs_cli = click.Group("certs", help="Certificates: signing keys and expiry reminders.")


@certs_cli.command("rotate-key")
@with_appcontext
def rotate_key():
    """Start signing with a new Ed25519 key; earlier public keys stay in the JWKS."""
    kid = signing.create_key()
    click.echo(_("New signing key %(kid)s; %(count)d keys published.", kid=kid, count=len(signing.jwks()["keys"])))


@certs_cli.command("remind")
@click.option("--days", type=click.IntRange(min=1, max=365), default=reminders.DEFAULT_DAYS, show_default=True,
              help="Certificates expiring within this many days.")
@with_appcontext
def remind(days: int):
    """List holders (and their heads) whose certificates expire soon; e-mail them when SMTP_HOST is set."""
    items = reminders.reminders(days)
    for item in items:
        cert = item.certificate
        heads = ", ".join(head.name for head in item.heads) or "-"
        click.echo(f"{cert.valid_until:%Y-%m-%d}  {cert.serial}  {cert.holder.employee_no} {cert.holder.name}  "
                   f"{cert.type_name()}  {_('heads')}: {heads}  {item.renew_url}")
    click.echo(_("%(count)d certificates expire within %(days)d days.", count=len(items), days=days))
    settings = reminders.smtp_settings()
    if settings is None:
        click.echo(_("SMTP_HOST is not set: no e-mail sent."))
        return
    click.echo(_("%(count)d e-mails sent.", count=reminders.send(items, settings)))


commands = [certs_cli]
