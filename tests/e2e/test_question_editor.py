"""The question editor in the browser: the demo trainer changes an option of a single-choice
question and marks another one correct, saves, and sees the new version. At desktop and phone widths
(both runs edit the same question on the same server, so the version numbers are read, not assumed)."""
import re

from tests.e2e.conftest import assert_accessible, assert_no_horizontal_scroll, sign_in

SLUG = "am-002"


def test_trainer_edits_a_single_choice_question(page, live_server):
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/questions/{SLUG}")
    before = int(re.search(r"v(\d+)", page.locator("h1").inner_text()).group(1))
    page.locator(f"a[href='/questions/{SLUG}/edit']").first.click()
    page.wait_for_load_state()
    assert page.locator("form.question-editor").is_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    # Four options: one empty row is offered, the others are folded until "Add an option".
    rows = page.locator(".option-rows [data-row]")
    assert rows.count() == 6 and rows.nth(4).is_visible() and not rows.nth(5).is_visible()
    page.get_by_role("button", name="添加选项").click()
    assert rows.nth(5).is_visible() and not page.get_by_role("button", name="添加选项").is_visible()

    # The question text has a live preview, rendered by the server.
    stem = page.locator("#stem")
    original = stem.input_value()
    stem.fill(original + "\n\n**要点**")
    page.locator("[data-preview-of=stem] .md-preview-body strong", has_text="要点").wait_for()
    stem.fill(original)

    # Change an option and mark another one correct.
    changed = f"150 名（第 {before + 1} 版）"
    page.locator("#definition-options-1-text").fill(changed)
    was = page.locator("input[name=definition-correct]:checked").get_attribute("value")
    now = "1" if was != "1" else "0"
    page.locator(f"input[name=definition-correct][value='{now}']").check()
    page.locator("input[name=save]").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"/questions/{SLUG}")
    assert page.locator(".flash").filter(has_text=f"已保存为第 {before + 1} 版").is_visible()
    assert page.locator("h1").inner_text().endswith(f"v{before + 1}")
    key = page.locator(".key ol li")
    assert key.nth(1).inner_text().endswith(changed)
    assert key.nth(int(now)).inner_text().startswith("✔") and not key.nth(int(was)).inner_text().startswith("✔")
    assert_no_horizontal_scroll(page)

    # The older version is still there, as attempts given it need it.
    page.locator(f"a[href='/questions/{SLUG}?version={before}']").click()
    page.wait_for_load_state()
    assert changed not in page.locator(".key").inner_text()
