"""The home-page compliance panel: the head's scope summary, reused for a short while instead of recomputing
the whole bank on every page load, and refreshed at once when a certificate changes."""
from sqlalchemy import event

from app.certification import compliance, services
from app.certification.models import RevocationReason
from app.core import clock
from app.extensions import db
from tests.certification.conftest import T0, exam_passed, only
from tests.conftest import login


def _statements(call):
    count = [0]

    def before(*_args, **_kwargs):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        result = call()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    return result, count[0]


def test_summary_is_reused_then_recomputed_after_a_certificate_changes(people, org, outlet_head_type):
    clock.freeze(T0)
    (first, at), computed = _statements(lambda: compliance.summary(org["HO"]))
    assert computed > 0 and (first.required, first.licensed) == (3, 0) and at == T0
    (again, _), reused = _statements(lambda: compliance.summary(org["HO"]))
    assert reused == 0 and again is first

    cert = services.evaluate(people["bj_outlet_head"], outlet_head_type, only(exam_passed()))
    db.session.commit()
    assert compliance.summary(org["HO"])[0].licensed == 1
    services.revoke(people["admin"], cert, RevocationReason.misconduct, "违规持证")
    db.session.commit()
    assert compliance.summary(org["HO"])[0].licensed == 0


def test_summary_expires_after_its_lifetime(people, org, monkeypatch):
    compliance.summary(org["BJ"])
    monkeypatch.setattr(compliance, "SUMMARY_SECONDS", 0)
    _, computed = _statements(lambda: compliance.summary(org["BJ"]))
    assert computed > 0


def test_branch_head_home_shows_their_branch_summary(client, people, org, outlet_head_type):
    clock.freeze(T0)
    services.evaluate(people["bj_outlet_head"], outlet_head_type, only(exam_passed()))
    db.session.commit()
    login(client, "bjhead")
    page = client.get("/").get_data(as_text=True)
    assert org["BJ"].name in page and "/certification/compliance/BJ" in page
    assert "1 / 2" in page  # BJ: the outlet head licensed, the cs manager not
