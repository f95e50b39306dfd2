from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session
from flask_login import current_user, login_required
from sqlalchemy import text

from app.core import clock
from app.extensions import db
from app.main import dashboard

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", panels=dashboard.panels_for(current_user))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the UI language; remembered on the account when signed in."""
    locale = request.form.get("locale")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    target = request.form.get("next") or "/"
    return redirect(target if target.startswith("/") and not target.startswith("//") else "/")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        database = "error"
    status = "ok" if database == "ok" else "error"
    body = {"status": status, "database": database, "dialect": db.engine.dialect.name, "time": clock.now().isoformat()}
    return jsonify(body), 200 if status == "ok" else 503
