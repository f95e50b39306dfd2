"""Flask-Login wiring. The session id carries the person's session token, so changing the token
(password change, disabling) ends every session at once."""
from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from app.accounts.models import Person
from app.extensions import db


def load_person(session_id: str) -> Person | None:
    person_id, _, token = session_id.partition(":")
    if not person_id.isdigit() or not token:
        return None
    person = db.session.get(Person, int(person_id))
    if person is None or person.session_token != token or not person.is_active:
        return None
    return person


def init_app(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_person)

    @login_manager.unauthorized_handler
    def unauthorized():
        from app.core.errors import problem, wants_json

        if wants_json():
            return problem(401)
        return redirect(url_for("auth.login", next=request.full_path))
