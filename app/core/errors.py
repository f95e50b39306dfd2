"""Error pages and problem+json answers, both localised."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db


class DomainError(Exception):
    """A rule of the domain refused an action. The message is shown to the user as it is (translated)."""

    status = 409

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Please sign in"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        413: _("File too large"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Something went wrong"),
    }


def _details() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please check what you entered and try again."),
        401: _("You need to sign in to see this."),
        403: _("You do not have permission to see or change this."),
        404: _("There is nothing at this address. Check the link, or go back to the home page."),
        405: _("This address does not accept that kind of request."),
        413: _("The file is larger than the server accepts."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("An unexpected error occurred. Nothing you submitted was half-saved; please try again."),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def problem(status: int, detail: str | None = None, **extra):
    """An RFC 9457 problem+json response."""
    body = {"type": "about:blank", "title": _titles().get(status, _("Error")), "status": status}
    body["detail"] = detail or _details().get(status, "")
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def error_page(status: int, detail: str | None = None):
    if wants_json():
        return problem(status, detail)
    title = _titles().get(status, _("Error"))
    detail = detail or _details().get(status, "")
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        if isinstance(error, CSRFError):
            return error_page(400, _("The form had expired or was not sent from this site. Reload the page and try again; nothing was changed."))
        return error_page(error.code or 500)

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):
        db.session.rollback()
        return error_page(error.status, error.message)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error", exc_info=error)
        return error_page(InternalServerError.code)
