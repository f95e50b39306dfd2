"""The transfer plan walked through in the browser, at desktop and phone widths, in Chinese: a head enrols,
the trainee follows the timeline, a trainer waives two stages with reasons, the head uploads the
insurance-agent certificate and an assessor verifies it, which completes the plan; and the whole plan
again with every assessment taken in the browser: the trainee sits the stage exams and the drills, an
assessor scores the drills, a second assessor verifies the certificate."""
import datetime
import random
import re
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import assert_no_horizontal_scroll, running_app, score_drill_in_full, sign_in, sign_out

#: Employee numbers enrolled by these tests: a completed enrolment may be repeated, but its verified
#: qualification would then pass stage 3 at once, so each test takes someone new.
_USED: set[str] = set()
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _enrol_someone(page, base: str, start: datetime.date | None = None) -> str:
    """Enrol the last JS teller not yet enrolled, starting `start` (today); return the enrolment page's URL."""
    page.goto(base + "/people/?org=JS&position=teller")
    numbers = [n.strip() for n in page.locator("table tbody td:first-child a").all_inner_texts()]
    for number in reversed(numbers):  # the demo enrols the lowest numbers
        if number in _USED:
            continue
        _USED.add(number)
        page.goto(base + "/plans/transfer-to-account-manager/enrol")
        assert_no_horizontal_scroll(page)
        page.locator("textarea[name=employee_nos]").fill(number)
        page.locator("input[name=start_date]").fill((start or datetime.date.today()).isoformat())
        page.get_by_role("button", name="报名").click()
        page.wait_for_load_state()
        if re.search(r"/plans/enrolments/\d+$", page.url):
            return page.url
        assert "已在此学习计划中" in page.get_by_role("alert").inner_text()
    raise AssertionError("no JS teller left to enrol")


def test_transfer_plan_end_to_end(page, live_server):
    sign_in(page, live_server, "head")
    url = _enrol_someone(page, live_server)
    name = page.locator("p.lead").inner_text().split(" (")[0]
    assert page.locator("#stage-1 .tag").first.inner_text() == "进行中"
    page.goto(live_server + "/plans/enrolments")
    assert page.get_by_role("heading", name="本周到期").is_visible() or page.locator("table.enrolments").is_visible()
    assert_no_horizontal_scroll(page)
    sign_out(page)

    sign_in(page, live_server, "trainee")
    assert page.get_by_role("heading", name="我的学习计划").is_visible()
    page.get_by_role("link", name="查看我的学习计划").click()
    page.wait_for_load_state()
    assert page.locator("#stage-1").get_by_text("周三夕会").first.is_visible()
    assert page.locator("#stage-3").get_by_text("保险代理人资格考试").is_visible()
    assert_no_horizontal_scroll(page)
    sign_out(page)

    sign_in(page, live_server, "trainer")
    for position, reason in ((1, "上月已参加同一业务考试并通过"), (2, "演练已在支行线下完成并评分")):
        page.goto(url)
        stage = page.locator(f"#stage-{position}")
        stage.get_by_text("讲师：本阶段免考、记为未通过或重新开放").click()
        stage.locator("select[name=decision]").select_option("waive")
        stage.locator("textarea[name=reason]").fill(reason)
        stage.get_by_role("button", name="保存处理结果").click()
        page.wait_for_load_state()
        assert page.locator(f"#stage-{position} h2 .tag").inner_text() == "免考"  # waived, not passed
        assert page.get_by_role("cell", name=reason).first.is_visible()
    sign_out(page)

    sign_in(page, live_server, "head")
    page.goto(url)
    _upload_certificate(page, "BX2026-0001", datetime.date.today(), "证书.pdf")
    assert_no_horizontal_scroll(page)
    sign_out(page)

    sign_in(page, live_server, "assessor")
    page.goto(url)
    page.get_by_role("button", name="核验通过").click()
    page.wait_for_load_state()
    assert page.locator("dl.facts .tag").first.inner_text() == "已通过"
    assert page.get_by_text("具备转岗客户经理资格").first.is_visible()
    sign_out(page)

    sign_in(page, live_server, "head")
    page.goto(live_server + "/plans/enrolments?state=passed")
    assert page.get_by_role("link", name=name).first.is_visible()
    assert_no_horizontal_scroll(page)


def test_bad_evidence_is_refused_with_a_clear_error(page, live_server):
    sign_in(page, live_server, "head")
    _enrol_someone(page, live_server)
    page.locator("input[name=certificate_no]").fill("BX-bad")
    page.locator("input[name=certified_on]").fill(datetime.date.today().isoformat())
    page.locator("input[name=file]").set_input_files({"name": "证书.pdf", "mimeType": "application/pdf", "buffer": b"<html>fake"})
    page.get_by_role("button", name="上传证明材料").click()
    page.wait_for_load_state()
    assert page.get_by_text("文件不是 PDF、PNG 或 JPEG").is_visible()
    assert_no_horizontal_scroll(page)


# --- the whole plan, every assessment taken in the browser ---------------------------------------------
BEIJING = ZoneInfo("Asia/Shanghai")
SAVED = re.compile(r"已保存 \d\d:\d\d:\d\d")
NEW_PASSWORD = "Zhuangang-2026"


def _next_wednesday_evening(now: datetime.datetime) -> datetime.datetime:
    """The next Wednesday 18:00:05 in Beijing: five seconds into the stage exams' weekly window."""
    local = now.astimezone(BEIJING)
    days = (2 - local.weekday()) % 7 or 7
    day = local.date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(18, 0, 5), BEIJING)


@pytest.fixture(scope="module")
def wednesday_evening():
    """A server of its own whose clock starts at the Wednesday evening meeting. The stage exams are open only
    Wednesdays 18:00–19:00 (question_bank/exams/transfer-stage-*-exam.yaml) and only to trainees at that stage;
    rather than loosen either, this server's clock (app.core.clock, the hook the in-process tests freeze)
    starts five seconds into the window and runs on, so the whole walk-through happens during the meeting
    (it takes a few minutes; the window is an hour). The shared live_server keeps the real time."""
    with running_app(clock_at=_next_wednesday_evening(datetime.datetime.now(datetime.timezone.utc))) as app:
        yield app


def _right_answers(app, attempt_id: int) -> dict[int, dict]:
    """The right response for each slot of an attempt, read from the server's database (never through the
    trainee's browser), in the browser's terms: option positions as displayed after shuffling."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from app.exams.demo import answer
    from app.exams.models import AttemptSlot

    engine = create_engine(app.database_url)
    try:
        with Session(engine) as session:
            slots = session.scalars(select(AttemptSlot).where(AttemptSlot.attempt_id == attempt_id)).all()
            return {slot.slot: answer(slot, random.Random(0), right=True) for slot in slots}
    finally:
        engine.dispose()


def _sit(page, app, note: str = "已按话术要点完成演练") -> int:
    """On an exam's page: start, answer every question right (drills: a note for the assessor), submit.
    Returns the attempt id; the page is left on the result."""
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_url(re.compile(r"/exams/attempts/\d+$"))
    assert_no_horizontal_scroll(page)
    attempt_id = int(page.url.rsplit("/", 1)[1])
    answers = _right_answers(app, attempt_id)
    questions = page.locator("fieldset.question")
    assert questions.count() == len(answers)
    for fieldset in questions.all():
        slot, kind = int(fieldset.get_attribute("data-slot")), fieldset.get_attribute("data-type")
        right, choices = answers[slot], fieldset.locator("label.choice")
        if kind == "single":
            choices.nth(right["choice"]).click()
        elif kind == "multiple":
            for position in right["choices"]:
                choices.nth(position).click()
        elif kind == "truefalse":
            choices.nth(0 if right["value"] else 1).click()
        elif kind == "fill":
            fieldset.locator("input[type=text]").fill(right["text"])
        else:
            fieldset.locator("textarea").fill(note)
        page.locator(f"[data-slot-status='{slot}']").filter(has_text=SAVED).wait_for()
    page.locator("#submit-attempt").click()
    page.wait_for_url(re.compile(r"/result$"))
    assert page.get_by_role("heading", name="成绩", exact=True).is_visible()
    assert_no_horizontal_scroll(page)
    return attempt_id


def _stage_tag(page, position: int) -> str:
    return page.locator(f"#stage-{position} h2 .tag").inner_text()


def test_transfer_plan_sat_and_assessed_in_the_browser(page, wednesday_evening):
    """Head enrols a teller; an administrator gives the teller a sign-in; the teller sits the stage 1 business
    exam from the timeline, then the stage 2 drills and service exam; the demo assessor scores the drills from
    the queue; the teller uploads the insurance-agent certificate and the second assessor verifies it: the plan
    is completed and the teller qualified to transfer. The head sees the pass, the trainer the history."""
    app, base = wednesday_evening, wednesday_evening.url
    today = app.clock_at.date()  # the server's today: that Wednesday
    page.on("dialog", lambda dialog: dialog.accept())

    # The head enrols a JS teller (starting today, the Wednesday), who has no sign-in yet.
    sign_in(page, base, "head")
    url = _enrol_someone(page, base, start=today)
    employee_no = page.locator("p.lead").inner_text().split("(")[1].split(")")[0]
    assert _stage_tag(page, 1) == "进行中"
    sign_out(page)

    # An administrator gives the teller a temporary password (the sign-in name is the employee number).
    sign_in(page, base, "admin")
    page.goto(f"{base}/people/{employee_no}")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="设置临时密码").click()
    page.wait_for_load_state()
    password = re.search(r"临时密码：([A-Za-z0-9]{12})", page.get_by_role("alert").last.inner_text()).group(1)
    sign_out(page)

    # The teller signs in, must choose a new password, and finds the plan on the home page.
    sign_in(page, base, employee_no, password)
    assert page.url.endswith("/account/password")
    page.locator("input[name=current_password]").fill(password)
    page.locator("input[name=new_password]").fill(NEW_PASSWORD)
    page.locator("input[name=confirm]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_load_state()
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="查看我的学习计划").click()
    page.wait_for_load_state()
    assert page.url == url
    assert_no_horizontal_scroll(page)

    # Stage 1: the business exam, opened from the timeline.
    page.locator("#stage-1").get_by_role("link", name="参加考试").click()
    page.wait_for_load_state()
    assert_no_horizontal_scroll(page)
    _sit(page, app)
    assert page.locator(".result-verdict").inner_text() == "已通过"
    page.goto(url)
    assert _stage_tag(page, 1) == "已通过" and _stage_tag(page, 2) == "进行中"
    assert page.locator("#stage-1").get_by_role("link", name="参加考试").count() == 0

    # Stage 2: the drills (notes for the assessor; scored later) and the service exam.
    page.locator("#stage-2").get_by_role("link", name="参加演练").click()
    page.wait_for_load_state()
    drills = _sit(page, app)
    assert page.locator(".result-verdict").inner_text() == "等待评估人评分"
    page.goto(url)
    page.locator("#stage-2").get_by_role("link", name="参加考试").click()
    page.wait_for_load_state()
    _sit(page, app)
    assert page.locator(".result-verdict").inner_text() == "已通过"
    page.goto(url)
    assert _stage_tag(page, 2) == "进行中", "the drills are not scored yet"
    sign_out(page)

    # The demo assessor scores each drill of this attempt from the queue, every criterion in full.
    sign_in(page, base, "assessor")
    page.goto(base + "/exams/assess")
    assert_no_horizontal_scroll(page)
    items = page.locator(f"table a[href^='/exams/assess/{drills}/']")
    assert items.count() == 7
    while items.count():
        items.first.click()
        page.wait_for_load_state()
        assert_no_horizontal_scroll(page)
        score_drill_in_full(page, "话术完整，服务规范")
    sign_out(page)

    # Stage 3: the teller sees stage 2 passed and uploads the insurance-agent certificate.
    sign_in(page, base, employee_no, NEW_PASSWORD)
    page.goto(url)
    assert _stage_tag(page, 2) == "已通过" and _stage_tag(page, 3) == "进行中"
    _upload_certificate(page, "BX2026-0100", today, "保险代理人资格证.pdf")
    assert_no_horizontal_scroll(page)
    sign_out(page)

    # The second assessor finds it among the evidence awaiting verification and verifies it.
    sign_in(page, base, "assessor2")
    page.goto(base + "/plans/enrolments")
    assert_no_horizontal_scroll(page)
    page.locator(f"a[href='{url[len(base):]}#evidence']").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="核验通过").click()
    page.wait_for_load_state()
    assert page.locator("dl.facts .tag").first.inner_text() == "已通过"
    sign_out(page)

    # The teller's plan is completed: qualified to transfer.
    sign_in(page, base, employee_no, NEW_PASSWORD)
    page.goto(url)
    assert page.locator("dl.facts .tag").first.inner_text() == "已通过"
    assert [_stage_tag(page, n) for n in (1, 2, 3)] == ["已通过"] * 3
    assert page.locator("dl.facts").first.get_by_text("具备转岗客户经理资格").is_visible()
    assert_no_horizontal_scroll(page)
    sign_out(page)

    # The head sees the teller among those who passed.
    sign_in(page, base, "head")
    page.goto(base + "/plans/enrolments?state=passed")
    assert page.locator(f"table.enrolments a[href='{url[len(base):]}']").is_visible()
    assert_no_horizontal_scroll(page)
    sign_out(page)

    # The trainer reads the history: each stage passed on its results (not waived), then completion.
    sign_in(page, base, "trainer")
    page.goto(url)
    history = page.locator("section.card").filter(has=page.get_by_role("heading", name="历史记录"))
    rows = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in history.locator("tbody tr").all()]
    actions = [(row[1], row[2]) for row in reversed(rows)]  # oldest first
    passed = [stage for action, stage in actions if action == "阶段通过"]
    assert passed == ["1", "2", "3"]
    assert ("证明材料已核验", "3") in actions and actions[-1][0] == "学习计划完成"
    assert not any(action == "阶段免考" for action, _stage in actions)
    assert_no_horizontal_scroll(page)


def _upload_certificate(page, number: str, day: datetime.date, filename: str) -> None:
    """On an enrolment page: upload the external qualification's certificate; it then awaits verification."""
    page.locator("input[name=certificate_no]").fill(number)
    page.locator("input[name=certified_on]").fill(day.isoformat())
    page.locator("input[name=file]").set_input_files({"name": filename, "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="上传证明材料").click()
    page.wait_for_load_state()
    assert page.get_by_text("待核验").first.is_visible()
