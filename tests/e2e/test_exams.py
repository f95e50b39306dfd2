"""Exam day in the browser: a trainee sits the timed demo exam, loses the connection, closes the
tab, comes back to every answer and submits; an assessor scores a drill; a trainer reads the
statistics. At desktop and phone widths."""
import re

from tests.e2e.conftest import assert_no_horizontal_scroll, score_drill_in_full, sign_in

SAVED = re.compile(r"已保存 \d\d:\d\d:\d\d")


def answer(page):
    """Answer every question on the attempt page; returns the fill-in text used."""
    for fieldset in page.locator("fieldset.question").all():
        kind = fieldset.get_attribute("data-type")
        if kind == "single":
            fieldset.locator("label.choice").first.click()
        elif kind == "multiple":
            fieldset.locator("label.choice").nth(0).click()
            fieldset.locator("label.choice").nth(1).click()
        elif kind == "truefalse":
            fieldset.locator("label.choice").first.click()
        elif kind == "fill":
            fieldset.locator("input[type=text]").fill("二十")
        else:
            fieldset.locator("textarea").fill("已按话术完成演练")
        status = page.locator(f"[data-slot-status='{fieldset.get_attribute('data-slot')}']")
        status.filter(has_text=SAVED).wait_for()


def test_trainee_sits_a_timed_exam_and_nothing_is_lost(page, live_server):
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, "trainee")
    page.goto(live_server + "/exams/demo-all-types")
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="开始考试").click()
    page.wait_for_load_state()
    assert page.locator("#time-left").is_visible()
    answer(page)
    assert_no_horizontal_scroll(page)
    # The network drops: the change is kept in the browser, shown as not saved, and sent once back online.
    fill = page.locator("fieldset[data-type=fill]")
    slot = fill.get_attribute("data-slot")
    page.context.set_offline(True)
    fill.locator("input[type=text]").fill("２０")
    page.locator(f"[data-slot-status='{slot}']").filter(has_text="尚未保存").wait_for()
    page.context.set_offline(False)
    page.locator(f"[data-slot-status='{slot}']").filter(has_text=SAVED).wait_for(timeout=20_000)
    attempt_url = page.url
    # Close the tab and come back.
    context = page.context
    page.close()
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server + "/exams/demo-all-types")
    page.get_by_role("link", name="继续作答").click()
    page.wait_for_load_state()
    assert page.url == attempt_url
    assert page.locator("fieldset[data-type=fill] input[type=text]").input_value() == "２０"
    assert page.locator("fieldset[data-type=single] input:checked").count() == 1
    assert page.locator("fieldset[data-type=multiple] input:checked").count() == 2
    assert page.locator("fieldset[data-type=truefalse] input:checked").count() == 1
    assert page.locator("fieldset[data-type=practical] textarea").input_value() == "已按话术完成演练"
    page.locator("#submit-attempt").click()
    page.wait_for_url(re.compile(r"/result$"))
    assert page.get_by_role("heading", name="成绩", exact=True).is_visible()
    assert page.get_by_text("等待评估人评分").first.is_visible()
    assert page.locator("#score, .big-number").first.is_visible()
    assert_no_horizontal_scroll(page)


def test_assessor_scores_a_drill(page, live_server):
    sign_in(page, live_server, "assessor")
    page.goto(live_server + "/exams/assess")
    assert_no_horizontal_scroll(page)
    page.locator("table a[href*='/exams/assess/']").first.click()
    page.wait_for_load_state()
    assert_no_horizontal_scroll(page)
    score_drill_in_full(page, "表现规范")


def test_trainer_reads_the_statistics(page, live_server):
    sign_in(page, live_server, "trainer")
    page.goto(live_server + "/exams/manage")
    assert_no_horizontal_scroll(page)
    page.locator("a[href='/exams/manage/demo-all-types/stats']").click()
    page.wait_for_load_state()
    assert int(page.locator("#stat-attempts").inner_text()) > 0
    assert page.locator("svg.chart").is_visible()
    assert page.locator("section.item").count() >= 4
    assert_no_horizontal_scroll(page)
