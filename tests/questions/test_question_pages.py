"""Trainer pages of the question bank: browse and filter, preview with the key, edit (a new
version), retire, upload with the same checks as the command line."""
import io

from sqlalchemy import select

from app.accounts.models import Role
from app.questions.models import Question
from tests.conftest import csrf_token, login
from tests.questions import bank


def trainer(client, org, make_person):
    make_person(org["HO"], roles=[(Role.trainer, org["HO"])], username="trainer")
    login(client, "trainer")


def test_browse_filter_and_preview(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    page = client.get("/questions/?type=fill").get_data(as_text=True)
    assert "t-fill" in page and "t-single" not in page
    assert "t-practical" in client.get("/questions/?tag=stage-2").get_data(as_text=True)
    assert "t-multiple" in client.get("/questions/?q=哪些做法").get_data(as_text=True)
    preview = client.get("/questions/t-practical").get_data(as_text=True)
    assert "评分要点开场秘钥" in preview and "解释实操钥" in preview


def test_edit_makes_a_new_version_and_bad_yaml_changes_nothing(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    form = client.get("/questions/t-truefalse/edit/yaml").get_data(as_text=True)
    assert "answer: true" in form
    token = csrf_token(client, "/questions/t-truefalse/edit/yaml")
    text = "type: truefalse\ndifficulty: 1\nstem: 晨会每天都开。\nanswer: true\nexplanation: 见手册。\n"
    assert client.post("/questions/t-truefalse/edit/yaml", data={"csrf_token": token, "text": text}).status_code == 302
    question = db.session.scalars(select(Question).where(Question.slug == "t-truefalse")).one()
    assert question.current_number == 2 and question.current.stem == "晨会每天都开。"
    bad = client.post("/questions/t-truefalse/edit/yaml", data={"csrf_token": token, "text": text.replace("answer: true", "answer: maybe")})
    assert bad.status_code == 422 and ":4:" in bad.get_data(as_text=True)
    db.session.expire_all()
    assert question.current_number == 2


def test_retire_and_restore(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    token = csrf_token(client, "/questions/t-fill")
    client.post("/questions/t-fill/retire", data={"csrf_token": token})
    question = db.session.scalars(select(Question).where(Question.slug == "t-fill")).one()
    assert question.retired
    assert "t-fill" not in client.get("/questions/").get_data(as_text=True)
    client.post("/questions/t-fill/retire", data={"csrf_token": token})
    db.session.expire_all()
    assert not question.retired


def test_upload_checks_everything_first(client, db, org, make_person):
    trainer(client, org, make_person)
    token = csrf_token(client, "/questions/import")
    good = (io.BytesIO(bank.QUESTIONS.encode()), "bank.yaml")
    bad = (io.BytesIO(b"Which?\nA. x\nB. y\nANSWER: Q\n"), "bad.aiken")
    response = client.post("/questions/import", data={"csrf_token": token, "files": [good, bad]}, content_type="multipart/form-data")
    assert response.status_code == 422 and "bad.aiken:4:" in response.get_data(as_text=True)
    assert db.session.scalars(select(Question)).first() is None
    good = (io.BytesIO(bank.QUESTIONS.encode()), "bank.yaml")
    exam = (io.BytesIO(bank.EXAM_AUTO.encode()), "t-auto.yaml")
    response = client.post("/questions/import", data={"csrf_token": token, "files": [good, exam]}, content_type="multipart/form-data")
    assert response.status_code == 200 and len(db.session.scalars(select(Question)).all()) == 5
    from app.exams.services import exam_by_slug

    assert exam_by_slug("t-auto") is not None
