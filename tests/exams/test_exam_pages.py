"""Pages and API as the trainee uses them: nothing of the key leaks; answers saved through the
autosave endpoint come back on reload; the no-JavaScript form saves and submits."""
import json
import re

from sqlalchemy import select

from app.accounts.models import ApiToken
from app.exams.models import Attempt
from tests.conftest import csrf_token, login
from tests.exams.test_attempt_services import right_answer
from tests.questions.bank import KEY_STRINGS


def assert_no_key(text: str, where: str):
    leaked = [k for k in KEY_STRINGS if k in text]
    assert not leaked, f"{where} leaks {leaked}"


def start(client, slug="t-all"):
    token = csrf_token(client, f"/exams/{slug}")
    response = client.post(f"/exams/{slug}/start", data={"csrf_token": token})
    assert response.status_code == 302
    return int(response.location.rsplit("/", 1)[1]), token


def test_trainee_pages_never_show_the_key(client, db, exams, trainee):
    login(client, "trainee")
    for url in ("/", "/exams/", "/exams/t-all"):
        page = client.get(url)
        assert page.status_code == 200
        assert_no_key(page.get_data(as_text=True), url)
    attempt_id, token = start(client)
    page = client.get(f"/exams/attempts/{attempt_id}").get_data(as_text=True)
    assert "高柜柜员的督导关键点是哪个字" in page and "简钥甲" in page  # the options are shown, unmarked
    assert_no_key(page, "attempt page")
    assert "checked" not in page


def test_api_never_shows_the_key(client, db, exams, trainee):
    token_row, token = ApiToken.issue(trainee, "test")
    db.session.add(token_row)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    listing = client.get("/api/v1/exams", headers=headers)
    assert listing.status_code == 200 and {e["id"] for e in listing.json} == {"t-auto", "t-all"}
    started = client.post("/api/v1/exams/t-all/attempts", headers=headers)
    assert started.status_code == 201
    body = started.get_data(as_text=True)
    assert_no_key(body, "API attempt")
    data = started.json
    assert data["deadline"] and len(data["questions"]) == 5
    for question in data["questions"]:
        assert set(question) <= {"slot", "section", "type", "points", "stem_html", "options", "answer", "saved_at", "kind", "criteria"}
        assert all(set(o) == {"id", "html"} for o in question["options"])
    assert_no_key(client.get(f"/api/v1/attempts/{data['id']}", headers=headers).get_data(as_text=True), "API get")


def test_api_flow_save_resume_submit_idempotent(client, db, exams, trainee):
    token_row, token = ApiToken.issue(trainee, "test")
    db.session.add(token_row)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    data = client.post("/api/v1/exams/t-auto/attempts", headers=headers).json
    attempt = db.session.get(Attempt, data["id"])
    for slot in attempt.slots:
        saved = client.put(f"/api/v1/attempts/{attempt.id}/answers/{slot.slot}", headers=headers,
                           json={"response": right_answer(slot), "client_seq": f"s{slot.slot}"})
        assert saved.status_code == 200 and saved.json["sequence"] == 1
    resumed = client.post("/api/v1/exams/t-auto/attempts", headers=headers).json
    assert resumed["id"] == attempt.id and all(q["answer"] for q in resumed["questions"])
    first = client.post(f"/api/v1/attempts/{attempt.id}/submit", headers=headers)
    second = client.post(f"/api/v1/attempts/{attempt.id}/submit", headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json["result"] == second.json["result"] and first.json["result"]["score"] == 5
    late = client.put(f"/api/v1/attempts/{attempt.id}/answers/1", headers=headers, json={"response": None})
    assert late.status_code == 409 and late.mimetype == "application/problem+json"
    other = client.get("/api/v1/attempts/999999", headers=headers)
    assert other.status_code == 404 and other.mimetype == "application/problem+json"


def test_bad_answer_is_a_clear_problem(client, db, exams, trainee):
    token_row, token = ApiToken.issue(trainee, "test")
    db.session.add(token_row)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    data = client.post("/api/v1/exams/t-auto/attempts", headers=headers).json
    single = next(q for q in data["questions"] if q["type"] == "single")
    response = client.put(f"/api/v1/attempts/{data['id']}/answers/{single['slot']}", headers=headers, json={"response": {"choice": 17}})
    assert response.status_code == 422 and f"Question {single['slot']}" in response.json["detail"]
    assert client.put(f"/api/v1/attempts/{data['id']}/answers/1", headers=headers, data="x").status_code == 400


def test_another_persons_attempt_is_not_reachable(client, db, exams, trainee, make_person, org):
    other = make_person(org["TJ-S01-001"], username="other")
    login(client, "trainee")
    attempt_id, token = start(client)
    client.post("/logout", data={"csrf_token": token})
    login(client, "other")
    assert client.get(f"/exams/attempts/{attempt_id}").status_code == 403
    assert client.get(f"/exams/attempts/{attempt_id}/result").status_code == 403
    token = csrf_token(client, "/exams/")
    saved = client.put(f"/exams/attempts/{attempt_id}/answers/1", json={"response": None}, headers={"X-CSRFToken": token})
    assert saved.status_code == 403
    assert other.id != trainee.id


def test_autosave_then_reload_shows_every_answer_then_submit_and_result(client, db, exams, trainee):
    login(client, "trainee")
    attempt_id, token = start(client, "t-auto")
    attempt = db.session.get(Attempt, attempt_id)
    for slot in attempt.slots:
        response = client.put(f"/exams/attempts/{attempt_id}/answers/{slot.slot}", headers={"X-CSRFToken": token,
                              "Accept": "application/json"}, json={"response": right_answer(slot), "client_seq": f"c{slot.slot}"})
        assert response.status_code == 200, response.get_data(as_text=True)
    page = client.get(f"/exams/attempts/{attempt_id}").get_data(as_text=True)
    assert page.count("checked") == 4  # single (1) + multiple (2) + true/false (1)
    assert 'value="二十"' in page
    missing_csrf = client.put(f"/exams/attempts/{attempt_id}/answers/1", json={"response": None})
    assert missing_csrf.status_code == 400
    done = client.post(f"/exams/attempts/{attempt_id}/submit", data={"csrf_token": token})
    assert done.status_code == 302
    result = client.get(done.location).get_data(as_text=True)
    assert "5 <small>/ 5</small>" in result and "解释单选钥" in result  # review after submit


def test_form_without_javascript_saves_and_submits(client, db, exams, trainee):
    login(client, "trainee")
    attempt_id, token = start(client, "t-auto")
    attempt = db.session.get(Attempt, attempt_id)
    form = {"csrf_token": token, "action": "save"}
    for slot in attempt.slots:
        answer = right_answer(slot)
        key = f"q{slot.slot}"
        form[key] = answer.get("choices") or answer.get("choice", answer.get("value", answer.get("text")))
        if isinstance(form[key], bool):
            form[key] = str(form[key]).lower()
    assert client.post(f"/exams/attempts/{attempt_id}/save", data=form).status_code == 302
    form["action"] = "submit"
    assert client.post(f"/exams/attempts/{attempt_id}/save", data=form).status_code == 302
    db.session.expire_all()
    assert attempt.score == 5
    from app.exams.models import AnswerStep

    assert len(db.session.scalars(select(AnswerStep).where(AnswerStep.attempt_id == attempt_id)).all()) == 4


def test_review_policy_never_hides_answers(client, db, exams, trainee):
    exams["auto"].review = exams["auto"].review.__class__("never")
    db.session.commit()
    login(client, "trainee")
    attempt_id, token = start(client, "t-auto")
    done = client.post(f"/exams/attempts/{attempt_id}/submit", data={"csrf_token": token})
    assert_no_key(client.get(done.location).get_data(as_text=True), "result with review=never")


def test_openapi_documents_the_exam_routes(client, app):
    document = client.get("/api/v1/openapi.json").json
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule)[len("/api/v1"):]: r.methods for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/v1/") and r.endpoint.startswith("api.")}
    for path in ("/exams", "/exams/{slug}/attempts", "/attempts/{attempt_id}/answers/{slot}", "/attempts/{attempt_id}/submit",
                 "/attempts/{attempt_id}"):
        assert path in document["paths"] and path in routes
        for method in document["paths"][path]:
            assert method.upper() in routes[path]
    json.dumps(document)


def test_section_headings_follow_the_ui_language(client, db, trainee):
    """A section's title_en heads it on English pages; without one, the Chinese title stays."""
    from tests.questions import bank

    bank.load((bank.EXAM_ALL.replace("  - title: 客观题\n", "  - title: 客观题\n    title_en: Objective questions\n"),))
    login(client, "trainee")
    attempt_id, token = start(client)
    chinese = client.get(f"/exams/attempts/{attempt_id}").get_data(as_text=True)
    assert '<h2 class="section-title">客观题</h2>' in chinese and "Objective questions" not in chinese
    english = client.get(f"/exams/attempts/{attempt_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<h2 class="section-title">Objective questions</h2>' in english
    assert '<h2 class="section-title">实操题</h2>' in english  # no title_en: the title itself
    done = client.post(f"/exams/attempts/{attempt_id}/submit", data={"csrf_token": token})
    result = client.get(done.location, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<td>Objective questions</td>" in result


def test_shipped_exam_sections_all_have_an_english_title():
    import yaml

    from app.config import ROOT

    for path in sorted((ROOT / "question_bank" / "exams").glob("*.yaml")):
        for section in yaml.safe_load(path.read_text(encoding="utf-8"))["sections"]:
            assert str(section.get("title_en") or "").strip(), f"{path.name}: {section['title']}"
