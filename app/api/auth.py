from flask import g
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import Unauthorized

from app.accounts.models import ApiToken, Person, PersonStatus
from app.extensions import db

# Built once: every API call runs it, and building a statement costs more than running this one.
_TOKEN_OWNER = (select(ApiToken.person_id).join(ApiToken.person)
                .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None),
                       Person.disabled.is_(False), Person.status == PersonStatus.active))


def person_id_for_bearer(header: str) -> int | None:
    """The id of the active person whose live token the header carries, or None."""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return db.session.connection().execute(_TOKEN_OWNER, {"token_hash": ApiToken.hash(token.strip())}).scalar()


def api_person_id() -> int:
    """The caller's id, for calls that need nothing else of them (an answer save)."""
    person_id = g.get("api_person_id")
    if person_id is None:
        raise Unauthorized()
    return person_id


def api_person() -> Person:
    """The caller of the current API request, with the unit and roles that access checks read."""
    if g.get("api_person") is None:
        g.api_person = db.session.scalars(
            select(Person).where(Person.id == api_person_id())
            .options(joinedload(Person.org_unit), joinedload(Person.roles))).unique().one()
    return g.api_person
