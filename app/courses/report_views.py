"""Course reports for trainers, branch heads and admins, scoped to the people they may see."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.core import policy
from app.courses import authoring, reports, services
from app.courses.views import bp
from app.extensions import db
from app.main.navigation import nav_item
from app.org.models import OrgUnit

nav_item("courses.reports_index", _l("Course reports"), policy.can_see_course_reports, order=61, group="teach")


@bp.route("/reports/")
@login_required
def reports_index():
    policy.require(policy.can_see_course_reports(current_user))
    rows = []
    for course, version in services.offered_versions():
        overall, _versions = reports.ratings(course)
        rows.append((course, version, overall))
    return render_template("courses/reports/index.html", rows=rows)


@bp.route("/reports/<slug>")
@login_required
def report(slug: str):
    policy.require(policy.can_see_course_reports(current_user))
    course = authoring.course_by_slug(slug)
    if course.current_version_id is None:
        abort(404)
    unit = _unit(request.args.get("unit"))
    show = request.args.get("show", "all")
    finished = {"finished": True, "unfinished": False}.get(show)
    page = _page(reports.learners(course, current_user, finished))
    overall, per_version = reports.ratings(course)
    return render_template(
        "courses/reports/course.html", course=course, version=course.current_version, unit=unit,
        units=reports.by_unit(course, current_user, unit), page=page, show=show,
        total=len(course.current_version.lessons), overall=overall, per_version=per_version,
        comments=reports.comments(course),
    )


def _unit(code: str | None) -> OrgUnit:
    """The unit to break down: the one asked for if the viewer may see it, else their widest scope."""
    if not code:
        return policy.widest_scope(current_user)
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one_or_none()
    if unit is None:
        abort(404)
    policy.require(policy.unit_in_scope(current_user, unit, policy.COURSE_REPORT_ROLES))
    return unit


@dataclass
class _Page:
    """A page of result rows (db.paginate yields only the first column of multi-column selects)."""

    items: list
    page: int
    total: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def _page(query) -> _Page:
    per_page = current_app.config["PAGE_SIZE"]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return _Page(items, page, total, per_page)
