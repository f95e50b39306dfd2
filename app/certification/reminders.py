"""Reminders of certificates that expire soon: to the holder and to the branch heads above them.
Listed by `flask certs remind`; e-mailed when SMTP_HOST is set; shown in-app on the home page."""
from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import Person, PersonStatus, Role, RoleGrant
from app.certification import credential
from app.certification.models import Certificate, CertStatus
from app.core import clock
from app.extensions import db

DEFAULT_DAYS = 60


@dataclass
class Reminder:
    certificate: Certificate
    heads: list[Person] = field(default_factory=list)

    @property
    def renew_url(self) -> str:
        return f"{credential.base_url()}/certification/"


def expiring(days: int = DEFAULT_DAYS, holder: Person | None = None) -> list[Certificate]:
    """Live certificates whose expiry falls within `days` from now, soonest first."""
    now = clock.now()
    query = (select(Certificate).join(Person, Person.id == Certificate.person_id)
             .where(Certificate.status.in_([CertStatus.valid.value, CertStatus.expiring.value]),
                    Certificate.valid_until <= now + timedelta(days=days), Person.status == PersonStatus.active)
             .order_by(Certificate.valid_until))
    if holder is not None:
        query = query.where(Certificate.person_id == holder.id)
    return list(db.session.scalars(query))


def reminders(days: int = DEFAULT_DAYS) -> list[Reminder]:
    """Each expiring certificate with the branch heads whose scope covers its holder (two queries in all)."""
    certificates = expiring(days)
    grants = db.session.scalars(select(RoleGrant).where(RoleGrant.role == Role.branch_head)).all()
    return [Reminder(cert, [g.person for g in grants if g.org_unit and g.org_unit.contains(cert.holder.org_unit)])
            for cert in certificates]


def message(reminder: Reminder, recipient: Person, sender: str) -> EmailMessage:
    """The reminder in the language in effect (the bank's default for the command), certificate name included."""
    cert = reminder.certificate
    locale = str(get_locale() or "")
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = recipient.username or recipient.employee_no
    mail["Subject"] = _("Certificate expires on %(date)s: %(type)s", date=clock.local_date(cert.valid_until).isoformat(),
                        type=cert.type_name(locale))
    mail.set_content(_("%(holder)s's certificate %(serial)s (%(type)s) expires on %(date)s. Renew it here: %(url)s",
                       holder=cert.holder.name, serial=cert.serial, type=cert.type_name(locale),
                       date=clock.local_date(cert.valid_until).isoformat(), url=reminder.renew_url))
    return mail


def smtp_settings() -> dict | None:
    """SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, MAIL_DOMAIN from the environment; None without a host."""
    host = os.environ.get("SMTP_HOST")
    if not host:
        return None
    return {"host": host, "port": int(os.environ.get("SMTP_PORT", "25")), "user": os.environ.get("SMTP_USER"),
            "password": os.environ.get("SMTP_PASSWORD"), "sender": os.environ.get("SMTP_FROM", "leadgoose@localhost"),
            "domain": os.environ.get("MAIL_DOMAIN")}


def address(person: Person, settings: dict) -> str | None:
    """The bank's addresses are <username>@MAIL_DOMAIN; people without an account or domain get no e-mail."""
    return f"{person.username}@{settings['domain']}" if person.username and settings.get("domain") else None


def send(items: list[Reminder], settings: dict) -> int:
    """E-mail every holder and head once per certificate. Returns how many messages were sent."""
    sent = 0
    with smtplib.SMTP(settings["host"], settings["port"], timeout=30) as smtp:
        if settings.get("user"):
            smtp.starttls()
            smtp.login(settings["user"], settings["password"] or "")
        for item in items:
            for recipient in [item.certificate.holder, *item.heads]:
                to = address(recipient, settings)
                if to:
                    mail = message(item, recipient, settings["sender"])
                    mail.replace_header("To", to)
                    smtp.send_message(mail)
                    sent += 1
    return sent
