from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core import policy
from app.extensions import db
from app.org.models import OrgUnit
from app.org.services import headcount_by_child

bp = Blueprint("org", __name__, url_prefix="/org")


@bp.route("/")
@login_required
def tree():
    """The top of what the person may see: the whole bank for admins, else their scope roots."""
    roots = policy.scope_units(current_user)
    if roots is None:
        roots = list(db.session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))))
    policy.require(bool(roots))
    if len(roots) == 1:
        return unit(roots[0].code)
    return render_template("org/roots.html", roots=roots)


@bp.route("/<code>")
@login_required
def unit(code: str):
    found = db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one_or_none()
    if found is None:
        abort(404)
    policy.require(policy.unit_in_scope(current_user, found))
    ancestors = db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(found.ancestor_ids())).order_by(OrgUnit.path)).all()
    visible_ancestors = [a for a in ancestors if policy.unit_in_scope(current_user, a)]
    return render_template(
        "org/unit.html", unit=found, ancestors=visible_ancestors, counts=headcount_by_child(found)
    )
