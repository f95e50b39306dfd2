"""Refresh docs/screenshot.png: the branch head's home page on a running demo server.
Usage: python scripts/screenshot.py [http://127.0.0.1:5000]"""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"

with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page.goto(BASE + "/login")
    page.fill("input[name=username]", "head")
    page.fill("input[name=password]", "Demo-2026!")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state()
    page.screenshot(path=str(OUT), full_page=False)
    browser.close()
print(OUT)
