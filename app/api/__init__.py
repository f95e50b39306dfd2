"""The JSON API under /api/v1: bearer tokens, problem+json errors, an OpenAPI document.
Domains add their resources to `bp` and their operations to `openapi.PATHS`."""
from flask import Blueprint, g, request
from werkzeug.exceptions import HTTPException

from app.extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies are read here: bearer tokens only, so there is nothing to forge


@bp.before_request
def authenticate():
    from app.api.auth import person_id_for_bearer
    from app.core.errors import problem

    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    person_id = person_id_for_bearer(request.headers.get("Authorization", ""))
    if person_id is None:
        response = problem(401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    g.api_person_id = person_id
    return None


@bp.errorhandler(HTTPException)
def api_http_error(error: HTTPException):
    from app.core.errors import problem

    return problem(error.code or 500)


#: Endpoints that need no token (filled in by the modules that define them).
PUBLIC_ENDPOINTS: set[str] = set()

from app.api import routes  # noqa: E402,F401  (registers the routes on bp)
