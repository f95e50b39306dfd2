"""Honours and the scorecard in the browser: a branch head nominates an outlet and sees its evidence, head office
approves, the honour roll shows it; an account manager logs work and sees their score and rank."""
import re

from tests.e2e.conftest import assert_no_horizontal_scroll, sign_in, sign_out


def _outlet_for(page) -> str:
    """A different outlet per viewport, since both runs share one database."""
    return "JS-S01-003" if page.viewport_size["width"] > 600 else "JS-S02-001"


def test_nominate_an_outlet_approve_and_see_it_on_the_roll(page, live_server):
    outlet = _outlet_for(page)
    sign_in(page, live_server, "head")
    page.goto(live_server + "/honours/nominate")
    assert_no_horizontal_scroll(page)
    page.locator("input[name=outlet_code]").fill(outlet)
    page.locator("textarea[name=statement]").fill("持证上岗率领先，学习计划按时完成，社区活动有创意。")
    page.locator("form.card [type=submit]").click()
    page.wait_for_load_state()
    assert re.search(r"/honours/nominations/\d+$", page.url)
    nomination_url = page.url
    evidence = page.locator("table.evidence")
    assert "在分行网点中的业绩评价排名" in evidence.inner_text()
    assert "人均学习计划完成" in evidence.inner_text()
    assert page.get_by_text("待审核").first.is_visible()
    assert_no_horizontal_scroll(page)
    sign_out(page)

    sign_in(page, live_server, "admin")
    page.goto(nomination_url)
    page.get_by_role("button", name="批准并授予").click()
    page.wait_for_load_state()
    assert page.get_by_text("已授予").first.is_visible()
    term = page.locator("p.lead").inner_text().split()[1]
    page.goto(f"{live_server}/honours/?term={term}&category=model_outlet")
    roll = page.locator("ul.honour-roll").inner_text()
    assert "示范网点" in roll
    page.goto(f"{live_server}/org/{outlet}")
    assert "示范网点" in page.locator("section.honours-hook").inner_text()
    assert_no_horizontal_scroll(page)


def test_an_account_manager_logs_work_and_sees_score_and_rank(page, live_server):
    sign_in(page, live_server, "manager")
    page.goto(live_server + "/scorecard/log")
    before = float(page.locator("p.big-number").inner_text().split()[0])
    page.locator("select[name=kind]").select_option("call")
    page.locator("input[name=customer]").fill("王先生")
    assert not page.locator("textarea[name=plan]").is_visible()  # fields the kind does not use are hidden
    page.locator("form.worklog-form [type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_text("记录已保存").is_visible()
    after = float(page.locator("p.big-number").inner_text().split()[0])
    assert round(after - before, 2) == 0.1
    assert_no_horizontal_scroll(page)
    page.goto(live_server + "/scorecard/me")
    assert page.get_by_role("heading", name="同岗位排名").is_visible()
    assert re.match(r"\d+", page.locator("span.rank").first.inner_text())
    assert "与客户电话联系" in page.locator("table.breakdown").inner_text()
    assert_no_horizontal_scroll(page)
    page.goto(live_server + "/scorecard/rankings")
    assert page.locator("tr.me").count() == 1
    assert_no_horizontal_scroll(page)
