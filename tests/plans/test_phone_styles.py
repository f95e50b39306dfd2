"""Phone width: state badges on the enrolment list stay on one line."""
import re

from app.config import ROOT


def test_state_badges_do_not_wrap():
    css = (ROOT / "app/plans/static/plans.css").read_text(encoding="utf-8")
    assert re.search(r"(^|\n)\.tag \{[^}]*white-space: nowrap", css)
