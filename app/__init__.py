"""Lead Goose (头雁): training and certification for a bank's branch network."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.config import ROOT, Config


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI, error pages — in that order."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(Path(__file__).parent / "static"),
    )
    app.config.from_object(Config())
    if config:
        app.config.update(config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    from app.core import errors, templating

    errors.init_app(app)
    templating.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.core import database, i18n
    from app.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    from app.auth import session as auth_session

    auth_session.init_app(app, login_manager)
    _import_models()


def _import_models() -> None:
    """Every model module, so metadata is complete for migrations and the model/migration check."""
    from app.accounts import models as _accounts  # noqa: F401
    from app.core import audit as _audit  # noqa: F401
    from app.org import models as _org  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as people_bp
    from app.api import bp as api_bp
    from app.auth.views import bp as auth_bp
    from app.main.views import bp as main_bp
    from app.org.views import bp as org_bp
    from app.roster.views import bp as roster_bp

    for bp in (main_bp, auth_bp, org_bp, people_bp, roster_bp, api_bp):
        app.register_blueprint(bp)


def _register_cli(app: Flask) -> None:
    from app.accounts.cli import tokens_cli, users_cli
    from app.demo.cli import seed_cli
    from app.roster.cli import roster_cli

    for group in (seed_cli, roster_cli, tokens_cli, users_cli):
        app.cli.add_command(group)
