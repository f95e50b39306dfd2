"""A trainer edits and publishes a lesson; a trainee finds it by searching 三换, reads it and completes it.
At desktop and phone widths, with no sideways scrolling."""
import uuid

from tests.e2e.conftest import assert_no_horizontal_scroll, sign_in, sign_out

COURSE, LESSON = "complaint-handling", "key-points"


def test_trainer_publishes_and_trainee_finds_reads_and_completes(page, live_server):
    marker = f"演示更新{uuid.uuid4().hex[:8]}"
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/courses/authoring/{COURSE}/versions")
    page.locator("form[action$='/start'] button, a[href$='/authoring/complaint-handling']").first.click()
    page.wait_for_load_state()
    assert_no_horizontal_scroll(page)
    page.locator(f"a[href$='/lessons/{LESSON}']").first.click()
    page.wait_for_load_state()
    body = page.locator("textarea[name=body_md]")
    body.fill(body.input_value() + f"\n\n!!! note\n    {marker}：遇到僵局时先用三换技巧。\n")
    page.locator(".md-preview-body", has_text=marker).wait_for()  # the live preview, rendered by the server
    assert_no_horizontal_scroll(page)
    page.locator("input[name=submit]").click()
    page.wait_for_load_state()
    page.locator("form[action$='/publish'] button").click()
    page.wait_for_load_state()
    assert "/versions" in page.url
    sign_out(page)

    sign_in(page, live_server, "trainee")
    page.goto(f"{live_server}/courses/")
    assert_no_horizontal_scroll(page)
    page.locator("input[name=q]").fill("三换")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".search-hits mark").first.inner_text() == "三换"
    assert_no_horizontal_scroll(page)
    page.locator(f".search-hits a[href$='/{COURSE}/lessons/{LESSON}']").click()
    page.wait_for_load_state()
    assert page.get_by_text(marker).is_visible()
    assert_no_horizontal_scroll(page)
    page.locator("#lesson-end").scroll_into_view_if_needed()
    status = page.locator("#complete-status")
    status.filter(has_text="您已完成这一课").wait_for()  # completed on reaching the end
    page.reload()
    assert page.locator(".tag-ok", has_text="已完成").first.is_visible()
    page.goto(f"{live_server}/courses/{COURSE}")
    assert page.locator(f".lesson-list a[href$='/lessons/{LESSON}'] ~ .tag-ok").count() == 1
    assert_no_horizontal_scroll(page)


def test_lesson_marked_complete_without_waiting_for_the_end(page, live_server):
    sign_in(page, live_server, "trainee")
    page.goto(f"{live_server}/courses/programme")
    page.locator(".lesson-list a").first.click()
    page.wait_for_load_state()
    button = page.locator("#complete-form button[type=submit]")
    if button.count():
        button.click()
        page.wait_for_load_state()
    assert_no_horizontal_scroll(page)
    page.goto(f"{live_server}/courses/programme")
    assert page.locator(".lesson-list li").first.locator(".tag-ok").count() == 1
