"""Signing in and out as a person would, in both languages, at desktop and phone widths."""
from tests.e2e.conftest import assert_no_horizontal_scroll, sign_in, sign_out


def test_sign_in_and_out_in_chinese(page, live_server):
    sign_in(page, live_server, "trainee")
    assert page.locator("h1").inner_text().startswith("欢迎")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert_no_horizontal_scroll(page)
    sign_out(page)
    assert "/login" in page.url
    assert page.get_by_text("您已退出登录").is_visible()


def test_sign_in_and_out_in_english(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Sign in"
    sign_in(page, live_server, "head")
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert page.get_by_role("heading", name="My people").is_visible()
    assert_no_horizontal_scroll(page)
    sign_out(page)
    assert page.get_by_text("You have signed out.").is_visible()


def test_wrong_password_shows_a_clear_error(page, live_server):
    sign_in(page, live_server, "admin", "not-the-password")
    alert = page.get_by_role("alert")
    assert "用户名或密码错误" in alert.inner_text()
    assert "/login" in page.url


def test_every_demo_account_gets_a_home_page_for_its_role(page, live_server):
    expected = {"admin": "全行概况", "head": "我的人员", "trainer": "我的人员", "assessor": "我的人员", "trainee": "我的资料"}
    for username, panel in expected.items():
        sign_in(page, live_server, username)
        assert page.get_by_role("heading", name=panel).is_visible(), username
        assert_no_horizontal_scroll(page)
        sign_out(page)


def test_admin_pages_fit_a_phone(page, live_server):
    sign_in(page, live_server, "admin")
    for path in ("/org/", "/org/JS", "/people/", "/roster/import", "/people/D0005"):
        page.goto(live_server + path)
        assert page.locator("h1").is_visible(), path
        assert_no_horizontal_scroll(page)


def test_main_pages_pass_axe(browser, live_server):
    from tests.e2e.conftest import DESKTOP, assert_accessible, new_page

    page = new_page(browser, DESKTOP)
    page.goto(live_server + "/login")
    assert_accessible(page)
    sign_in(page, live_server, "admin")
    for path in ("/", "/people/", "/org/JS", "/roster/import"):
        page.goto(live_server + path)
        assert_accessible(page)
    page.context.close()
