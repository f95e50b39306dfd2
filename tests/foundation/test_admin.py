import pytest
from sqlalchemy import select

from app.accounts.models import Person, Role
from app.core.audit import AuditEvent
from app.extensions import db
from tests.conftest import csrf_token, login


def _admin(client, org, make_person):
    admin = make_person(org["HO"], roles=[(Role.admin, None)], username="root")
    login(client, "root")
    return admin


def test_admin_grants_a_scoped_role_and_it_is_audited(client, org, make_person):
    _admin(client, org, make_person)
    person = make_person(org["BJ-S01-001"])
    token = csrf_token(client, f"/people/{person.employee_no}")
    response = client.post(f"/people/{person.employee_no}/roles", data={"csrf_token": token, "role": "assessor", "org_code": "BJ-S01"})
    assert response.status_code == 302
    db.session.expire_all()
    assert {(g.role, g.org_unit.code if g.org_unit else None) for g in person.roles} == {(Role.trainee, None), (Role.assessor, "BJ-S01")}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "role.grant")).one()
    assert event.data == {"role": "assessor", "unit": "BJ-S01"} and event.object_id == str(person.id)


def test_scoped_role_without_unit_is_refused(client, org, make_person):
    _admin(client, org, make_person)
    person = make_person(org["BJ-S01-001"])
    token = csrf_token(client, f"/people/{person.employee_no}")
    response = client.post(f"/people/{person.employee_no}/roles", data={"csrf_token": token, "role": "branch_head", "org_code": ""})
    assert response.status_code == 422 and "需要指定适用的机构" in response.get_data(as_text=True)
    response = client.post(f"/people/{person.employee_no}/roles", data={"csrf_token": token, "role": "branch_head", "org_code": "XX"})
    assert response.status_code == 422 and "没有此代码的机构" in response.get_data(as_text=True)
    db.session.expire_all()
    assert [g.role for g in person.roles] == [Role.trainee]


def test_admin_disables_an_account_and_its_session_ends(app, client, org, make_person):
    _admin(client, org, make_person)
    person = make_person(org["BJ-S01-001"], username="victim")
    other = app.test_client()
    login(other, "victim")
    assert other.get("/").status_code == 200
    token = csrf_token(client, f"/people/{person.employee_no}")
    assert client.post(f"/people/{person.employee_no}/disable", data={"csrf_token": token}).status_code == 302
    assert other.get("/").status_code == 302
    assert login(other, "victim").status_code == 401


def test_reset_password_shows_it_once_and_forces_a_change(app, client, org, make_person):
    _admin(client, org, make_person)
    person = make_person(org["BJ-S01-001"], username="forgetful")
    token = csrf_token(client, f"/people/{person.employee_no}")
    html = client.post(f"/people/{person.employee_no}/password", data={"csrf_token": token}).get_data(as_text=True)
    import re

    password = re.search(r"临时密码：(\w+)", html).group(1)
    db.session.expire_all()
    assert person.must_change_password and person.check_password(password)
    other = app.test_client()
    login(other, "forgetful", password)
    assert other.get("/").location.endswith("/account/password")


def test_branch_head_cannot_change_roles(client, org, make_person):
    make_person(org["BJ"], roles=[(Role.branch_head, org["BJ"])], username="bjhead")
    person = make_person(org["BJ-S01-001"])
    login(client, "bjhead")
    token = csrf_token(client, f"/people/{person.employee_no}")
    response = client.post(f"/people/{person.employee_no}/roles", data={"csrf_token": token, "role": "admin", "org_code": ""})
    assert response.status_code == 403
    response = client.post(f"/people/{person.employee_no}/disable", data={"csrf_token": token})
    assert response.status_code == 403
    db.session.expire_all()
    assert not person.disabled and not person.is_admin


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok" and response.json["database"] == "ok"


def test_demo_seed_builds_the_bank_and_its_accounts(runner, db):
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    assert "29" in result.output and "Demo-2026!" in result.output
    for username in ("admin", "trainer", "assessor", "head", "trainee"):
        assert db.session.scalars(select(Person).where(Person.username == username)).one().check_password("Demo-2026!")
    again = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert again.exit_code == 0 and "跳过" in again.output
    assert runner.invoke(args=["seed", "demo"]).exit_code != 0


def test_removing_a_role_asks_for_confirmation_first(client, org, make_person):
    _admin(client, org, make_person)
    person = make_person(org["BJ-S01-001"], roles=[(Role.trainee, None), (Role.assessor, org["BJ-S01"])])
    grant = next(g for g in person.roles if g.role is Role.assessor)
    path = f"/people/{person.employee_no}/roles/{grant.id}/delete"
    show = client.get(f"/people/{person.employee_no}").get_data(as_text=True)
    assert f'href="{path}"' in show  # a link to the confirmation, not a one-click POST
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="confirmed" value="yes"' in html and "BJ-S01" in html
    token = csrf_token(client, path)
    # A POST without the confirmation (e.g. an old one-click form) only leads to the question.
    assert client.post(path, data={"csrf_token": token}).status_code == 200
    db.session.expire_all()
    assert {g.role for g in person.roles} == {Role.trainee, Role.assessor}
    response = client.post(path, data={"csrf_token": token, "confirmed": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert [g.role for g in person.roles] == [Role.trainee]


def test_the_last_active_admin_keeps_the_admin_role(org, make_person):
    """Signed-in admins can never be the last (they remain), so the guard is seen from the service: an
    admin who has since left tries to remove the admin role of the only active admin."""
    from app.accounts import services
    from app.accounts.models import PersonStatus
    from app.core.errors import DomainError

    gone = make_person(org["HO"], roles=[(Role.admin, None)], status=PersonStatus.left)
    last = make_person(org["HO"], roles=[(Role.admin, None), (Role.trainer, org["HO"])])
    admin_grant = next(g for g in last.roles if g.role is Role.admin)
    with pytest.raises(DomainError) as refused:
        services.revoke_role(gone, last, admin_grant.id)
    assert refused.value.status == 409 and last.name in refused.value.message
    # A scoped role of the same person, or the admin role once another active admin exists, may go.
    services.revoke_role(gone, last, next(g for g in last.roles if g.role is Role.trainer).id)
    make_person(org["HO"], roles=[(Role.admin, None)])
    services.revoke_role(gone, last, admin_grant.id)
    assert [g.role for g in last.roles] == []
