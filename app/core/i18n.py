"""Language choice: the user's saved preference, then the session's, then the browser's; zh_Hans by default."""
import os

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from app.extensions import babel

LANGUAGE_NAMES = {"zh_Hans": "简体中文", "en": "English"}


def select_locale() -> str:
    supported = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands: LEADGOOSE_LOCALE, else the default
        chosen = os.environ.get("LEADGOOSE_LOCALE")
        return chosen if chosen in supported else current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    chosen = chosen or session.get("locale")
    if chosen in supported:
        return chosen
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en"])
    if best and best.startswith("en"):
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def html_lang(locale: str) -> str:
    """The BCP 47 tag for <html lang>."""
    return "zh-Hans" if locale.startswith("zh") else locale


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)


def localised(item: dict, key: str, locale: str | None) -> str:
    """`item[key]`, or `item[key + "_en"]` on English pages when it has one: the convention of the
    content files (courses, exams, plans) for text written in both languages."""
    english = str(item.get(f"{key}_en") or "").strip()
    if english and locale and str(locale).startswith("en"):
        return english
    return item.get(key, "")
