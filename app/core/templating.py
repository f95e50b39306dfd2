"""What every template can use: language, formatting, navigation."""
from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale

from app.accounts.models import Role
from app.accounts.positions import position_label
from app.core.i18n import LANGUAGE_NAMES, html_lang


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject():
        from flask_login import current_user

        from app.main.navigation import menu_for

        locale = str(get_locale())
        return {
            "nav_menu": menu_for(current_user) if current_user.is_authenticated else [],
            "current_locale": locale,
            "html_lang": html_lang(locale),
            "language_names": LANGUAGE_NAMES,
            "Role": Role,
            "position_label": position_label,
        }

    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["number"] = lambda value: format_decimal(value) if value is not None else ""
    app.jinja_env.filters["percent"] = lambda value: format_percent(value) if value is not None else ""
