from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from urllib.parse import urlsplit

from app.auth import services
from app.core.errors import DomainError
from app.auth.forms import ChangePasswordForm, LoginForm
from app.extensions import db, limiter

bp = Blueprint("auth", __name__)

#: Endpoints a person who must change their password may still reach.
OPEN_DURING_PASSWORD_CHANGE = {"auth.change_password", "auth.logout", "static", "main.set_language", "main.healthz"}


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_name_key() -> str:
    return "login:" + (request.form.get("username") or "").strip().lower()


def _safe_next(target: str | None) -> str:
    """Only same-site paths; anything else goes home."""
    if target and urlsplit(target).netloc == "" and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_name_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            person = services.authenticate(form.username.data, form.password.data)
        except services.SignInRefused as refused:
            error = refused.message
        else:
            locale = session.get("locale")
            session.clear()  # a fresh session at sign-in: nothing planted before it survives
            if locale:
                session["locale"] = locale
            login_user(person)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.new_password.data)
        except DomainError as refused:
            form.current_password.errors.append(refused.message)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # the session id carries the new token
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.before_app_request
def force_password_change():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in OPEN_DURING_PASSWORD_CHANGE
        and not request.path.startswith("/api/")
    ):
        flash(_("Please choose a new password before you go on."), "warning")
        return redirect(url_for("auth.change_password"))
