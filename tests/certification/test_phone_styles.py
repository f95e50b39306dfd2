"""Phone width: names in the compliance tables keep a readable width; the table scrolls in its wrapper."""
from app.config import ROOT


def test_compliance_name_column_has_a_min_width():
    css = (ROOT / "templates/certification/styles.html").read_text(encoding="utf-8")
    assert ".table-wrap table.compact td:first-child" in css and "min-width: 7em" in css
    page = (ROOT / "templates/certification/compliance.html").read_text(encoding="utf-8")
    assert 'certification/styles.html' in page and page.count('<div class="table-wrap"><table class="compact">') == 2
