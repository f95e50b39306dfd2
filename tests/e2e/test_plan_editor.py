"""The plan editor in the browser, in Chinese: the demo trainer makes stage 1 of the outlet-head licensing
plan a week longer and adds a reading task (the weeks typed before "Add a task" survive the reload), saves,
and sees the new version. At desktop and phone widths (both runs edit the same plan on the same server, so
the version numbers and the length are read, not assumed)."""
import re

from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll, sign_in

SLUG = "outlet-head-licensing"


def test_trainer_lengthens_a_stage_and_adds_a_reading(page, live_server):
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/plans/{SLUG}")
    page.locator(f"a[href='/plans/{SLUG}/edit']").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/plans/{SLUG}/edit")
    form = page.locator("form.plan-editor")
    assert form.is_visible()
    before = int(re.search(r"v(\d+)", page.locator("h1").inner_text()).group(1))
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # Stage 1 is a week longer; a reading task is added to it (a row button: the page reloads, keeping the weeks).
    weeks = page.locator("#stages-0-weeks")
    longer = int(weeks.input_value()) % 52 + 1
    weeks.fill(str(longer))
    tasks = page.locator("#stage-row-0 .task-row")
    count = tasks.count()
    page.locator("#stage-row-0").get_by_role("button", name=re.compile("添加任务")).click()
    page.wait_for_load_state()
    assert tasks.count() == count + 1
    assert page.locator("#stages-0-weeks").input_value() == str(longer)
    assert_no_horizontal_scroll(page)
    reading = f"《网点责任人持证上岗制度》第 {before + 1} 版"
    new_row = tasks.nth(count)
    assert new_row.locator("select[name$='-kind']").input_value() == "reading"
    new_row.locator("input[name$='-value']").fill(reading)

    # The session fields follow the session's kind (JavaScript); the stage has none, so no weekday is shown.
    assert not page.locator("#stages-0-weekday").is_visible()

    page.locator("input[name=save]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/plans/{SLUG}")
    assert page.locator(".flash").filter(has_text=f"已保存为第 {before + 1} 版").is_visible()
    assert page.get_by_text(f"第 {before + 1} 版").first.is_visible()
    stage = page.locator("section.stage").first
    assert f"{longer} 周" in stage.locator("p.muted").inner_text()
    assert stage.get_by_text(reading).is_visible()
    assert_no_horizontal_scroll(page)

    # The older version is still there, for the people enrolled on it.
    page.locator(f"a[href='/plans/{SLUG}?version={before}']").click()
    page.wait_for_load_state()
    assert reading not in page.locator("section.stage").first.inner_text()
