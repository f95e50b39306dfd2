"""Certification in the browser: a branch head finds an unlicensed person and exports the list; a stranger
verifies a certificate by opening the URL its QR code holds."""
import io
import re
import urllib.request

from openpyxl import load_workbook

from tests.e2e.conftest import assert_no_horizontal_scroll, sign_in


def test_branch_head_drills_down_to_an_unlicensed_person_and_exports(page, live_server):
    sign_in(page, live_server, "head")
    page.goto(live_server + "/certification/compliance/")
    assert "/certification/compliance/JS" in page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith("持证上岗")
    assert page.locator("svg.chart").is_visible()
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name=re.compile("未持证")).first.click()
    page.wait_for_load_state()
    assert "state=unlicensed" in page.url
    person_link = page.locator("#people-heading ~ div table a").first
    name = person_link.inner_text()
    person_link.click()
    page.wait_for_load_state()
    assert name in page.locator("h1").inner_text()
    assert page.get_by_text("未持证").first.is_visible()
    assert_no_horizontal_scroll(page)
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 XLSX").click()
    download = download_info.value
    assert download.suggested_filename == "compliance-JS.xlsx"
    book = load_workbook(io.BytesIO(download.path().read_bytes()))
    assert list(book.worksheets[0].values)[1][1] == "JS"
    assert any(name in row for row in book.worksheets[1].values)


def test_a_stranger_verifies_a_certificate_from_its_qr_url(page, live_server):
    sign_in(page, live_server, "admin")
    page.goto(live_server + "/certification/compliance/JS?state=licensed")
    page.locator("#people-heading ~ div table a").first.click()
    page.wait_for_load_state()
    serial = page.locator("table code").first.inner_text()
    page.context.clear_cookies()  # a stranger: nobody signed in
    page.goto(f"{live_server}/verify/{serial}")
    assert page.get_by_role("heading", level=1).inner_text() == "验证证书"
    claims = page.locator(".verify-result").inner_text()
    assert serial in claims and "*" in claims and "有效期至" in claims and "发证机构" in claims
    assert_no_horizontal_scroll(page)
    with urllib.request.urlopen(f"{live_server}/api/v1/certificates/{serial}") as response:
        assert response.status == 200
    typo = serial[:-1] + ("A" if serial[-1] != "A" else "B")
    page.goto(f"{live_server}/verify/{typo}")
    assert "输错" in page.get_by_role("alert").inner_text()
