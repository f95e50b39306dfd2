"""The transfer plan walked through in the browser: a head enrols, the trainee follows the timeline,
a trainer waives two stages with reasons, the head uploads the insurance-agent certificate and an
assessor verifies it, which completes the plan. At desktop and phone widths, in Chinese."""
import datetime
import re

from tests.e2e.conftest import assert_no_horizontal_scroll, sign_in, sign_out

#: Employee numbers enrolled by these tests: a completed enrolment may be repeated, but its verified
#: qualification would then pass stage 3 at once, so each test takes someone new.
_USED: set[str] = set()
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _enrol_someone(page, base: str) -> str:
    """Enrol the first JS teller not yet enrolled; return the enrolment page's URL."""
    page.goto(base + "/people/?org=JS&position=teller")
    numbers = [n.strip() for n in page.locator("table tbody td:first-child a").all_inner_texts()]
    for number in reversed(numbers):  # the demo enrols the lowest numbers
        if number in _USED:
            continue
        _USED.add(number)
        page.goto(base + "/plans/transfer-to-account-manager/enrol")
        assert_no_horizontal_scroll(page)
        page.locator("textarea[name=employee_nos]").fill(number)
        page.locator("input[name=start_date]").fill(datetime.date.today().isoformat())
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
        assert page.locator(f"#stage-{position} h2 .tag").inner_text() == "已通过"
        assert page.get_by_role("cell", name=reason).first.is_visible()
    sign_out(page)

    sign_in(page, live_server, "head")
    page.goto(url)
    page.locator("input[name=certificate_no]").fill("BX2026-0001")
    page.locator("input[name=certified_on]").fill(datetime.date.today().isoformat())
    page.locator("input[name=file]").set_input_files({"name": "证书.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="上传证明材料").click()
    page.wait_for_load_state()
    assert page.get_by_text("待核验").first.is_visible()
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
