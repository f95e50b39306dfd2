"""The question editor (a form, no YAML): each type edited through its own part of the form, a new
version on save while an attempt keeps the version it was given, problems shown at their field
with nothing saved and nothing typed lost, new questions, "Add a row", access and CSRF."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.questions.models import Question
from tests.conftest import csrf_token, login
from tests.questions import bank


class _FormReader(HTMLParser):
    """The values a browser would send from the editor form (submit buttons left out)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.inside = False
        self._textarea = None
        self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "question-editor" in (a.get("class") or ""):
            self.inside = True
        if not self.inside or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._option(a)
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value", "y")
            else:
                self.values[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[self._textarea] = ""
        elif tag == "select":
            self._select, self._first_option = a["name"], None

    def _option(self, a):
        if self._first_option is None:
            self._first_option = a.get("value", "")
            self.values.setdefault(self._select, self._first_option)
        if "selected" in a:
            self.values[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            # a browser drops the new line right after <textarea>
            text = self.values[self._textarea]
            self.values[self._textarea] = text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_values(html: str) -> dict[str, str]:
    reader = _FormReader()
    reader.feed(html)
    values = reader.values
    return values


def trainer(client, org, make_person, locale="en"):
    """Sign in as a trainer who reads the pages in `locale` (the tests compare English messages)."""
    make_person(org["HO"], roles=[(Role.trainer, org["HO"])], username="trainer")
    login(client, "trainer")
    set_language(client, locale)


def set_language(client, locale):
    client.post("/language", data={"locale": locale, "csrf_token": csrf_token(client, "/")})


def question(db, slug: str) -> Question:
    db.session.expire_all()
    return db.session.scalars(select(Question).where(Question.slug == slug)).one()


def edit(client, slug: str, change) -> tuple:
    """Open the editor as a trainer would, change some values, save."""
    values = form_values(client.get(f"/questions/{slug}/edit").get_data(as_text=True))
    assert values["csrf_token"]
    change(values)
    response = client.post(f"/questions/{slug}/edit", data=values)
    return response, values


def errors_at(html: str, name: str) -> list[str]:
    match = re.search(rf'<ul class="errors" id="{re.escape(name)}-errors">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


# --- every type through its form -----------------------------------------------------------------

def _single(values):
    values["definition-options-1-text"] = "探乙改"
    values["definition-correct"] = "1"


def _multiple(values):
    values["definition-options-2-correct"] = "y"
    values["definition-options-4-text"] = "新增的选项"


def _truefalse(values):
    values["definition-answer"] = "false"
    values["stem"] = "晨会可以不开。"


def _fill(values):
    values["definition-answers"] = "二十\n20\n廿"


def _practical(values):
    values["definition-kind"] = "role_play"
    values["definition-rubric-1-points"] = "4"
    values["definition-rubric-2-criterion"] = "结束语"
    values["definition-rubric-2-points"] = "1.5"
    values["definition-rubric-2-good"] = "感谢客户"


@pytest.mark.parametrize("slug, change, check", [
    ("t-single", _single, lambda v: [o["correct"] for o in v.definition["options"]] == [False, True, False, False]
     and v.definition["options"][1]["text"] == "探乙改"),
    ("t-multiple", _multiple, lambda v: [o["correct"] for o in v.definition["options"]] == [True, True, True, False, False]
     and v.definition["options"][4]["text"] == "新增的选项" and v.points == 2),
    ("t-truefalse", _truefalse, lambda v: v.definition == {"answer": False} and v.stem == "晨会可以不开。"),
    ("t-fill", _fill, lambda v: v.definition == {"answers": ["二十", "20", "廿"]}),
    ("t-practical", _practical, lambda v: v.definition["kind"] == "role_play" and v.points == 8.5
     and v.definition["rubric"][2] == {"criterion": "结束语", "points": 1.5, "good": "感谢客户"} and v.stage == 2),
])
def test_each_type_is_edited_through_its_form(client, db, org, make_person, slug, change, check):
    bank.load()
    from app.exams import services as exams

    # A trainee's attempt started before the edit keeps the version it was given.
    attempt = exams.start_or_resume(exams.exam_by_slug("t-all"), make_person(org["BJ-S01-001"], position="lobby_manager"))
    db.session.commit()
    given = {s.version.question.slug: s.question_version_id for s in attempt.slots}
    old = question(db, slug).current
    old_id, old_tags, old_lesson = old.id, list(old.tags), old.lesson
    trainer(client, org, make_person)

    response, _ = edit(client, slug, change)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/questions/{slug}")
    edited = question(db, slug)
    assert edited.current_number == 2 and check(edited.current)
    assert edited.current.source == "edited" and edited.current.tags == old_tags and edited.current.lesson == old_lesson
    db.session.expire_all()
    assert {s.version.question.slug: s.question_version_id for s in attempt.slots} == given
    assert given[slug] == old_id

    # Saving the form unchanged keeps the version.
    response, _ = edit(client, slug, lambda values: None)
    assert response.status_code == 302 and question(db, slug).current_number == 2


def test_the_form_shows_the_current_version(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    values = form_values(client.get("/questions/t-single/edit").get_data(as_text=True))
    assert values["stem"] == "高柜柜员的督导关键点是哪个字？" and values["explanation"] == "解释单选钥。"
    assert values["definition-options-0-text"] == "简钥甲" and values["definition-correct"] == "0"
    assert values["definition-options-5-text"] == ""  # blank rows up to the most options allowed
    assert values["difficulty"] == "1" and values["points"] == "1" and values["tags"] == "督导关键点"
    assert values["lesson"] == "team-building/supervision-keys" and values["stage"] == ""
    practical = form_values(client.get("/questions/t-practical/edit").get_data(as_text=True))
    assert practical["definition-kind"] == "script" and practical["definition-rubric-1-good"] == "评分要点约访秘钥"
    assert "points" not in practical and practical["stage"] == "2" and practical["tags"] == ""
    assert practical["definition-rubric-3-criterion"] == ""  # two empty rows to fill in


# --- problems at their field, nothing saved, nothing lost -------------------------------------------

@pytest.mark.parametrize("slug, change, field, message", [
    ("t-single", lambda v: v.pop("definition-correct"), "definition-options",
     "a single-choice question needs exactly one correct option."),
    ("t-single", lambda v: v.update({"definition-options-4-text": "", "definition-correct": "4"}), "definition-options-4",
     "every option needs a non-empty “text”."),
    ("t-single", lambda v: v.update({"definition-options-2-text": "", "definition-options-3-text": ""}), "definition-options",
     "needs 3 to 6 options, has 2."),
    ("t-multiple", lambda v: v.pop("definition-options-1-correct"), "definition-options",
     "a multiple-choice question needs at least two correct options."),
    ("t-truefalse", lambda v: v.pop("definition-answer"), "definition-answer", "“answer” must be true or false."),
    ("t-fill", lambda v: v.update({"definition-answers": " \n "}), "definition-answers",
     "“answers” must be a non-empty list of accepted answers."),
    ("t-fill", lambda v: v.update({"stem": "每天至少联系多少位客户？"}), "stem", "a fill-in-the-blank stem marks the blank with ____."),
    ("t-practical", lambda v: v.update({"definition-rubric-1-points": "两"}), "definition-rubric-1",
     "rubric points must be a positive number."),
    ("t-practical", lambda v: v.update({"definition-kind": ""}), "definition-kind", "“kind” must be one of role_play, script, mystery_shopper."),
    ("t-single", lambda v: v.update({"explanation": "  "}), "explanation", "“explanation” is required: say why, and cite the lesson."),
    ("t-single", lambda v: v.update({"points": "-1"}), "points", "“points” must be a positive number."),
    ("t-single", lambda v: v.update({"points": "一"}), "points", "“points” must be a positive number."),
    ("t-single", lambda v: v.update({"lesson": "团队建设"}), "lesson", "“lesson” must look like course-id/lesson-id."),
    ("t-single", lambda v: v.update({"difficulty": "5"}), "difficulty", "“difficulty” must be 1, 2 or 3."),
    ("t-single", lambda v: v.update({"stage": "4"}), "stage", "“stage” must be 1, 2 or 3."),
])
def test_a_problem_is_shown_at_its_field_and_nothing_changes(client, db, org, make_person, slug, change, field, message):
    bank.load()
    trainer(client, org, make_person)
    response, sent = edit(client, slug, change)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in errors_at(html, field), html
    assert question(db, slug).current_number == 1
    # What the trainer typed comes back as typed (a select cannot show a value it does not offer:
    # only a forged request sends one).
    again = form_values(html)
    compared = [k for k in sent if k != "csrf_token" and not (k == field and k in ("difficulty", "stage"))]
    assert {k: again.get(k) for k in compared} == {k: sent[k] for k in compared}


def test_problems_are_in_the_users_language(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person, locale="zh_Hans")
    response, _ = edit(client, "t-single", lambda v: v.pop("definition-correct"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "保存" in html
    shown = errors_at(html, "definition-options")
    assert shown and all(re.search(r"[\u4e00-\u9fff]", m) for m in shown), shown


# --- new questions, rows, preview ----------------------------------------------------------------

def test_a_new_question_uses_the_same_form(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    assert "questions/new" in client.get("/questions/").get_data(as_text=True)
    chooser = client.get("/questions/new").get_data(as_text=True)
    assert 'name="type"' in chooser and 'value="practical"' in chooser
    page = client.get("/questions/new?type=single").get_data(as_text=True)
    values = form_values(page)
    values.update({"id": "t-single", "stem": "新题？", "explanation": "见手册。", "definition-options-0-text": "甲",
                   "definition-options-1-text": "乙", "definition-options-2-text": "丙", "definition-correct": "2",
                   "lesson": "team-building/cohesion", "tags": "凝聚力，晨会", "stage": "1"})
    taken = client.post("/questions/new?type=single", data=values)
    assert taken.status_code == 422 and errors_at(taken.get_data(as_text=True), "id") == ["A question with this id already exists."]
    values["id"] = "t-new"
    response = client.post("/questions/new?type=single", data=values)
    assert response.status_code == 302
    created = question(db, "t-new").current
    assert created.number == 1 and created.type == "single" and created.points == 1 and created.difficulty == 2
    assert created.definition["options"][2] == {"text": "丙", "correct": True} and len(created.definition["options"]) == 3
    assert created.tags == ["凝聚力", "晨会", "team-building", "stage-1"] and created.stage == 1


def test_add_a_row_keeps_everything_typed(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    values = form_values(client.get("/questions/t-practical/edit").get_data(as_text=True))
    assert "definition-rubric-4-criterion" not in values
    values.update({"definition-rubric-2-criterion": "结束语", "definition-rubric-3-criterion": "跟进", "stem": "改过的题干",
                   "add_row": "definition-rubric"})
    response = client.post("/questions/t-practical/edit", data=values)
    assert response.status_code == 200
    again = form_values(response.get_data(as_text=True))
    assert again["definition-rubric-4-criterion"] == "" and again["definition-rubric-3-criterion"] == "跟进"
    assert again["stem"] == "改过的题干" and question(db, "t-practical").current_number == 1


def test_preview_shows_the_question_without_saving(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    values = form_values(client.get("/questions/t-single/edit").get_data(as_text=True))
    values.update({"stem": "**加粗**的题干", "preview": "Preview"})
    response = client.post("/questions/t-single/edit", data=values)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<strong>加粗</strong>" in html and 'name="preview"' in html
    assert question(db, "t-single").current_number == 1
    token = values["csrf_token"]
    rendered = client.post("/questions/markdown-preview", data={"markdown": "*x*<script>y</script>"}, headers={"X-CSRFToken": token})
    assert rendered.status_code == 200 and "<em>x</em>" in rendered.json["html"] and "<script>" not in rendered.json["html"]


def test_the_yaml_editor_stays_as_the_advanced_way(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    assert "/questions/t-single/edit/yaml" in client.get("/questions/t-single/edit").get_data(as_text=True)
    assert "type: single" in client.get("/questions/t-single/edit/yaml").get_data(as_text=True)


# --- access and CSRF -------------------------------------------------------------------------------

def test_a_trainee_cannot_reach_the_editor(client, db, org, make_person):
    bank.load()
    make_person(org["BJ-S01-001"], position="lobby_manager", username="trainee")
    login(client, "trainee")
    for path in ("/questions/t-single/edit", "/questions/new", "/questions/new?type=single", "/questions/t-single/edit/yaml"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/")
    assert client.post("/questions/t-single/edit", data={"csrf_token": token, "stem": "x"}).status_code == 403
    assert client.post("/questions/markdown-preview", data={"csrf_token": token, "markdown": "x"}).status_code == 403
    assert question(db, "t-single").current_number == 1


def test_saving_needs_the_csrf_token(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person)
    values = form_values(client.get("/questions/t-single/edit").get_data(as_text=True))
    values["definition-correct"] = "1"
    assert client.post("/questions/t-single/edit", data={**values, "csrf_token": ""}).status_code == 400
    assert client.post("/questions/t-single/edit", data={**values, "csrf_token": "forged"}).status_code == 400
    assert question(db, "t-single").current_number == 1
    assert client.post("/questions/markdown-preview", data={"markdown": "x"}).status_code == 400


def test_an_edited_versions_source_is_a_localised_label(client, db, org, make_person):
    bank.load()
    trainer(client, org, make_person, "zh_Hans")
    response, _ = edit(client, "t-truefalse", _truefalse)
    assert response.status_code == 302
    page = client.get("/questions/t-truefalse").get_data(as_text=True)
    assert "网页编辑" in page and "· edited<" not in page and "<dd>edited</dd>" not in page
    assert "bank.yaml:" in page  # the imported version still names its file and line
    set_language(client, "en")
    assert "<dd>edited on the web</dd>" in client.get("/questions/t-truefalse").get_data(as_text=True)
