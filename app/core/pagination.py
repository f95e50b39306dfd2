"""Paging a select with the page number from the query string."""
from flask import current_app, request

from app.extensions import db


def paginate(query):
    page = request.args.get("page", 1, type=int) or 1
    return db.paginate(query, page=max(page, 1), per_page=current_app.config["PAGE_SIZE"], error_out=False)
