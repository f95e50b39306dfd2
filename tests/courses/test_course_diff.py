"""The "what changed" diff leaves out empty additions and removals."""
from app.courses.authoring import _diff_one


def test_added_blank_lines_are_not_shown():
    item = _diff_one("one", "处理原则", "导言。\n其中最核心的标准。", "导言。\n其中最核心的标准。\n\n本段为补充说明。")
    assert ("+", "本段为补充说明。") in item.lines
    assert not [text for kind, text in item.lines if kind in ("+", "-") and not text.strip()]


def test_a_change_of_blank_lines_only_leaves_no_empty_block():
    item = _diff_one("one", "处理原则", "甲\n乙", "甲\n\n\n乙\n")
    assert item.status == "changed" and item.lines == []


def test_a_hunk_with_only_blank_changes_is_dropped_and_the_others_kept():
    before = "\n".join(f"行{i}" for i in range(20))
    after = before.replace("行2\n", "行2\n\n").replace("行15", "行十五")
    item = _diff_one("one", "t", before, after)
    assert [line for line in item.lines if line[0] == "@"] and ("+", "行十五") in item.lines
    assert ("+", "") not in item.lines and sum(1 for kind, _t in item.lines if kind == "@") == 1
