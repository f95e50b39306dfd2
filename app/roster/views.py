from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.core import policy
from app.core.tabular import TableInvalid
from app.extensions import db
from app.roster import services
from app.roster.forms import RosterUploadForm

bp = Blueprint("roster", __name__, url_prefix="/roster")


@bp.route("/import", methods=["GET", "POST"])
@login_required
def upload():
    policy.require(policy.can_administer(current_user))
    form = RosterUploadForm()
    errors, result = None, None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = services.import_roster(
                upload.read(), upload.filename or "", actor=current_user, create_accounts=form.create_accounts.data
            )
        except TableInvalid as invalid:
            db.session.rollback()
            errors = invalid.errors
        else:
            db.session.commit()
    status = 422 if errors or form.errors else 200
    return render_template("roster/import.html", form=form, errors=errors, result=result), status
