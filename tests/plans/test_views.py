"""Plan pages and API: scope, bad input, evidence download headers, XLSX export."""
import hashlib
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from app.accounts.models import ApiToken, Role
from app.core import clock
from app.extensions import db
from app.plans import services
from app.plans.models import Enrolment
from tests.conftest import csrf_token, login
from tests.plans.test_services import PDF, PLANS


@pytest.fixture
def setup(db, org, make_person):
    clock.freeze(datetime(2026, 3, 3, 9))
    services.sync_directory(PLANS)
    db.session.commit()
    people = {
        "head": make_person(org["BJ"], "pf_manager", roles=[(Role.branch_head, org["BJ"])], username="head"),
        "trainer": make_person(org["HO"], "head_office_staff", roles=[(Role.trainer, org["HO"])], username="trainer"),
        "assessor": make_person(org["BJ-S01"], "product_manager", roles=[(Role.assessor, org["BJ"])], username="assessor"),
        "teller": make_person(org["BJ-S01-001"], "teller", username="teller"),
        "teller2": make_person(org["BJ-S01-002"], "teller", username="teller2"),
        "outsider": make_person(org["TJ-S01-001"], "teller", username="outsider"),
    }
    return people


def as_user(client, username):
    """A fresh client signed in as `username` (signing in twice on one client only redirects)."""
    fresh = client.application.test_client()
    login(fresh, username)
    return fresh


def _enrol_page(client, people, numbers, start="2026-03-02", **extra):
    token = csrf_token(client, "/plans/transfer-to-account-manager/enrol")
    return client.post("/plans/transfer-to-account-manager/enrol",
                       data={"csrf_token": token, "employee_nos": numbers, "start_date": start, **extra})


def test_head_enrols_by_page_and_sees_the_person(client, setup):
    client = as_user(client, "head")
    response = _enrol_page(client, setup, setup["teller"].employee_no)
    assert response.status_code == 302
    listing = client.get("/plans/enrolments").get_data(as_text=True)
    assert setup["teller"].name in listing
    assert "plan-enrolments" not in listing  # the page, not a download


def test_bulk_enrolment_page_lists_each_problem_and_changes_nothing(client, setup):
    client = as_user(client, "head")
    numbers = "\n".join(setup[k].employee_no for k in ("teller", "outsider"))
    response = _enrol_page(client, setup, numbers)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'{setup["outsider"].name} ({setup["outsider"].employee_no})' in body
    assert f'{setup["teller"].name} ({setup["teller"].employee_no})' not in body.split("problems")[1].split("</ul>")[0]
    with client.application.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Enrolment)) == 0


def test_start_date_too_far_back_is_refused_on_the_page(client, setup):
    client = as_user(client, "head")
    response = _enrol_page(client, setup, setup["teller"].employee_no, start="2026-01-02")
    assert response.status_code == 422 and "2026-01-02" in response.get_data(as_text=True)


def test_head_cannot_open_an_enrolment_outside_scope(client, setup):
    tj_enrolment = services.enrol(setup["trainer"], setup["outsider"],
                                  services.EnrolmentRequest(services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    db.session.commit()
    client = as_user(client, "head")
    assert client.get(f"/plans/enrolments/{tj_enrolment.id}").status_code == 403
    assert setup["outsider"].name not in client.get("/plans/enrolments").get_data(as_text=True)
    client = as_user(client, "teller")
    assert client.get(f"/plans/enrolments/{tj_enrolment.id}").status_code == 403


def test_forms_need_csrf(client, setup):
    client = as_user(client, "head")
    response = client.post("/plans/transfer-to-account-manager/enrol",
                           data={"employee_nos": setup["teller"].employee_no, "start_date": "2026-03-02"})
    assert response.status_code == 400


def test_evidence_upload_and_download_headers(client, setup):
    enrolment = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    db.session.commit()
    client = as_user(client, "teller")
    path = f"/plans/enrolments/{enrolment.id}"
    bad = client.post(path + "/evidence", data={
        "csrf_token": csrf_token(client, path), "kind": "insurance_agent", "certificate_no": "BX-9",
        "certified_on": "2026-03-01", "file": (io.BytesIO(b"<html>not a pdf"), "c.pdf")}, content_type="multipart/form-data")
    assert bad.status_code == 422
    good = client.post(path + "/evidence", data={
        "csrf_token": csrf_token(client, path), "kind": "insurance_agent", "certificate_no": "BX-9",
        "certified_on": "2026-03-01", "file": (io.BytesIO(PDF), "c.pdf")}, content_type="multipart/form-data")
    assert good.status_code == 302
    qualification = services.qualifications_of(setup["teller"])[0]
    download = client.get(f"/plans/evidence/{qualification.id}/file")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data == PDF
    client = as_user(client, "teller2")
    assert client.get(f"/plans/evidence/{qualification.id}/file").status_code == 403
    client = as_user(client, "assessor")
    response = client.post(f"/plans/evidence/{qualification.id}/review",
                           data={"csrf_token": csrf_token(client, path), "verify": "1"})
    assert response.status_code == 302
    db.session.refresh(qualification)
    assert qualification.verified_at is not None


def test_an_upload_whose_commit_fails_leaves_no_file(client, setup, monkeypatch):
    from sqlalchemy.exc import OperationalError

    enrolment = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    db.session.commit()
    client = as_user(client, "teller")
    path = f"/plans/enrolments/{enrolment.id}"
    token = csrf_token(client, path)
    scan = PDF + b"%commit fails\n"
    prefix = hashlib.sha256(scan).hexdigest()[:32]  # stored files are named by their content's hash

    def locked():
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", locked)
    response = client.post(path + "/evidence", data={
        "csrf_token": token, "kind": "insurance_agent", "certificate_no": "BX-10", "certified_on": "2026-03-01",
        "file": (io.BytesIO(scan), "c.pdf")}, content_type="multipart/form-data")
    monkeypatch.undo()
    assert response.status_code == 500
    assert not [p for p in services.evidence_dir().iterdir() if p.name.startswith(prefix)]
    assert services.qualifications_of(setup["teller"]) == []


def test_xlsx_export_has_the_rows_in_scope(client, setup):
    services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    db.session.commit()
    client = as_user(client, "head")
    response = client.get("/plans/enrolments?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.max_row == 2 and sheet["A2"].value == setup["teller"].employee_no


def _token(person) -> str:
    token, raw = ApiToken.issue(person, "test")
    db.session.add(token)
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_api_lists_enrols_and_reads_within_scope(client, setup):
    headers = _token(setup["head"])
    plans = client.get("/api/v1/plans", headers=headers).json["plans"]
    assert {p["id"] for p in plans} == {"transfer-to-account-manager", "outlet-head-licensing"}
    url = "/api/v1/plans/transfer-to-account-manager/enrolments"
    created = client.post(url, json={"employee_no": setup["teller"].employee_no, "start_date": "2026-03-02"}, headers=headers)
    assert created.status_code == 201
    body = created.json
    assert body["state"] == "in_progress" and [s["due_date"] for s in body["stages"]] == ["2026-03-09", "2026-03-23", "2026-03-30"]
    assert client.get(f"/api/v1/enrolments/{body['id']}", headers=headers).json["id"] == body["id"]
    again = client.post(url, json={"employee_no": setup["teller"].employee_no, "start_date": "2026-03-02"}, headers=headers)
    assert again.status_code == 422 and again.mimetype == "application/problem+json"
    outside = client.post(url, json={"employee_no": setup["outsider"].employee_no, "start_date": "2026-03-02"}, headers=headers)
    assert outside.status_code == 404
    bad_date = client.post(url, json={"employee_no": setup["teller2"].employee_no, "start_date": "March"}, headers=headers)
    assert bad_date.status_code == 422
    other = _token(setup["outsider"])
    assert client.get(f"/api/v1/enrolments/{body['id']}", headers=other).status_code == 404


EN = {"Accept-Language": "en"}


def test_a_waived_stage_is_shown_as_waived_everywhere(client, setup):
    """A waiver is not a pass: the stage says Waived on the timeline, in the API, the head's list and the
    export, and its exam says it is not required rather than "not yet passed"."""
    from app.plans.models import State

    enrolment = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    services.decide_stage(setup["trainer"], enrolment, 1, "waive", "holds the same certificate already")
    db.session.commit()
    assert enrolment.stages[0].state is State.waived and enrolment.state is State.in_progress
    assert enrolment.waived_positions == [1]

    head = as_user(client, "head")
    page = head.get(f"/plans/enrolments/{enrolment.id}", headers=EN).get_data(as_text=True)
    stage_one = page.split('id="stage-1"')[1].split('id="stage-2"')[0]
    assert "state-waived" in stage_one and ">Waived<" in stage_one and ">Passed<" not in stage_one
    assert "not required: stage waived" in stage_one and "not yet passed" not in stage_one

    listing = head.get("/plans/enrolments", headers=EN).get_data(as_text=True)
    assert "Waived: stage 1" in listing
    filters = listing.split('name="state"')[1].split("</select>")[0]
    assert 'value="waived"' not in filters  # a whole enrolment is never waived

    sheet = load_workbook(io.BytesIO(head.get("/plans/enrolments?format=xlsx", headers=EN).data)).active
    assert sheet["L1"].value == "Waived stages" and sheet["L2"].value == "1"

    stages = head.get(f"/api/v1/enrolments/{enrolment.id}", headers=_token(setup["head"])).json["stages"]
    assert [s["state"] for s in stages] == ["waived", "in_progress", "not_started"]


def test_the_timeline_links_its_courses_and_lessons(client, setup):
    enrolment = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    db.session.commit()
    page = as_user(client, "teller").get(f"/plans/enrolments/{enrolment.id}", headers=EN).get_data(as_text=True)
    stage_one = page.split('id="stage-1"')[1].split('id="stage-2"')[0]
    assert 'href="/courses/transfer-stage-1"' in stage_one
    assert 'href="/courses/team-building/lessons/training-coaching"' in stage_one
    stage_two = page.split('id="stage-2"')[1]
    assert 'href="/courses/transfer-stage-2/lessons/sales-scripts"' in stage_two


@pytest.mark.parametrize("language, course, lesson", [
    ("en", "Transfer stage 1: brand clients and agency insurance", "Training, coaching and the transfer learning plan"),
    ("zh", "转岗第一阶段：品牌客户与代理保险", "培训辅导与转岗学习计划"),
])
def test_the_plan_page_names_and_links_its_courses_and_lessons(client, setup, language, course, lesson):
    page = as_user(client, "trainer").get("/plans/transfer-to-account-manager",
                                          headers={"Accept-Language": language}).get_data(as_text=True)
    stage_one = page.split("<section")[1]
    assert f'<a href="/courses/transfer-stage-1">{course}</a>' in stage_one
    assert f'<a href="/courses/team-building/lessons/training-coaching">{lesson}</a>' in stage_one
    assert "<code>transfer-stage-1</code>" not in stage_one and "team-building/training-coaching" not in stage_one.replace(
        "/courses/team-building/lessons/training-coaching", "")


def _history(page: str) -> str:
    return page.split('<h2>History</h2>')[-1] if '<h2>History</h2>' in page else page.split("<h2>历史记录</h2>")[-1]


def test_history_notes_are_written_in_the_readers_language(client, setup):
    """Facts are kept, not sentences: the same history reads in English on English pages and in Chinese
    on Chinese ones, with the qualification's name rather than its identifier."""
    enrolment = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    services.upload_evidence(setup["teller"], enrolment, "insurance_agent", "BX-77", date(2026, 3, 1), PDF, "c.pdf")
    db.session.commit()
    assert enrolment.history[0].data == {"version": 1, "start": "2026-03-02"}
    head = as_user(client, "head")
    english = _history(head.get(f"/plans/enrolments/{enrolment.id}", headers=EN).get_data(as_text=True))
    assert "version 1, starting Mar 2, 2026" in english and "Insurance-agent qualification BX-77" in english
    chinese = _history(head.get(f"/plans/enrolments/{enrolment.id}", headers={"Accept-Language": "zh"}).get_data(as_text=True))
    assert "第 1 版" in chinese and "保险代理人资格 BX-77" in chinese
    assert "insurance_agent" not in english + chinese and "version 1" not in chinese


def test_history_written_before_the_facts_were_kept_still_reads_well(client, setup):
    from app.plans.models import HistoryEntry

    enrolment = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    db.session.flush()
    enrolment.history[0].data, enrolment.history[0].note = None, "第 1 版，2026-03-02 开始"  # as stored before
    enrolment.history.append(HistoryEntry(action="evidence_uploaded", stage=1, note="insurance_agent BX10000710"))
    enrolment.history.append(HistoryEntry(action="stage_waived", stage=1, note="已持有同等资格证书"))
    enrolment.history.append(HistoryEntry(action="stage_passed", stage=3, note="资格证书 BX10000711 已核验"))
    db.session.commit()
    english = _history(as_user(client, "head").get(f"/plans/enrolments/{enrolment.id}", headers=EN).get_data(as_text=True))
    assert "version 1, starting Mar 2, 2026" in english and "第 1 版" not in english
    assert "Insurance-agent qualification BX10000710" in english and "qualification BX10000711 verified" in english
    assert "已持有同等资格证书" in english  # what a person typed is kept as typed


def test_the_plan_filter_names_plans_in_the_readers_language(client, setup):
    listing = as_user(client, "head").get("/plans/enrolments", headers=EN).get_data(as_text=True)
    choices = listing.split('name="plan"')[1].split("</select>")[0]
    assert "Transfer-to-account-manager training plan" in choices and "转岗客户经理培训学习计划" not in choices


def test_a_persons_page_leads_to_their_plans_and_certificates(client, setup):
    enrolment = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    db.session.commit()
    head = as_user(client, "head")
    page = head.get(f"/people/{setup['teller'].employee_no}", headers=EN).get_data(as_text=True)
    section = page.split('id="person-plans-heading"')[1].split("</section>")[0]
    assert f'href="/plans/enrolments/{enrolment.id}">Transfer-to-account-manager training plan</a>' in section
    assert ">In progress<" in section
    assert f'href="/certification/people/{setup["teller"].employee_no}"' in page
    other = head.get(f"/people/{setup['teller2'].employee_no}", headers=EN).get_data(as_text=True)
    assert 'id="person-plans-heading"' not in other  # nobody's plans when there are none


def test_the_plans_section_shows_only_enrolments_the_viewer_may_open(app, setup, monkeypatch):
    from flask_login import login_user

    from app.core import policy
    from app.plans.views import _visible_enrolments

    services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(
        services.template_by_slug("transfer-to-account-manager"), date(2026, 3, 2)))
    db.session.commit()
    with app.test_request_context():
        login_user(setup["head"])
        assert len(_visible_enrolments(setup["teller"])) == 1
        monkeypatch.setattr(policy, "can_see_enrolment", lambda actor, enrolment: False)
        assert _visible_enrolments(setup["teller"]) == []
