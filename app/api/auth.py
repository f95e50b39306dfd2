from flask import g
from sqlalchemy import select
from werkzeug.exceptions import Unauthorized

from app.accounts.models import ApiToken, Person
from app.extensions import db


def person_for_bearer(header: str) -> Person | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = db.session.scalars(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token.strip()))).first()
    if found is None or found.revoked_at is not None or not found.person.is_active:
        return None
    return found.person


def api_person() -> Person:
    """The caller of the current API request."""
    person = g.get("api_person")
    if person is None:
        raise Unauthorized()
    return person
