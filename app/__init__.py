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


def _domain_modules(name: str):
    """Import `app.<domain>.<name>` for every domain package that has one. Domains plug in by
    file name (models, api, views, cli, demo) instead of being listed here."""
    import importlib
    import pkgutil

    import app as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        qualified = f"app.{info.name}.{name}"
        try:
            yield importlib.import_module(qualified)
        except ModuleNotFoundError as missing:
            if missing.name != qualified:
                raise


def _import_models() -> None:
    """Every model module, so metadata is complete for migrations and the model/migration check."""
    from app.core import audit as _audit  # noqa: F401

    list(_domain_modules("models"))


def _register_blueprints(app: Flask) -> None:
    """Each domain's views.bp; the API blueprint last, after every domain's api module added its routes."""
    from app.api import bp as api_bp

    list(_domain_modules("api"))
    for module in _domain_modules("views"):
        if hasattr(module, "bp"):
            app.register_blueprint(module.bp)
    app.register_blueprint(api_bp)


def _register_cli(app: Flask) -> None:
    """Each domain's cli.commands (click commands or groups)."""
    for module in _domain_modules("cli"):
        for command in getattr(module, "commands", []):
            app.cli.add_command(command)
