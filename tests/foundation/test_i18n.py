"""Every user-facing string is translated into Simplified Chinese (the source strings are English)."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_catalogue_is_current_and_complete(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with (ROOT / "translations/zh_Hans/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    missing = sorted(wanted - translated)
    assert not missing, f"untranslated (run scripts/i18n.py update, missing, fill): {missing[:20]}"


def test_pages_speak_chinese_by_default_and_english_on_request(client):
    assert "登录" in client.get("/login").get_data(as_text=True)
    english = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Sign in" in english and 'lang="en"' in english


def test_error_pages_are_localised(client):
    assert "页面不存在" in client.get("/no-such-page").get_data(as_text=True)
    assert "Page not found" in client.get("/no-such-page", headers={"Accept-Language": "en"}).get_data(as_text=True)
