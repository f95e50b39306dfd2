"""Fixtures: an app whose schema is built by the migrations, on SQLite or on PostgreSQL when
TEST_DATABASE_URL is set; every test starts from empty tables."""
from __future__ import annotations

import contextvars
import os
import tempfile
from itertools import count

import pytest

_TMP = tempfile.mkdtemp(prefix="leadgoose-test-")
os.environ["INSTANCE_PATH"] = _TMP  # before the app's config is imported
os.environ.setdefault("SECRET_KEY", "test-secret")

from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import inspect, text  # noqa: E402

from app import create_app  # noqa: E402
from app.accounts.models import Person, Role, RoleGrant  # noqa: E402
from app.core import clock  # noqa: E402
from app.extensions import db as _db  # noqa: E402
from app.extensions import limiter  # noqa: E402
from app.org.models import OrgKind  # noqa: E402
from app.org.services import add_unit  # noqa: E402

PASSWORD = "Test-pass-2026"


def database_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_TMP}/test.db"


def _reset_postgres(app) -> None:
    with app.app_context():
        with _db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, as a real server would: otherwise a test's own
    app context would be shared with the requests (and with it `g` and the database session)."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session")
def app():
    url = database_url()
    if url.startswith("postgres"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": _TMP,
        "LOGIN_RATE_LIMIT": "1000 per minute",
    })
    app.test_client_class = IsolatedClient
    if url.startswith("postgresql"):
        _reset_postgres(app)
    with app.app_context():
        upgrade(revision="heads")
    return app


@pytest.fixture(autouse=True)
def _clean_tables(app):
    """Empty every table after each test (and unfreeze the clock)."""
    yield
    clock.freeze(None)
    limiter.reset()
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as conn:
            existing = set(inspect(conn).get_table_names())  # the schema test reports any model without a migration
            tables = [t.name for t in reversed(_db.metadata.sorted_tables) if t.name in existing]
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly."""
    with app.test_request_context():
        yield
        _db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(ctx):
    return _db


_numbers = count(1)


@pytest.fixture
def org(ctx):
    """A small bank: HO → region N → branches BJ and TJ → a sub-branch each → two outlets each."""
    units = {}
    units["HO"] = add_unit("HO", "总行", OrgKind.head_office, None, "Head office")
    units["N"] = add_unit("N", "北部片区", OrgKind.region, units["HO"], "North region")
    for branch, name in (("BJ", "北京分行"), ("TJ", "天津分行")):
        units[branch] = add_unit(branch, name, OrgKind.branch, units["N"])
        sub = units[f"{branch}-S01"] = add_unit(f"{branch}-S01", name[:2] + "城东支行", OrgKind.sub_branch, units[branch])
        for index in (1, 2):
            code = f"{branch}-S01-00{index}"
            units[code] = add_unit(code, f"{sub.name}第{index}网点", OrgKind.outlet, sub)
    _db.session.commit()
    return units


@pytest.fixture
def make_person(ctx):
    """make_person(unit, position="teller", roles=[(Role.trainee, None)], username=None, password=PASSWORD)."""

    def make(unit, position="teller", roles=((Role.trainee, None),), username=None, password=PASSWORD, **fields):
        number = next(_numbers)
        person = Person(employee_no=f"T{number:06d}", name=fields.pop("name", f"测试员{number}"), org_unit=unit,
                        position=position, username=username or f"user{number}", **fields)
        if password:
            person.set_password(password)
        person.roles = [RoleGrant(role=role, org_unit=scope) for role, scope in roles]
        _db.session.add(person)
        _db.session.commit()
        return person

    return make


def login(client, username: str, password: str = PASSWORD):
    """Sign in through the real form (with its CSRF token)."""
    page = client.get("/login")
    token = _csrf_from(page.get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def _csrf_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def csrf_token(client, path: str = "/") -> str:
    """The CSRF token from any page the client can see."""
    return _csrf_from(client.get(path).get_data(as_text=True))


def race(app, actions) -> list[Exception]:
    """Simultaneous requests: each action (no arguments) runs in its own thread, app context and
    database session, all released at once by a barrier, each committing at its end. Returns the
    errors raised."""
    import threading

    barrier = threading.Barrier(len(actions))
    errors: list[Exception] = []

    def worker(action):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                action()
                _db.session.commit()
            except Exception as error:  # noqa: BLE001 - returned to the test
                errors.append(error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
