from app.accounts.models import Role
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, login


def test_sign_in_and_out(client, org, make_person):
    make_person(org["BJ-S01-001"], username="alice")
    response = login(client, "alice")
    assert response.status_code == 302 and response.location.endswith("/")
    home = client.get("/")
    assert home.status_code == 200 and "测试员" in home.get_data(as_text=True)
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_sign_in_by_employee_number(client, org, make_person):
    person = make_person(org["BJ-S01-001"])
    assert login(client, person.employee_no).status_code == 302


def test_wrong_password_is_refused_with_a_clear_message(client, org, make_person):
    make_person(org["BJ-S01-001"], username="alice")
    response = login(client, "alice", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_english_error_message(client, org, make_person):
    make_person(org["BJ-S01-001"], username="alice")
    client.post("/language", data={"locale": "en", "csrf_token": csrf_token(client, "/login")})
    response = login(client, "alice", "nope")
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert 'lang="en"' in response.get_data(as_text=True)


def test_password_is_hashed_with_scrypt(org, make_person):
    person = make_person(org["BJ-S01-001"])
    assert person.password_hash.startswith("scrypt:") and PASSWORD not in person.password_hash


def test_disabled_account_cannot_sign_in_and_its_session_ends(client, org, make_person):
    person = make_person(org["BJ-S01-001"], username="bob")
    login(client, "bob")
    assert client.get("/").status_code == 200
    person.disable()
    db.session.commit()
    assert client.get("/").status_code == 302  # the open session ended
    response = login(client, "bob")
    assert response.status_code == 401 and "已被停用" in response.get_data(as_text=True)


def test_forced_password_change(client, org, make_person):
    person = make_person(org["BJ-S01-001"], username="carol")
    person.set_password("Temp-pass-1", temporary=True)
    db.session.commit()
    login(client, "carol", "Temp-pass-1")
    response = client.get("/people/")
    assert response.status_code == 302 and response.location.endswith("/account/password")
    token = csrf_token(client, "/account/password")
    response = client.post("/account/password", data={
        "csrf_token": token, "current_password": "Temp-pass-1", "new_password": "New-pass-2026", "confirm": "New-pass-2026"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    db.session.refresh(person)
    assert not person.must_change_password and person.check_password("New-pass-2026")


def test_session_is_rotated_at_login(client, org, make_person):
    make_person(org["BJ-S01-001"], username="dave")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, "dave")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_forged_csrf_token_is_refused_and_changes_nothing(client, org, make_person):
    make_person(org["BJ-S01-001"], username="erin")
    client.get("/login")
    response = client.post("/login", data={"username": "erin", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 400
    assert "过期" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_is_throttled(app, client, org, make_person):
    make_person(org["BJ-S01-001"], username="frank")
    app.config["LOGIN_RATE_LIMIT"] = "10 per minute"
    try:
        statuses = [login(client, "frank", "bad").status_code for _ in range(12)]
    finally:
        app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"
    assert statuses[0] == 401 and 429 in statuses
    assert statuses.index(429) == 10  # LOGIN_RATE_LIMIT: 10 per minute


def test_open_redirect_is_not_followed(client, org, make_person):
    make_person(org["BJ-S01-001"], username="gina")
    page = client.get("/login?next=https://evil.example/")
    from tests.conftest import _csrf_from

    response = client.post("/login?next=https://evil.example/", data={
        "username": "gina", "password": PASSWORD, "csrf_token": _csrf_from(page.get_data(as_text=True))})
    assert response.location.endswith("/") and "evil" not in response.location


def test_home_fits_the_role(client, org, make_person):
    make_person(org["BJ"], position="pf_manager", roles=[(Role.branch_head, org["BJ"])], username="head")
    login(client, "head")
    html = client.get("/").get_data(as_text=True)
    assert "我的人员" in html  # the branch head's "my people" panel
