"""The scorecard pages: logging work, the person's page, rankings, rules and import."""
from datetime import datetime

import pytest

from app.accounts.models import Role
from app.core import clock
from tests.conftest import csrf_token, login


@pytest.fixture
def people(org, make_person):
    clock.freeze(datetime(2026, 5, 20, 8))
    return {
        "am": make_person(org["BJ-S01-001"], "wealth_manager", username="am"),
        "head": make_person(org["BJ"], "pf_manager", roles=[(Role.branch_head, org["BJ"])], username="head"),
        "admin": make_person(org["HO"], "head_office_staff", roles=[(Role.admin, None)], username="admin"),
        "tj": make_person(org["TJ-S01-001"], "wealth_manager", username="tj"),
    }


def test_log_a_call_and_see_score_and_rank(people, client):
    login(client, "am")
    token = csrf_token(client, "/scorecard/log")
    response = client.post("/scorecard/log", data={"csrf_token": token, "kind": "call", "occurred_on": "2026-05-19",
                                                    "customer": "王先生"})
    assert response.status_code == 302
    page = client.get("/scorecard/me", follow_redirects=True).get_data(as_text=True)
    assert "0.10" in page or "0.1" in page
    assert client.get("/scorecard/rankings").status_code == 200
    assert client.get("/").status_code == 200


def test_a_bad_entry_is_refused_with_its_field_and_saves_nothing(people, client):
    login(client, "am")
    token = csrf_token(client, "/scorecard/log")
    response = client.post("/scorecard/log", data={"csrf_token": token, "kind": "visit", "occurred_on": "2026-05-19",
                                                    "customer": ""}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "Name the customer" in response.get_data(as_text=True)


def test_forms_need_csrf(people, client):
    login(client, "am")
    assert client.post("/scorecard/log", data={"kind": "call"}).status_code == 400


@pytest.mark.parametrize("user, path, status", [
    ("am", "/scorecard/people/{tj}", 403),
    ("am", "/scorecard/people/{tj}/inspect", 403),
    ("head", "/scorecard/people/{tj}", 403),
    ("head", "/scorecard/people/{am}/inspect", 200),
    ("am", "/scorecard/units", 403),
    ("head", "/scorecard/units", 200),
    ("admin", "/scorecard/units?scope=HO&level=branch", 200),
    ("am", "/scorecard/rules", 403),
    ("head", "/scorecard/rules", 200),
    ("admin", "/scorecard/import", 200),
])
def test_access(people, client, user, path, status):
    login(client, user)
    url = path.format(tj=people["tj"].employee_no, am=people["am"].employee_no)
    assert client.get(url).status_code == status


def test_head_edits_branch_rules_and_admin_the_default(people, client, org):
    login(client, "head")
    response = client.post("/scorecard/rules/new", data={"csrf_token": csrf_token(client, "/scorecard/rules"), "unit_code": "BJ"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="rules-0-points"' in html
    assert client.post("/scorecard/rules/new", data={"csrf_token": csrf_token(client, "/scorecard/rules"), "unit_code": "TJ"}).status_code == 403


def test_import_page_reports_row_errors(people, client):
    import io

    login(client, "am")
    data = {"csrf_token": csrf_token(client, "/scorecard/import"),
            "file": (io.BytesIO("工号,类型,日期\nNOPE,电话,2026-05-01\n".encode()), "log.csv")}
    response = client.post("/scorecard/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "NOPE" in response.get_data(as_text=True)


def test_unit_names_follow_the_ui_language(people, client, org, db):
    """Unit rankings and person rankings name units as the person's scorecard does: English when the unit has it."""
    org["BJ-S01-001"].name_en = "Beijing East outlet 1"
    db.session.commit()
    login(client, "admin")
    english = client.get("/scorecard/units?scope=HO&level=region", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert ">North region</a>" in english and "北部片区</a>" not in english
    assert ">北部片区</a>" in client.get("/scorecard/units?scope=HO&level=region").get_data(as_text=True)
    branches = client.get("/scorecard/units?scope=N&level=branch", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert ">北京分行</a>" in branches  # no English name: the name itself
    ranking = client.get("/scorecard/rankings?scope=BJ-S01-001&position=wealth_manager",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<td>Beijing East outlet 1</td>" in ranking
