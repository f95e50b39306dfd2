"""Plans: templates, due dates and the holiday rule, gating, states with a frozen clock, waivers, evidence."""
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import Role
from app.config import ROOT
from app.core import clock, events
from app.core.errors import DomainError
from app.extensions import db
from app.plans import schedule, services
from app.plans.definition import DefinitionInvalid, parse
from app.plans.models import Enrolment, EvidenceStatus, Outcome, State

PLANS = ROOT / "courses" / "plans"
PDF = b"%PDF-1.4\n%test\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


@pytest.fixture(autouse=True)
def english(ctx):
    """Messages are matched in English here (the pages' Chinese is checked in the browser tests)."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


@pytest.fixture
def plans(db):
    services.sync_directory(PLANS)
    db.session.commit()
    return services.template_by_slug("transfer-to-account-manager")


@pytest.fixture
def people(org, make_person):
    clock.freeze(datetime(2026, 3, 3, 9))
    return {
        "head": make_person(org["BJ"], "pf_manager", roles=[(Role.branch_head, org["BJ"])]),
        "trainer": make_person(org["HO"], "head_office_staff", roles=[(Role.trainer, org["HO"])]),
        "assessor": make_person(org["BJ-S01"], "product_manager", roles=[(Role.assessor, org["BJ"])]),
        "senior": make_person(org["BJ-S01"], "senior_account_manager"),
        "teller": make_person(org["BJ-S01-001"], "teller"),
        "outsider": make_person(org["TJ-S01-001"], "teller"),
        "tj_pm": make_person(org["TJ-S01"], "product_manager"),
    }


def enrol(people, template, start=date(2026, 3, 2), who="teller", **assessors):
    return services.enrol(people["head"], people[who], services.EnrolmentRequest(template, start, assessors))


# --- templates ------------------------------------------------------------------------------------
def test_shipped_plans_load_and_sync_is_idempotent(plans):
    stages = plans.latest.stages
    assert [s["weeks"] for s in stages] == [1, 2, 1]
    assert [a["ref"] for a in stages[1]["assessments"]] == ["transfer-stage-2-drills", "transfer-stage-2-exam"]
    assert stages[2]["assessments"][0] == {**stages[2]["assessments"][0], "kind": "external", "ref": "insurance_agent"}
    assert stages[0]["session"]["weekday"] == "wed" and stages[0]["assessor"] == "product_manager"
    assert services.template_by_slug("outlet-head-licensing").latest.stages[1]["assessments"][0]["ref"] == "outlet-head-certification"
    assert services.sync_directory(PLANS) == []
    assert len(plans.versions) == 1


def test_validation_names_the_line_and_sync_loads_nothing(db, tmp_path):
    good = (PLANS / "transfer-to-account-manager.yaml").read_text(encoding="utf-8")
    (tmp_path / "a-good.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "b-bad.yaml").write_text(
        "id: bad-plan\ntitle: x\ntitle_en: x\nstages:\n  - title: s\n    title_en: s\n    weeks: 0\n"
        "    assessments:\n      - kind: exam\n        exam: no-such-exam\n        title: t\n", encoding="utf-8")
    with pytest.raises(services.SyncFailed) as failed:
        services.sync_directory(tmp_path)
    assert "b-bad.yaml:7: stage 1: \"weeks\" must be a whole number from 1 to 52" in failed.value.problems
    assert any(p.startswith("b-bad.yaml:10:") and "no-such-exam" in p for p in failed.value.problems)
    assert services.all_templates() == []


@pytest.mark.parametrize("slug", ["mine", "enrolments", "evidence", "static"])
def test_an_id_that_is_a_plans_route_is_refused_with_file_and_line(db, tmp_path, slug):
    good = (PLANS / "transfer-to-account-manager.yaml").read_text(encoding="utf-8")
    (tmp_path / "clash.yaml").write_text(good.replace("id: transfer-to-account-manager", f"id: {slug}"), encoding="utf-8")
    line = 1 + good.splitlines().index("id: transfer-to-account-manager")
    with pytest.raises(services.SyncFailed) as failed:
        services.sync_directory(tmp_path)
    assert failed.value.problems == [f"clash.yaml:{line}: id \"{slug}\" is reserved for a page under /plans/; choose "
                                     "another (reserved: enrolments, evidence, mine, static)"]
    assert services.all_templates() == []


def test_reserved_ids_cover_every_word_the_plan_pages_use(app):
    """Every /plans/<word>… route's literal first word is reserved, so no plan page can be hidden behind one
    (a new route under /plans/ must add its word to RESERVED_IDS)."""
    from app.plans.definition import RESERVED_IDS

    words = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("plans.") and rule.rule.startswith("/plans/"):
            first = rule.rule[len("/plans/"):].split("/")[0]
            if first and "<" not in first:
                words.add(first)
    assert words == RESERVED_IDS


def test_unknown_course_and_bad_session_are_reported(ctx):
    text = ("id: p\ntitle: t\ntitle_en: t\nstages:\n  - title: s\n    title_en: s\n    weeks: 1\n    tasks:\n"
            "      - course: nope\n    assessments:\n      - {kind: external, qualification: insurance_agent, title: x}\n"
            "    session: {weekday: wednesday, start: '18:00', end: '17:00', place: x}\n")
    with pytest.raises(DefinitionInvalid) as invalid:
        parse(text)
    messages = {(p.line, p.message.split(": ", 1)[-1]) for p in invalid.value.problems}
    assert (9, 'unknown course "nope"') in messages
    assert any(line == 12 and "weekday" in message for line, message in messages)


def test_web_edit_makes_a_version_and_enrolments_keep_theirs(plans, people):
    first = enrol(people, plans)
    edited = plans.latest.source_text.replace("weeks: 2", "weeks: 3")
    version = services.save_version(edited, origin="web", actor=people["trainer"], slug=plans.slug)
    assert version.number == 2 and version.stages[1]["weeks"] == 3
    assert first.version.number == 1 and first.stages[1].due_date == date(2026, 3, 23)
    assert services.sync_directory(PLANS) == []  # the unchanged file does not undo the web edit
    with pytest.raises(DefinitionInvalid):
        services.save_version(edited.replace("id: transfer-to-account-manager", "id: other"), origin="web", slug=plans.slug)


# --- due dates and the holiday rule ---------------------------------------------------------------------
def test_due_dates_follow_the_stage_lengths(plans, people):
    enrolment = enrol(people, plans, start=date(2026, 3, 2))  # a Monday
    assert [s.due_date for s in enrolment.stages] == [date(2026, 3, 9), date(2026, 3, 23), date(2026, 3, 30)]
    assert not any(s.moved for s in enrolment.stages)


def test_a_due_date_on_a_holiday_or_weekend_moves_to_the_next_working_day():
    cal = schedule.calendar()
    # Start Thursday 24 September 2026: +1 week is Thursday 1 October (National Day) → Thursday 8 October.
    dates = schedule.due_dates(date(2026, 9, 24), [1, 2, 1], cal)
    assert dates[0] == (date(2026, 10, 1), date(2026, 10, 8))
    assert dates[1] == (date(2026, 10, 15), date(2026, 10, 15))
    # Saturday start: every due date is a Saturday; 10 October 2026 is a make-up working day (补班).
    saturdays = schedule.due_dates(date(2026, 10, 3), [1, 1], cal)
    assert saturdays == [(date(2026, 10, 10), date(2026, 10, 10)), (date(2026, 10, 17), date(2026, 10, 19))]


def test_moved_due_date_is_kept_with_its_original(plans, people):
    clock.freeze(datetime(2026, 9, 25, 9))
    enrolment = enrol(people, plans, start=date(2026, 9, 24))
    assert enrolment.stages[0].moved and enrolment.stages[0].nominal_due_date == date(2026, 10, 1)


def test_next_weekly_session_skips_holidays():
    session = {"weekday": "wed", "start": "18:00", "end": "19:00", "place": "周三夕会"}
    assert schedule.next_session(session, date(2026, 3, 2)) == date(2026, 3, 4)
    assert schedule.next_session(session, date(2026, 9, 30)) == date(2026, 9, 30)
    assert schedule.next_session(session, date(2026, 10, 1)) == date(2026, 10, 14)  # 7 October is a holiday
    assert schedule.next_session({"date": "2026-07-18", "start": "09:00", "end": "11:00", "place": "x"}, date(2026, 8, 1)) is None


# --- states with a frozen clock ---------------------------------------------------------------------------
def test_state_is_derived_from_facts_and_the_clock(plans, people):
    clock.freeze(datetime(2026, 2, 27, 9))
    enrolment = enrol(people, plans, start=date(2026, 3, 2))
    db.session.commit()
    expected = [(datetime(2026, 2, 27, 9), State.not_started), (datetime(2026, 3, 9, 9), State.in_progress),
                (datetime(2026, 3, 10, 9), State.overdue)]
    for moment, state in expected:
        clock.freeze(moment)
        assert enrolment.state is state
        assert db.session.scalar(select(Enrolment.state).where(Enrolment.id == enrolment.id)) == state.value
        assert [e.id for e in db.session.scalars(services.enrolments_query(people["head"], services.Filters(state=state.value)))] == [enrolment.id]


def test_stage_gating_and_completion(plans, people, monkeypatch):
    clock.freeze(datetime(2026, 3, 3, 9))
    passed: set[str] = set()
    monkeypatch.setattr("app.plans.progress.exam_passed", lambda person, slug: slug in passed)
    completed = []
    events.plan_completed.connect(receiver := lambda sender, enrolment: completed.append(enrolment.id))
    enrolment = enrol(people, plans)
    assert [s.outcome for s in enrolment.stages] == [Outcome.open, Outcome.locked, Outcome.locked]
    passed.add("transfer-stage-2-exam")  # a later stage's exam does not open anything early
    services.evaluate(enrolment)
    assert enrolment.current_stage == 1
    passed.add("transfer-stage-1-exam")
    services.evaluate(enrolment)
    assert enrolment.current_stage == 2 and enrolment.stages[1].outcome is Outcome.open
    passed.add("transfer-stage-2-drills")
    services.evaluate(enrolment)
    assert enrolment.current_stage == 3
    qualification = services.upload_evidence(people["teller"], enrolment, "insurance_agent", "BX-1", date(2026, 3, 2), PDF, "c.pdf")
    services.evaluate(enrolment)
    assert enrolment.current_stage == 3, "unverified evidence does not count"
    services.review_evidence(people["assessor"], qualification, verify=True)
    assert enrolment.state is State.passed and completed == [enrolment.id]
    assert services.plan_completed(people["teller"], plans.slug)
    assert [h.action for h in enrolment.history][-3:] == ["evidence_verified", "stage_passed", "completed"]
    events.plan_completed.disconnect(receiver)


def test_an_exam_result_passes_the_stage(plans, people, monkeypatch):
    clock.freeze(datetime(2026, 3, 3, 9))
    enrolment = enrol(people, plans)
    monkeypatch.setattr("app.plans.progress.exam_passed", lambda person, slug: slug == "transfer-stage-1-exam")

    class Attempt:
        person_id, exam = people["teller"].id, type("Exam", (), {"slug": "transfer-stage-1-exam", "title": "x"})
        score, max_score, passed, finished_at = 90, 100, True, clock.now()

    # The plans receiver alone: other domains' receivers would want a real attempt row.
    services._on_attempt_finalised(Attempt, attempt=Attempt)
    assert enrolment.current_stage == 2


# --- waivers --------------------------------------------------------------------------------------------
def test_trainer_waives_and_reopens_with_reasons(plans, people):
    clock.freeze(datetime(2026, 3, 3, 9))
    enrolment = enrol(people, plans)
    with pytest.raises(DomainError):
        services.decide_stage(people["trainer"], enrolment, 1, "waive", "")
    services.decide_stage(people["trainer"], enrolment, 1, "waive", "passed the same exam last year")
    assert enrolment.stages[0].outcome is Outcome.waived and enrolment.current_stage == 2
    services.decide_stage(people["trainer"], enrolment, 1, "reopen", "waiver given in error")
    assert enrolment.current_stage == 1 and enrolment.stages[1].outcome is Outcome.locked
    entries = [(h.action, h.note, h.actor_id) for h in enrolment.history if h.action.startswith("stage_")]
    assert ("stage_waived", "passed the same exam last year", people["trainer"].id) in entries
    assert ("stage_reopened", "waiver given in error", people["trainer"].id) in entries


def test_a_head_cannot_waive_and_a_failed_stage_fails_the_plan(plans, people):
    from werkzeug.exceptions import Forbidden

    clock.freeze(datetime(2026, 3, 3, 9))
    enrolment = enrol(people, plans)
    with pytest.raises(Forbidden):
        services.decide_stage(people["head"], enrolment, 1, "waive", "no reason needed?")
    services.decide_stage(people["trainer"], enrolment, 1, "fail", "three attempts below 80")
    assert enrolment.state is State.failed
    services.decide_stage(people["trainer"], enrolment, 1, "reopen", "retake after coaching")
    assert enrolment.state is State.in_progress


# --- enrolment: bad input and scope ------------------------------------------------------------------------
def test_enrolment_refusals_change_nothing(plans, people):
    clock.freeze(datetime(2026, 3, 3, 9))
    enrol(people, plans)
    db.session.commit()
    with pytest.raises(DomainError, match="already enrolled"):
        enrol(people, plans)
    with pytest.raises(DomainError, match="more than 30 days in the past"):
        enrol(people, plans, who="senior", start=date(2026, 1, 20))
    with pytest.raises(DomainError, match="outside your scope"):
        enrol(people, plans, who="outsider")
    with pytest.raises(DomainError, match="assessor"):
        services.enrol(people["head"], people["senior"],
                       services.EnrolmentRequest(plans, date(2026, 3, 2), {1: people["tj_pm"]}))
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(Enrolment)) == 1


def test_bulk_enrolment_is_all_or_nothing_with_each_problem(plans, people):
    clock.freeze(datetime(2026, 3, 3, 9))
    enrol(people, plans)
    db.session.commit()
    with pytest.raises(services.EnrolmentRefused) as refused:
        services.enrol_many(people["head"], [people["senior"], people["teller"], people["outsider"]],
                            services.EnrolmentRequest(plans, date(2026, 3, 2)))
    assert [p.id for p, _message in refused.value.problems] == [people["teller"].id, people["outsider"].id]
    db.session.rollback()
    assert services.active_enrolment(people["senior"], plans) is None


def test_assessor_comes_from_the_template_role_in_the_unit_or_above(plans, people):
    clock.freeze(datetime(2026, 3, 3, 9))
    enrolment = enrol(people, plans)
    assert enrolment.stages[0].assessor_id == people["assessor"].id
    assert enrolment.stages[1].assessor_id == people["senior"].id
    assert enrolment.stages[2].assessor_id is None


def test_a_head_sees_only_their_subtree(plans, people, make_person, org):
    clock.freeze(datetime(2026, 3, 3, 9))
    enrol(people, plans)
    tj_head = make_person(org["TJ"], "pf_manager", roles=[(Role.branch_head, org["TJ"])])
    services.enrol(tj_head, people["outsider"], services.EnrolmentRequest(plans, date(2026, 3, 2)))
    seen = {e.person_id for e in db.session.scalars(services.enrolments_query(people["head"], services.Filters()))}
    assert seen == {people["teller"].id}


# --- evidence ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("data, message", [
    (b"GIF89a....", "not a PDF, PNG or JPEG"),
    (b"MZ\x90\x00 pretending.pdf", "not a PDF, PNG or JPEG"),
    (b"%PDF-" + b"0" * (5 * 1024 * 1024), "at most 5 MB"),
    (b"", "not a PDF, PNG or JPEG"),
])
def test_evidence_type_and_size_are_checked(plans, people, data, message):
    clock.freeze(datetime(2026, 3, 3, 9))
    enrolment = enrol(people, plans)
    with pytest.raises(DomainError, match=message):
        services.upload_evidence(people["teller"], enrolment, "insurance_agent", "BX-1", date(2026, 3, 1), data, "x.pdf")


def test_evidence_rejection_needs_a_reason_and_nobody_verifies_their_own(plans, people):
    from werkzeug.exceptions import Forbidden

    clock.freeze(datetime(2026, 3, 3, 9))
    enrolment = enrol(people, plans)
    qualification = services.upload_evidence(people["head"], enrolment, "insurance_agent", "BX-2", date(2026, 3, 1), PNG, "c.png")
    assert qualification.content_type == "image/png"
    with pytest.raises(Forbidden):
        services.review_evidence(people["head"], qualification, verify=True)  # heads upload; assessors verify
    with pytest.raises(DomainError):
        services.review_evidence(people["assessor"], qualification, verify=False, reason="")
    services.review_evidence(people["assessor"], qualification, verify=False, reason="number does not match the scan")
    assert qualification.status is EvidenceStatus.rejected and services.verified_qualification(people["teller"], "insurance_agent") is None
    with pytest.raises(DomainError, match="already"):
        services.review_evidence(people["trainer"], qualification, verify=True)


def _evidence_files() -> set:
    return {p.name for p in services.evidence_dir().iterdir()}


def test_an_upload_whose_commit_fails_leaves_no_file(plans, people):
    """The file is written with the row; a DB error at commit rolls both back, so no file is left behind."""
    from sqlalchemy.exc import IntegrityError

    from app.accounts.models import Person

    clock.freeze(datetime(2026, 3, 3, 9))
    enrolment = enrol(people, plans)
    db.session.commit()
    scan = PDF + b"%BX-7\n"  # stored files are named by content and time: unique content, a name no other test uses
    qualification = services.upload_evidence(people["teller"], enrolment, "insurance_agent", "BX-7", date(2026, 3, 1), scan, "c.pdf")
    stored = qualification.stored_name
    assert stored in _evidence_files(), "written at once, so a committed row always has its file"
    teller = people["teller"]
    db.session.add(Person(employee_no=teller.employee_no, name="duplicate", org_unit_id=teller.org_unit_id, position="teller"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert stored not in _evidence_files()
    assert services.qualifications_of(teller) == []


def test_an_upload_kept_only_by_its_commit(plans, people):
    clock.freeze(datetime(2026, 3, 3, 9))
    enrolment = enrol(people, plans)
    db.session.commit()
    with db.session.begin_nested():  # a released savepoint is not yet a commit
        dropped = services.upload_evidence(people["teller"], enrolment, "insurance_agent", "BX-8", date(2026, 3, 1),
                                           PDF + b"%BX-8\n", "c.pdf")
    dropped_name = dropped.stored_name
    db.session.rollback()
    assert dropped_name not in _evidence_files()
    kept = services.upload_evidence(people["teller"], enrolment, "insurance_agent", "BX-9", date(2026, 3, 1),
                                    PNG + b"BX-9", "c.png")
    db.session.commit()
    assert kept.stored_name in _evidence_files()
    db.session.rollback()  # a later rollback does not touch a committed file
    assert kept.stored_name in _evidence_files()


def test_withdrawal_and_due_this_week(plans, people):
    clock.freeze(datetime(2026, 3, 4, 9))  # Wednesday; stage 1 due Monday 9 March
    enrolment = enrol(people, plans)
    assert services.due_this_week(people["head"]) == []
    clock.freeze(datetime(2026, 3, 9, 9))
    assert services.due_this_week(people["head"]) == [enrolment]
    services.withdraw(people["head"], enrolment, "moved to another branch")
    assert enrolment.state is State.withdrawn and services.due_this_week(people["head"]) == []
    with pytest.raises(DomainError):
        services.decide_stage(people["trainer"], enrolment, 1, "waive", "too late now")
    assert services.state_counts(people["head"]) == {"withdrawn": 1}
