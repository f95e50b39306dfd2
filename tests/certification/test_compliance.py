"""The compliance view and API: counts, roll-up, drill-down, exports, and scope."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import event

from app.accounts.models import ApiToken
from app.certification import compliance, services
from app.core import clock
from app.extensions import db as _db
from tests.certification.conftest import T0, exam_passed, only, plan_done
from tests.conftest import login


@pytest.fixture
def licensed(db, people, outlet_head_type, transfer_type):
    clock.freeze(T0)
    services.evaluate(people["bj_outlet_head"], outlet_head_type, only(exam_passed()))
    db.session.commit()
    return people


def test_counts_roll_up_from_outlets_to_head_office(licensed, org):
    result = compliance.compliance(org["HO"])
    # BJ: outlet head (licensed) + cs manager (not); TJ: outlet head (not). The teller needs nothing.
    assert result.total.as_dict() == {"required": 3, "licensed": 1, "unlicensed": 2, "expiring_30": 0,
                                      "expiring_60": 0, "expiring_90": 0, "expired": 0}
    (region, counts), = result.children
    assert region.code == "N" and counts.required == 3
    branches = {unit.code: counts for unit, counts in compliance.compliance(org["N"]).children}
    assert branches["BJ"].licensed == 1 and branches["BJ"].unlicensed == 1 and branches["TJ"].unlicensed == 1


def test_expiring_and_expired_buckets_follow_the_clock(licensed, org):
    from datetime import timedelta

    clock.freeze(T0.replace(year=2028) - timedelta(days=45))
    counts = compliance.compliance(org["BJ"]).total
    assert (counts.licensed, counts.expiring_30, counts.expiring_60, counts.expiring_90) == (1, 0, 1, 1)
    clock.freeze(T0.replace(year=2028) + timedelta(days=1))
    counts = compliance.compliance(org["BJ"]).total
    assert (counts.licensed, counts.expired, counts.unlicensed) == (0, 1, 2)


def test_one_statement_however_many_people(licensed, org, make_person):
    def count_statements():
        assert org["HO"].path  # the unit itself is loaded by the caller
        seen = []
        listener = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
        event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            compliance.counts_by_unit(org["HO"])
        finally:
            event.remove(_db.engine, "before_cursor_execute", listener)
        return len(seen)

    before = count_statements()
    for _ in range(5):
        make_person(org["TJ-S01-002"], "wealth_manager")
    assert count_statements() == before == 1


def test_a_branch_head_sees_their_branch_only(client, licensed):
    login(client, "bjhead")
    page = client.get("/certification/compliance/BJ")
    assert page.status_code == 200 and "北京分行" in page.get_data(as_text=True)
    assert client.get("/certification/compliance/TJ").status_code == 403
    assert client.get("/certification/compliance/HO").status_code == 403
    assert client.get("/certification/compliance/", follow_redirects=False).headers["Location"].endswith("/certification/compliance/BJ")


def test_drill_down_to_names_and_export(client, licensed):
    login(client, "bjhead")
    page = client.get("/certification/compliance/BJ?state=unlicensed").get_data(as_text=True)
    assert licensed["bj_cs"].name in page and licensed["bj_outlet_head"].name not in page
    assert client.get("/certification/compliance/BJ?state=bogus").status_code == 400
    xlsx = client.get("/certification/compliance/BJ/export.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    rows = list(book.worksheets[0].values)
    assert rows[1][1] == "BJ" and rows[1][2:5] == (2, 1, 1)
    assert any(licensed["bj_cs"].employee_no in row for row in book.worksheets[1].values)
    csv = client.get("/certification/compliance/BJ/export.csv").data.decode("utf-8-sig")
    assert "BJ,2,1,1" in csv


def test_a_person_without_oversight_cannot_open_compliance(client, licensed):
    login(client, "bjoh")
    assert client.get("/certification/compliance/BJ").status_code == 403
    assert client.get("/certification/").status_code == 200


def _bearer(db, person) -> dict:
    token_row, token = ApiToken.issue(person, "test")
    db.session.add(token_row)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_compliance_and_certifications_are_scoped(client, db, licensed):
    headers = _bearer(db, licensed["bj_head"])
    body = client.get("/api/v1/org-units/BJ/compliance", headers=headers).get_json()
    assert body["unit"]["required"] == 2 and body["unit"]["licensed"] == 1
    assert body["children"][0]["code"] == "BJ-S01"
    assert client.get("/api/v1/org-units/TJ/compliance", headers=headers).status_code == 403
    assert client.get("/api/v1/org-units/NOPE/compliance", headers=headers).status_code == 404
    mine = client.get(f"/api/v1/people/{licensed['bj_outlet_head'].employee_no}/certifications", headers=headers).get_json()
    assert mine["required"][0]["licensed"] is True and mine["certificates"][0]["status"] == "valid"
    other = client.get(f"/api/v1/people/{licensed['tj_outlet_head'].employee_no}/certifications", headers=headers)
    assert other.status_code == 403
    assert client.get("/api/v1/org-units/BJ/compliance").status_code == 401


def test_admin_issues_by_hand_with_a_reason_and_bad_input_changes_nothing(app, client, db, licensed):
    from tests.conftest import csrf_token

    login(client, "admin")
    person = licensed["tj_outlet_head"]
    path = f"/certification/people/{person.employee_no}"
    token = csrf_token(client, path)
    refused = client.post(path + "/issue", data={"csrf_token": token, "type_code": "outlet-head", "reason": ""})
    assert refused.status_code == 422 and not services.certificates_of(person)
    done = client.post(path + "/issue", data={"csrf_token": token, "type_code": "outlet-head", "reason": "transferred in"})
    assert done.status_code == 302
    assert [c.type_code for c in services.certificates_of(person)] == ["outlet-head"]
    other = app.test_client()
    login(other, "bjhead")
    token = csrf_token(other, "/certification/")
    assert other.post(path + "/issue", data={"csrf_token": token, "type_code": "outlet-head", "reason": "x"}).status_code == 403


def test_the_export_says_what_the_page_says(client, licensed):
    """A lapsed licence reads "Expired" on the page and in both exports, a never-earned one "Not licensed";
    a live one gives its end date."""
    from datetime import timedelta

    login(client, "bjhead")
    english = {"Accept-Language": "en"}

    def people_sheet(state):
        xlsx = client.get(f"/certification/compliance/BJ/export.xlsx?state={state}", headers=english)
        return {row[0]: row[4:] for row in list(load_workbook(io.BytesIO(xlsx.data)).worksheets[1].values)[1:]}

    until = people_sheet("licensed")[licensed["bj_outlet_head"].employee_no]
    assert until[0] == "Licensed" and until[1].startswith("2028-")

    clock.freeze(T0.replace(year=2028) + timedelta(days=30))  # the outlet head's licence has lapsed
    page = client.get("/certification/compliance/BJ?state=unlicensed", headers=english).get_data(as_text=True)
    row = page.split(licensed["bj_outlet_head"].name)[1].split("</tr>")[0]
    assert ">Expired<" in row
    sheet = people_sheet("unlicensed")
    assert sheet[licensed["bj_outlet_head"].employee_no] == ("Expired", None)
    assert sheet[licensed["bj_cs"].employee_no] == ("Not licensed", None)
    csv = client.get("/certification/compliance/BJ/export.csv?state=unlicensed", headers=english).data.decode("utf-8-sig")
    assert f'{licensed["bj_outlet_head"].employee_no},{licensed["bj_outlet_head"].name}' in csv
    assert ",Expired," in csv and ",Not licensed," in csv
