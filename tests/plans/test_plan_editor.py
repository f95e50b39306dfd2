"""The plan editor (a form, no YAML): the form becomes a plan file's data and goes through the file
validator; a save makes a new version while an enrolment keeps its own; stages are added, removed and
moved without JavaScript keeping what was typed; problems are shown at their field with nothing saved;
access and CSRF; the YAML box stays as the advanced editor."""
from __future__ import annotations

import re
from datetime import date, datetime
from html.parser import HTMLParser

import pytest

from app.accounts.models import Role
from app.core import clock
from app.extensions import db
from app.plans import editor, services
from app.plans.definition import DefinitionInvalid, parse
from tests.conftest import csrf_token, login
from tests.plans.test_services import PLANS

SLUG = "transfer-to-account-manager"
EDIT = f"/plans/{SLUG}/edit"


class _FormReader(HTMLParser):
    """The values a browser would send from the editor form (submit buttons left out)."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self.inside = False
        self._textarea = None
        self._select = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "plan-editor" in (a.get("class") or ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        if not a.get("name"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.append((a["name"], a.get("value", "y")))
            else:
                self.values.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select, self._options = a["name"], []

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            name, text = self._textarea
            self.values.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [self._options[0][0]]
            self.values.append((self._select, chosen[0]))
            self._select = None
        elif tag == "form":
            self.inside = False


def form_values(html: str) -> dict:
    """Single values by name; the audience checkboxes as a list."""
    reader = _FormReader()
    reader.feed(html)
    values: dict = {}
    for name, value in reader.values:
        if name == "audience_positions":
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    return values


def errors_at(html: str, name: str) -> list[str]:
    match = re.search(rf'<ul class="errors" id="{re.escape(name)}-errors">(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


@pytest.fixture
def setup(db, org, make_person):
    clock.freeze(datetime(2026, 3, 3, 9))
    services.sync_directory(PLANS)
    db.session.commit()
    return {
        "head": make_person(org["BJ"], "pf_manager", roles=[(Role.branch_head, org["BJ"])], username="head"),
        "trainer": make_person(org["HO"], "head_office_staff", roles=[(Role.trainer, org["HO"])], username="trainer"),
        "teller": make_person(org["BJ-S01-001"], "teller", username="teller"),
    }


def as_user(client, username, locale="en"):
    fresh = client.application.test_client()
    login(fresh, username)
    fresh.post("/language", data={"locale": locale, "csrf_token": csrf_token(fresh, "/")})
    return fresh


def template():
    db.session.expire_all()
    return services.template_by_slug(SLUG)


def open_editor(client, path=EDIT) -> dict:
    response = client.get(path)
    assert response.status_code == 200
    return form_values(response.get_data(as_text=True))


# --- the same data as the file ----------------------------------------------------------------------

def test_the_unchanged_form_means_the_file_and_saves_nothing(client, setup):
    client = as_user(client, "trainer")
    values = open_editor(client)
    assert values["title"] == "转岗客户经理培训学习计划" and values["stages-1-weeks"] == "2"
    assert values["stages-0-session_kind"] == "weekly" and values["stages-0-weekday"] == "wed"
    assert values["stages-2-assessments-0-kind"] == "external"
    assert values["stages-2-assessments-0-qualification"] == "insurance_agent"
    response = client.post(EDIT, data=values)
    assert response.status_code == 302
    assert "Nothing changed" in client.get(response.location).get_data(as_text=True)
    assert len(template().versions) == 1


def test_form_data_round_trips_through_the_file_validator(setup):
    """Every shipped plan: stored definition → form → plan-file data → the validator gives it back."""
    from werkzeug.datastructures import MultiDict

    from app.plans.forms import PlanEditorForm

    for plan in services.all_templates():
        definition = plan.latest.definition
        shown = PlanEditorForm(formdata=None, data=editor.form_data(definition), meta={"csrf": False})
        sent = MultiDict()
        for field in editor._walk(shown):
            if not hasattr(field, "entries") and not hasattr(field, "form") and field.type != "SubmitField":
                for value in field.data if isinstance(field.data, list) else [field.data]:
                    sent.add(field.name, value or "")
        built = editor.plan_data(PlanEditorForm(formdata=sent, meta={"csrf": False}), plan.slug)
        assert parse(editor.as_yaml(built.data)) == definition


# --- saving makes a new version --------------------------------------------------------------------

def test_editing_through_the_form_makes_a_version_and_an_enrolment_keeps_its_own(client, setup):
    first = services.enrol(setup["head"], setup["teller"], services.EnrolmentRequest(template(), date(2026, 3, 2)))
    db.session.commit()
    client = as_user(client, "trainer")
    values = open_editor(client)
    values["stages-1-weeks"] = "3"
    values["stages-1-tasks-0-kind"] = values["stages-1-tasks-0-kind"]
    values["audience_positions"] = ["teller", "lobby_manager"]
    values["stages-0-session_kind"] = "date"
    values["stages-0-date"] = "2026-07-18"
    values["stages-0-start"] = "09:00:00"  # some browsers send seconds
    values["stages-0-end"] = "11:00"
    response = client.post(EDIT, data=values)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "Saved as version 2" in client.get(response.location).get_data(as_text=True)
    plan = template()
    latest = plan.latest
    assert latest.number == 2 and latest.origin == "web" and latest.created_by_id == setup["trainer"].id
    assert [s["weeks"] for s in latest.stages] == [1, 3, 1]
    assert latest.definition["audience_positions"] == ["teller", "lobby_manager"]
    assert latest.stages[0]["session"] == {**latest.stages[0]["session"], "date": "2026-07-18", "start": "09:00", "end": "11:00"}
    assert "weekday" not in latest.stages[0]["session"]
    # the version keeps its text in the file format: the advanced editor and `plans sync` read the same thing
    assert parse(latest.source_text) == latest.definition
    db.session.refresh(first)
    assert first.version.number == 1 and first.stages[1].due_date == date(2026, 3, 23)
    # a new enrolment gets the new version
    assert services.enrol(setup["head"], setup["head"], services.EnrolmentRequest(plan, date(2026, 3, 2))).version.number == 2


def test_a_task_added_in_the_form_is_saved(client, setup):
    client = as_user(client, "trainer")
    values = open_editor(client)
    html = client.post(EDIT, data={**values, "op": "stages-0-tasks:add"}).get_data(as_text=True)
    values = form_values(html)
    new = max(int(m) for m in re.findall(r"stages-0-tasks-(\d+)-value", " ".join(values)))
    assert values[f"stages-0-tasks-{new}-kind"] == "reading" and values[f"stages-0-tasks-{new}-value"] == ""
    values[f"stages-0-tasks-{new}-value"] = "个金业务知识ABC 第二章"
    assert client.post(EDIT, data=values).status_code == 302
    tasks = template().latest.stages[0]["tasks"]
    assert tasks[-1] == {**tasks[-1], "kind": "reading", "ref": "个金业务知识ABC 第二章"}


# --- rows without JavaScript ------------------------------------------------------------------------

def test_add_move_and_remove_a_stage_keep_what_was_typed(client, setup):
    client = as_user(client, "trainer")
    values = open_editor(client)
    values["title"] = "改过的标题"  # typed, not saved yet
    added = client.post(EDIT, data={**values, "op": "stages:add"})
    assert added.status_code == 200
    values = form_values(added.get_data(as_text=True))
    assert values["title"] == "改过的标题" and values["stages-3-weeks"] == "1" and values["stages-3-title"] == ""
    assert values["stages-2-assessments-0-qualification"] == "insurance_agent"
    values.update({"stages-3-title": "第四阶段", "stages-3-title_en": "Stage 4", "stages-3-weeks": "2",
                   "stages-3-assessments-0-exam": "transfer-stage-1-exam", "stages-3-assessments-0-title": "复考"})
    moved = form_values(client.post(EDIT, data={**values, "op": "stages:up:3"}).get_data(as_text=True))
    assert moved["stages-2-title"] == "第四阶段" and moved["stages-3-title"].startswith("第三阶段")
    assert moved["stages-3-assessments-0-qualification"] == "insurance_agent"
    moved = form_values(client.post(EDIT, data={**moved, "op": "stages:down:0"}).get_data(as_text=True))
    assert moved["stages-0-title"].startswith("第二阶段") and moved["stages-1-title"].startswith("第一阶段")
    removed = form_values(client.post(EDIT, data={**moved, "op": "stages:remove:0"}).get_data(as_text=True))
    assert [removed[f"stages-{n}-title"][:4] for n in range(3)] == ["第一阶段", "第四阶段", "第三阶段"]
    assert "stages-3-title" not in removed
    assert len(template().versions) == 1  # nothing saved by the row buttons
    assert client.post(EDIT, data=removed).status_code == 302
    latest = template().latest
    assert latest.number == 2 and latest.definition["title"] == "改过的标题"
    assert [s["title_en"][:7] for s in latest.stages] == ["Stage 1", "Stage 4", "Stage 3"]
    assert latest.stages[1]["assessments"][0]["ref"] == "transfer-stage-1-exam"


def test_task_assessment_and_goal_rows(client, setup):
    client = as_user(client, "trainer")
    values = open_editor(client)
    values = form_values(client.post(EDIT, data={**values, "op": "stages-1-follow_up:add"}).get_data(as_text=True))
    values["stages-1-follow_up-0-title"] = "考证券从业资格"
    values = form_values(client.post(EDIT, data={**values, "op": "stages-1-assessments:remove:0"}).get_data(as_text=True))
    assert values["stages-1-assessments-0-exam"] == "transfer-stage-2-exam"
    assert "stages-1-assessments-1-exam" not in values
    assert values["stages-1-follow_up-0-title"] == "考证券从业资格"
    assert client.post(EDIT, data=values).status_code == 302
    stage = template().latest.stages[1]
    assert [a["ref"] for a in stage["assessments"]] == ["transfer-stage-2-exam"]
    assert stage["follow_up"] == [{"title": "考证券从业资格", "title_en": "", "when": ""}]


# --- problems at their fields ---------------------------------------------------------------------

def test_problems_are_shown_at_their_fields_and_nothing_is_saved_or_lost(client, setup):
    client = as_user(client, "trainer")
    values = open_editor(client)
    values.update({"stages-1-weeks": "两周", "stages-0-assessments-0-exam": "no-such-exam", "title_en": "",
                   "stages-0-end": "17:00", "stages-2-tasks-0-kind": "course", "stages-2-tasks-0-value": "nope"})
    values = form_values(client.post(EDIT, data={**values, "op": "stages-0-tasks:add"}).get_data(as_text=True))
    values["stages-0-tasks-0-value"] = values["stages-0-tasks-0-value"]  # the added empty row is left out
    response = client.post(EDIT, data=values)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was saved" in html
    assert errors_at(html, "stages-1-weeks") == ['stage 2: &#34;weeks&#34; must be a whole number from 1 to 52']
    assert errors_at(html, "stages-0-assessments-0-exam") == ['stage 1: unknown exam &#34;no-such-exam&#34;']
    assert errors_at(html, "title_en") == ['&#34;title_en&#34; is required']
    assert errors_at(html, "stages-0-end") == ["stage 1: the session must end after it starts"]
    assert errors_at(html, "stages-2-tasks-0-value") == ['stage 3: unknown course &#34;nope&#34;']
    assert 'aria-invalid="true"' in html
    kept = form_values(html)
    assert kept["stages-1-weeks"] == "两周" and kept["stages-0-assessments-0-exam"] == "no-such-exam"
    assert kept["stages-2-tasks-0-value"] == "nope" and kept["stages-0-end"] == "17:00"
    assert len(template().versions) == 1


def test_problems_in_the_users_language(client, setup):
    client = as_user(client, "trainer", locale="zh_Hans")
    values = open_editor(client)
    values["stages-1-weeks"] = "0"
    html = client.post(EDIT, data=values).get_data(as_text=True)
    message = errors_at(html, "stages-1-weeks")[0]
    assert message.startswith("第 2 阶段") and "52" in message  # the key keeps its name, as in the file


def test_a_value_no_list_offers_is_reported_not_dropped(client, setup):
    client = as_user(client, "trainer")
    values = open_editor(client)
    values.update({"stages-0-tasks-0-kind": "video", "stages-0-assessments-0-kind": "interview",
                   "stages-0-weekday": "someday", "stages-1-assessor": "ceo"})
    response = client.post(EDIT, data=values)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert errors_at(html, "stages-0-tasks-0-kind") == ["stage 1: a task needs exactly one of course, lesson, reading or practice"]
    assert errors_at(html, "stages-0-assessments-0-kind") == ["stage 1: an assessment&#39;s kind must be exam, practical or external"]
    assert errors_at(html, "stages-0-weekday")[0].startswith("stage 1: weekday must be one of mon")
    assert errors_at(html, "stages-1-assessor") == ['stage 2: unknown position code &#34;ceo&#34;']
    assert len(template().versions) == 1


def test_a_stage_without_assessments_is_reported_at_the_stage(client, setup):
    client = as_user(client, "trainer")
    values = open_editor(client)
    values["stages-2-assessments-0-qualification"] = ""
    values["stages-2-assessments-0-title"] = ""
    values["stages-2-assessments-0-title_en"] = ""
    values["stages-2-assessments-0-description"] = ""
    values["stages-2-assessments-0-description_en"] = ""
    html = client.post(EDIT, data=values).get_data(as_text=True)
    assert errors_at(html, "stages-2-assessments") == ['stage 3: &#34;assessments&#34; must be a non-empty list']


def test_validator_problems_name_their_path():
    text = ("id: plan-p\ntitle: t\ntitle_en: t\nstages:\n  - title: s\n    title_en: s\n    weeks: 1\n"
            "    assessments:\n      - {kind: exam, exam: nope, title: x}\n  - title: s2\n    weeks: 99\n"
            "    assessments: []\n")
    with pytest.raises(DefinitionInvalid) as invalid:
        parse(text)
    paths = {p.path: p.line for p in invalid.value.problems}
    assert paths == {"stages.0.assessments.0.exam": 9, "stages.1.weeks": 11, "stages.1.assessments": 12,
                     "stages.1.title_en": 10}


# --- access, CSRF, the advanced editor ---------------------------------------------------------------

@pytest.mark.parametrize("username", ["teller", "head"])
def test_trainees_and_branch_heads_cannot_reach_the_editor(client, setup, username):
    trainer = as_user(client, "trainer")
    values = open_editor(trainer)
    values["stages-1-weeks"] = "5"
    client = as_user(client, username)
    assert client.get(EDIT).status_code == 403
    assert client.get(EDIT + "/yaml").status_code == 403
    values["csrf_token"] = csrf_token(client, "/")
    assert client.post(EDIT, data=values).status_code == 403
    assert len(template().versions) == 1


def test_the_editor_needs_csrf(client, setup):
    client = as_user(client, "trainer")
    values = open_editor(client)
    values["stages-1-weeks"] = "5"
    del values["csrf_token"]
    assert client.post(EDIT, data=values).status_code == 400
    assert client.post(EDIT, data={**values, "csrf_token": "forged"}).status_code == 400
    assert len(template().versions) == 1


def test_the_yaml_editor_stays_as_the_advanced_editor(client, setup):
    client = as_user(client, "trainer")
    html = client.get(EDIT).get_data(as_text=True)
    assert f'href="{EDIT}/yaml"' in html
    text = template().latest.source_text.replace("weeks: 2", "weeks: 4")
    response = client.post(EDIT + "/yaml", data={"source": text, "csrf_token": csrf_token(client, EDIT + "/yaml")})
    assert response.status_code == 302
    assert template().latest.stages[1]["weeks"] == 4
    assert open_editor(client)["stages-1-weeks"] == "4"
