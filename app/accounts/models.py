"""People (staff, who may also hold a sign-in account), their roles with scope, and API tokens."""
from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts.positions import position_label
from app.core import clock
from app.core.types import UTCDateTime
from app.extensions import db
from app.org.models import OrgUnit


class Role(enum.Enum):
    trainee = "trainee"
    trainer = "trainer"
    assessor = "assessor"
    branch_head = "branch_head"
    admin = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def scoped(self) -> bool:
        """Roles that act on others carry an org subtree they may act on."""
        return self in (Role.trainer, Role.assessor, Role.branch_head)


ROLE_LABELS = {
    Role.trainee: _l("Trainee"),
    Role.trainer: _l("Trainer"),
    Role.assessor: _l("Assessor"),
    Role.branch_head: _l("Branch head"),
    Role.admin: _l("Head-office admin"),
}


class PersonStatus(enum.Enum):
    active = "active"
    left = "left"


class Person(UserMixin, db.Model):
    """A member of staff. Those with a username and password can sign in."""

    __tablename__ = "people"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the bank's employee number, unique
    employee_no: Mapped[str] = mapped_column(String(32), unique=True)
    #: full name as on the roster
    name: Mapped[str] = mapped_column(String(80))
    #: the org unit the person works in
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    #: position code (see positions.POSITIONS)
    position: Mapped[str] = mapped_column(String(40), index=True)
    #: active, or left the bank (kept for history)
    status: Mapped[PersonStatus] = mapped_column(
        Enum(PersonStatus, native_enum=False, length=10), default=PersonStatus.active
    )
    #: sign-in name; None for staff without an account
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: scrypt hash; None means no password set
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: must choose a new password at next sign-in (imported or reset accounts)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    #: disabled by an admin: cannot sign in, existing sessions end
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    #: changes whenever sessions must end (password change, disabling); part of the session id
    session_token: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    #: preferred UI language, None for the browser's
    locale: Mapped[str | None] = mapped_column(String(10))
    #: when the person last signed in
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    org_unit: Mapped[OrgUnit] = relationship()
    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<Person {self.employee_no} {self.name}>"

    # --- sign-in -------------------------------------------------------------------------------
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return not self.disabled and self.status is PersonStatus.active

    def set_password(self, password: str, *, temporary: bool = False) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.must_change_password = temporary
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def end_sessions(self) -> None:
        self.session_token = secrets.token_hex(16)

    def disable(self) -> None:
        self.disabled = True
        self.end_sessions()

    def enable(self) -> None:
        self.disabled = False

    # --- roles ---------------------------------------------------------------------------------
    def has_role(self, *roles: Role) -> bool:
        return any(grant.role in roles for grant in self.roles)

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.admin)

    def role_set(self) -> set[Role]:
        return {grant.role for grant in self.roles}

    @property
    def position_label(self) -> str:
        return position_label(self.position)

    @property
    def masked_name(self) -> str:
        """The name with all but the first character hidden, for public pages."""
        return self.name[:1] + "*" * max(len(self.name) - 1, 1)


class RoleGrant(db.Model):
    """A role held by a person, with the org subtree it applies to (for scoped roles)."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("person_id", "role", "org_unit_id", name="uq_role_grants_person_role_unit"),)

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: who holds the role
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: which role
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    #: root of the subtree the role applies to; None for trainee and admin (admin sees everything)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)

    person: Mapped[Person] = relationship(back_populates="roles")
    org_unit: Mapped[OrgUnit | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<RoleGrant {self.role.value}@{self.org_unit_id}>"


class ApiToken(db.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored: tokens are 256 random bits,
    so a fast hash is enough and lets every request find its token by an indexed lookup."""

    __tablename__ = "api_tokens"

    #: surrogate key
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: owner; the token acts with the owner's roles and scope
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    #: what the token is for, chosen by its creator
    name: Mapped[str] = mapped_column(String(80), default="")
    #: the first characters of the token, to tell tokens apart in lists
    prefix: Mapped[str] = mapped_column(String(12))
    #: SHA-256 of the token, hex
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: when it was created
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    #: when it was revoked; None while usable
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    person: Mapped[Person] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… of {self.person_id}>"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, person: Person, name: str = "") -> tuple[ApiToken, str]:
        token = "lg_" + secrets.token_urlsafe(32)
        return cls(person=person, name=name, prefix=token[:10], token_hash=cls.hash(token)), token

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = clock.now()
