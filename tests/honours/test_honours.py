"""Nominations, evidence, review workflow, permissions and the pages."""
from datetime import date, datetime

import pytest

from app.accounts.models import Role
from app.core import clock
from app.core.errors import DomainError
from app.honours import categories, evidence, services
from app.honours.models import HonourCategory, NominationState
from app.scorecard import services as scorecard
from app.scorecard.models import EntryKind
from app.scorecard.services import EntryInput
from tests.conftest import csrf_token, login


@pytest.fixture
def setup(org, make_person, ctx):
    clock.freeze(datetime(2026, 5, 20, 8))
    categories.install_shipped()
    people = {
        "head": make_person(org["BJ"], "pf_manager", roles=[(Role.branch_head, org["BJ"])], username="head"),
        "admin": make_person(org["HO"], "head_office_staff", roles=[(Role.admin, None)], username="admin"),
        "tjhead": make_person(org["TJ"], "pf_manager", roles=[(Role.branch_head, org["TJ"])], username="tjhead"),
        "am": make_person(org["BJ-S01-001"], "wealth_manager", username="am"),
        "am2": make_person(org["BJ-S01-002"], "wealth_manager", username="am2"),
        "outlet_head": make_person(org["BJ-S01-001"], "outlet_head", username="ohead"),
    }
    return people


def cat(code):
    from app.extensions import db
    from sqlalchemy import select

    return db.session.scalars(select(HonourCategory).where(HonourCategory.code == code)).one()


def test_outlet_evidence_is_computed_and_frozen(setup, org):
    am, head = setup["am"], setup["head"]
    scorecard.add_entry(am, am, EntryInput(EntryKind.call, date(2026, 5, 2), "客户"))
    nomination = services.nominate(head, cat("model_outlet"), "2026", "网点持证率高，活动多。", unit=org["BJ-S01-001"])
    figures = nomination.evidence
    assert figures["headcount"]["value"] == 2  # the account manager and the outlet head
    assert figures["scorecard_rank"] == {"value": 1, "available": True}  # 0.1/2 beats 0/1 in outlet 002
    assert figures["scorecard_of"]["value"] == 2
    # sources not connected in this build are "not available", never a number
    for name in ("licensed_share", "pass_rate"):
        assert figures[name]["available"] is evidence.compute("outlet", org["BJ-S01-001"], clock.now())[name].available
    # live figures move, the frozen snapshot does not
    scorecard.add_entry(setup["am2"], setup["am2"], EntryInput(EntryKind.visit, date(2026, 5, 5), "客户", reported_on=date(2026, 5, 1)))
    assert services.live_evidence(nomination)["scorecard_rank"]["value"] == 2
    assert nomination.evidence["scorecard_rank"]["value"] == 1


def test_workflow_nominate_approve_revoke_with_history(setup, org):
    head, admin = setup["head"], setup["admin"]
    n = services.nominate(head, cat("excellent_coach"), "2026", "带教三名新人全部取证。", person=setup["outlet_head"])
    assert n.state is NominationState.pending
    with pytest.raises(Exception):
        services.approve(head, n)  # only head office reviews
    services.approve(admin, n)
    assert n.state is NominationState.awarded and services.honours_of_person(setup["outlet_head"]) == [n]
    with pytest.raises(DomainError):
        services.revoke(admin, n, "  ")  # a reason is required
    services.revoke(admin, n, "材料不实")
    assert [s.action for s in n.steps] == ["nominated", "awarded", "revoked"]
    assert services.honour_roll("2026", None, None) == []


def test_decline_needs_a_reason_and_ends_the_nomination(setup, org):
    n = services.nominate(setup["head"], cat("model_outlet"), "2026", "服务标准化程度高。", unit=org["BJ-S01-002"])
    with pytest.raises(DomainError):
        services.decline(setup["admin"], n, "")
    services.decline(setup["admin"], n, "证据不足")
    assert n.state is NominationState.declined and n.reason == "证据不足"
    with pytest.raises(DomainError):
        services.approve(setup["admin"], n)


@pytest.mark.parametrize("who, target, error", [
    ("tjhead", "outlet", 403),        # outside the TJ head's scope
    ("head", "sub_branch", 422),      # a model outlet must be an outlet
    ("head", "wrong_position", 422),  # an account manager cannot be an excellent coach
    ("am", "outlet", 403),            # staff do not nominate
])
def test_who_and_what_may_be_nominated(setup, org, who, target, error):
    from werkzeug.exceptions import Forbidden

    actor = setup[who]
    try:
        if target == "wrong_position":
            services.nominate(actor, cat("excellent_coach"), "2026", "理由充分的推荐。", person=setup["am"])
        else:
            unit = org["BJ-S01-001"] if target == "outlet" else org["BJ-S01"]
            services.nominate(actor, cat("model_outlet"), "2026", "理由充分的推荐。", unit=unit)
    except Forbidden:
        assert error == 403
    except DomainError as refused:
        assert refused.status == error
    else:
        pytest.fail("the nomination should have been refused")


def test_no_duplicate_nomination_and_terms_are_checked(setup, org):
    head = setup["head"]
    services.nominate(head, cat("model_outlet"), "2026", "第一次推荐理由。", unit=org["BJ-S01-001"])
    with pytest.raises(DomainError):
        services.nominate(head, cat("model_outlet"), "2026", "第二次推荐理由。", unit=org["BJ-S01-001"])
    with pytest.raises(DomainError):
        services.nominate(head, cat("style_award"), "2026", "季度奖项需季度。", person=setup["am"])
    services.nominate(head, cat("style_award"), "2026-Q2", "季度业绩第一。", person=setup["am"])


def test_pages_nominate_review_and_roll(setup, org, client):
    login(client, "head")
    page = client.get("/honours/nominate")
    assert page.status_code == 200
    category = cat("model_outlet")
    response = client.post("/honours/nominate", data={
        "csrf_token": csrf_token(client, "/honours/nominate"), "category": str(category.id), "term": "2026",
        "outlet_code": "BJ-S01-001", "statement": "持证上岗率领先，活动丰富。"})
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "BJ" in detail or "网点" in detail
    bad = client.post("/honours/nominate", data={
        "csrf_token": csrf_token(client, "/honours/nominate"), "category": str(category.id), "term": "2026",
        "outlet_code": "NOPE", "statement": "x"})
    assert bad.status_code == 422
    client.post("/logout", data={"csrf_token": csrf_token(client)})
    login(client, "admin")
    nomination_id = int(response.headers["Location"].rsplit("/", 1)[1])
    approved = client.post(f"/honours/nominations/{nomination_id}/approve",
                           data={"csrf_token": csrf_token(client, f"/honours/nominations/{nomination_id}")})
    assert approved.status_code == 302
    roll = client.get("/honours/?term=2026").get_data(as_text=True)
    assert "示范网点" in roll and org["BJ-S01-001"].name in roll
    assert "示范网点" in client.get("/org/BJ-S01-001").get_data(as_text=True)


def test_staff_cannot_open_nominations_of_other_scopes(setup, org, client):
    n = services.nominate(setup["head"], cat("model_outlet"), "2026", "理由充分的推荐。", unit=org["BJ-S01-001"])
    from app.extensions import db

    db.session.commit()
    login(client, "tjhead")
    assert client.get(f"/honours/nominations/{n.id}").status_code == 403
    assert client.get("/honours/").status_code == 200
