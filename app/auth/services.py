"""Signing in, as rules the views call."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.accounts.models import Person, PersonStatus
from app.core import clock
from app.core.errors import DomainError
from app.extensions import db


class SignInRefused(DomainError):
    status = 401


def authenticate(login: str, password: str) -> Person:
    """The person for these credentials, or SignInRefused with a message fit to show."""
    login = login.strip()
    person = db.session.scalars(
        select(Person).where(or_(Person.username == login, Person.employee_no == login))
    ).first()
    if person is None or not person.check_password(password):
        raise SignInRefused(_("Wrong username or password."))
    # Only someone who knows the password learns that the account is disabled.
    if person.disabled:
        raise SignInRefused(_("This account has been disabled. Please contact your administrator."))
    if person.status is PersonStatus.left:
        raise SignInRefused(_("This account belongs to someone who has left the bank."))
    person.last_login_at = clock.now()
    return person


def change_password(person: Person, current: str, new: str) -> None:
    if not person.check_password(current):
        raise DomainError(_("The current password is wrong."), 422)
    person.set_password(new)
