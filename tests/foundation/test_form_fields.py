"""The form-field macro: aria-describedby only names elements that exist."""
import re

from app.accounts.models import Role
from tests.conftest import csrf_token, login


def _described_ids_exist(html: str) -> None:
    assert 'aria-describedby="None"' not in html
    for value in re.findall(r'aria-describedby="([^"]*)"', html):
        for ident in value.split():
            assert f'id="{ident}"' in html, ident


def test_no_aria_describedby_none_on_forms(client, org, make_person):
    _described_ids_exist(client.get("/login").get_data(as_text=True))
    make_person(org["HO"], "head_office_staff", roles=[(Role.admin, None)], username="root")
    person = make_person(org["BJ-S01-001"], "wealth_manager", username="am")
    login(client, "root")
    for path in (f"/people/{person.employee_no}", "/people/"):
        _described_ids_exist(client.get(path).get_data(as_text=True))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, "am")
    html = client.get("/scorecard/log").get_data(as_text=True)
    assert 'aria-invalid="false"' in html
    _described_ids_exist(html)


def test_errors_are_described(client, org, make_person):
    make_person(org["BJ-S01-001"], "wealth_manager", username="am")
    login(client, "am")
    token = csrf_token(client, "/scorecard/log")
    html = client.post("/scorecard/log", data={"csrf_token": token, "kind": "call"}).get_data(as_text=True)
    assert re.search(r'aria-describedby="[^"]*-errors"', html)
    _described_ids_exist(html)
