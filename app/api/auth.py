from flask import g
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Unauthorized

from app.accounts.models import ApiToken, Person
from app.extensions import db


def person_for_bearer(header: str) -> Person | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    # One statement: the token, its owner, the owner's roles and unit, all needed on every API call.
    found = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.token_hash == ApiToken.hash(token.strip()))
        .options(joinedload(ApiToken.person).options(joinedload(Person.org_unit), joinedload(Person.roles)))
    ).unique().first()
    if found is None or found.revoked_at is not None or not found.person.is_active:
        return None
    return found.person


def api_person() -> Person:
    """The caller of the current API request."""
    person = g.get("api_person")
    if person is None:
        raise Unauthorized()
    return person
