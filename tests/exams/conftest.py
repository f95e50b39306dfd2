import pytest

from app.accounts.models import Role
from tests.questions import bank


@pytest.fixture
def exams(db):
    """The test bank and its two exams (t-auto: objective only; t-all: every type)."""
    bank.load()
    from app.exams.services import exam_by_slug

    return {"auto": exam_by_slug("t-auto"), "all": exam_by_slug("t-all")}


@pytest.fixture
def trainee(org, make_person):
    return make_person(org["BJ-S01-001"], position="lobby_manager", username="trainee")


@pytest.fixture
def assessor(org, make_person):
    return make_person(org["BJ-S01"], position="product_manager", roles=[(Role.assessor, org["BJ"])], username="assessor")
