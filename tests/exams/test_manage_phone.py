"""/exams/manage at phone width: the actions are tap targets that do not wrap (styles in exam-pages.css)."""
import re

from app.accounts.models import Role
from app.config import ROOT
from tests.conftest import login


def test_manage_actions_are_tap_targets(client, exams, org, make_person):
    make_person(org["HO"], "head_office_staff", roles=[(Role.trainer, org["HO"])], username="trainer")
    login(client, "trainer")
    html = client.get("/exams/manage").get_data(as_text=True)
    assert "css/exam-pages.css" in html and '<div class="table-wrap"><table class="compact exam-manage">' in html
    assert re.search(r'<div class="exam-actions"><a href="/exams/manage/t-[a-z]+/stats">', html)
    css = (ROOT / "app/static/css/exam-pages.css").read_text(encoding="utf-8")
    rule = re.search(r"\.exam-actions a \{([^}]*)\}", css).group(1)
    assert "white-space: nowrap" in rule
    height = re.search(r"min-height: ([\d.]+)rem", rule)
    assert height and float(height.group(1)) * 16 >= 32
