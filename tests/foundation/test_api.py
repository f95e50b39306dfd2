import re

from app.accounts.models import ApiToken, Role
from app.extensions import db


def _token(runner, username):
    result = runner.invoke(args=["tokens", "create", username, "--name", "HR sync"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_me_with_a_bearer_token(client, runner, org, make_person):
    make_person(org["BJ"], position="pf_manager", roles=[(Role.branch_head, org["BJ"])], username="head", name="王经理")
    token = _token(runner, "head")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    body = response.json
    assert body["username"] == "head" and body["name"] == "王经理"
    assert body["scope"] == {"code": "BJ", "name": "北京分行", "kind": "branch"}
    assert body["roles"] == [{"role": "branch_head", "scope": {"code": "BJ", "name": "北京分行", "kind": "branch"}}]


def test_trainee_scope_is_their_own_unit(client, runner, org, make_person):
    make_person(org["TJ-S01-002"], username="t1")
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {_token(runner, 't1')}"}).json
    assert body["scope"]["code"] == "TJ-S01-002"


def test_token_is_stored_hashed(runner, org, make_person):
    make_person(org["BJ"], username="u1")
    token = _token(runner, "u1")
    stored = db.session.query(ApiToken).one()
    assert token not in (stored.token_hash, stored.prefix) and stored.token_hash == ApiToken.hash(token)


def test_missing_unknown_and_revoked_tokens_get_problem_json(client, runner, org, make_person):
    make_person(org["BJ"], username="u1")
    token = _token(runner, "u1")
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401 and response.mimetype == "application/problem+json"
        assert response.json["status"] == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    prefix = token[:10]
    assert runner.invoke(args=["tokens", "revoke", prefix]).exit_code == 0
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_disabled_owner_cannot_use_a_token(client, runner, org, make_person):
    person = make_person(org["BJ"], username="u1")
    token = _token(runner, "u1")
    person.disable()
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_unknown_api_route_is_problem_json(client, runner, org, make_person):
    make_person(org["BJ"], username="u1")
    response = client.get("/api/v1/nothing-here", headers={"Authorization": f"Bearer {_token(runner, 'u1')}"})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_openapi_document_matches_the_routes(app, client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    documented = {(path, method) for path, operations in document["paths"].items() for method in operations}
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len("/api/v1"):])
            routed |= {(path, method.lower()) for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed, f"undocumented: {routed - documented}; stale: {documented - routed}"
    for path, operations in document["paths"].items():
        for method, spec in operations.items():
            assert spec["summary"] and spec["responses"], (path, method)
            for name in re.findall(r"{([^}]+)}", path):
                assert any(p["name"] == name and p["in"] == "path" for p in spec.get("parameters", [])), (path, name)


def test_api_needs_no_csrf_token_but_pages_do(client, org, make_person):
    assert client.post("/language", data={"locale": "en"}).status_code == 400
