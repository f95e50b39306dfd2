"""Helpers for certification tests: people in licensed posts and evidence as the other domains report it."""
from datetime import datetime, timezone

import pytest

from app.accounts.models import Role
from app.certification import types as cert_types
from app.certification.requirements import Evidence, GivenFacts

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def exam_passed(attempt_id: int = 1, at: datetime = T0, slug: str = "outlet-head-certification") -> Evidence:
    return Evidence("exam", slug, f"attempt:{attempt_id}", at, {"score": 90.0, "max_score": 100.0})


def plan_done(enrolment_id: int = 1, slug: str = "transfer-to-account-manager") -> Evidence:
    return Evidence("plan", slug, f"enrolment:{enrolment_id}", T0)


@pytest.fixture
def outlet_head_type():
    return cert_types.get("outlet-head")


@pytest.fixture
def transfer_type():
    return cert_types.get("transfer-account-manager")


@pytest.fixture
def people(org, make_person):
    """An admin, the BJ branch head, a TJ branch head, and people in licensed posts in both branches."""
    return {
        "admin": make_person(org["HO"], "head_office_staff", [(Role.admin, None)], username="admin"),
        "bj_head": make_person(org["BJ"], "pf_manager", [(Role.branch_head, org["BJ"])], username="bjhead"),
        "tj_head": make_person(org["TJ"], "pf_manager", [(Role.branch_head, org["TJ"])], username="tjhead"),
        "bj_outlet_head": make_person(org["BJ-S01-001"], "outlet_head", username="bjoh", name="王小明"),
        "bj_cs": make_person(org["BJ-S01-002"], "cs_manager", username="bjcs"),
        "tj_outlet_head": make_person(org["TJ-S01-001"], "outlet_head", username="tjoh"),
        "bj_teller": make_person(org["BJ-S01-001"], "teller", username="bjteller"),
    }


def only(*evidence) -> GivenFacts:
    return GivenFacts(*evidence, only=True)


@pytest.fixture(autouse=True)
def _fresh_summaries():
    """Tests reuse unit ids; a home-page summary cached by an earlier test must not leak into the next."""
    from app.certification import compliance

    compliance.forget_summaries()
    yield
    compliance.forget_summaries()
