"""Grading of every question type, with property-based tests of the invariants."""
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.exams.sections import option_order
from app.questions import types
from app.questions.types import ResponseInvalid
from app.questions.types.fill import normalise

SINGLE = {"options": [{"text": "a", "correct": False}, {"text": "b", "correct": True}, {"text": "c", "correct": False}]}
MULTI = {"options": [{"text": t, "correct": c} for t, c in [("a", True), ("b", True), ("c", False), ("d", False), ("e", True)]]}
RUBRIC = {"kind": "script", "rubric": [{"criterion": "x", "points": 3, "good": "g"}, {"criterion": "y", "points": 2, "good": "h"}]}


def test_registry_has_every_type():
    assert sorted(types.names()) == ["fill", "multiple", "practical", "single", "truefalse"]


def test_single():
    kind = types.get("single")
    assert kind.grade(SINGLE, {"choice": 1}).fraction == 1.0
    assert kind.grade(SINGLE, {"choice": 0}).fraction == 0.0
    assert kind.grade(SINGLE, None).fraction == 0.0


def test_single_response_maps_display_positions_to_options():
    kind = types.get("single")
    order = [2, 0, 1]
    assert kind.clean_response(SINGLE, order, {"choice": 2}) == {"choice": 1}
    assert kind.display_response(SINGLE, order, {"choice": 1}) == {"choice": 2}
    with pytest.raises(ResponseInvalid):
        kind.clean_response(SINGLE, order, {"choice": 3})
    with pytest.raises(ResponseInvalid):
        kind.clean_response(SINGLE, order, {"choice": True})


@pytest.mark.parametrize("chosen, expected", [
    ([0, 1, 4], 1.0), ([0, 1], 2 / 3), ([0], 1 / 3), ([0, 2], 0.0), ([2, 3], 0.0), ([0, 1, 4, 2], 2 / 3), ([], 0.0)])
def test_multiple_partial_credit(chosen, expected):
    assert types.get("multiple").grade(MULTI, {"choices": chosen} if chosen else None).fraction == pytest.approx(expected)


def test_truefalse():
    kind = types.get("truefalse")
    assert kind.grade({"answer": False}, kind.clean_response({}, [], {"value": "false"})).fraction == 1.0
    assert kind.grade({"answer": False}, {"value": True}).fraction == 0.0
    with pytest.raises(ResponseInvalid):
        kind.clean_response({}, [], {"value": "maybe"})


@pytest.mark.parametrize("given_text", ["二十", " 二 十 ", "２０", "20", "\u300020\t"])
def test_fill_normalises_width_case_and_spaces(given_text):
    assert types.get("fill").grade({"answers": ["二十", "20"]}, {"text": given_text}).fraction == 1.0


def test_fill_case_and_wrong_answers():
    kind = types.get("fill")
    assert kind.grade({"answers": ["OCRM"]}, {"text": "ｏｃｒｍ"}).fraction == 1.0
    assert kind.grade({"answers": ["OCRM"]}, {"text": "CRM"}).fraction == 0.0
    assert normalise("Ａ Ｂ\u3000c") == "abc"


def test_practical_is_pending_and_scored_from_criteria():
    kind = types.get("practical")
    assert kind.grade(RUBRIC, {"note": "x"}).pending
    assert kind.max_points(RUBRIC, None) == 5
    assert kind.score(RUBRIC, [3, 1]) == pytest.approx(0.8)


def test_validation_messages_name_the_field():
    problems = types.get("single").validate({"options": [{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c"}]})
    assert problems and problems[0].field == "options"
    assert types.get("multiple").validate({"options": [{"text": "a", "correct": True}, {"text": "b"}, {"text": "c"}]})
    assert types.get("practical").validate({"kind": "dance", "rubric": []})


# --- properties --------------------------------------------------------------------------------
@given(st.integers(min_value=0, max_value=12), st.integers())
def test_shuffle_is_a_permutation_and_deterministic_per_seed(count, seed):
    first = option_order(count, random.Random(seed), True)
    assert sorted(first) == list(range(count))
    assert option_order(count, random.Random(seed), True) == first


options_strategy = st.lists(st.booleans(), min_size=3, max_size=8).filter(lambda flags: sum(flags) >= 2)


@given(options_strategy, st.data())
def test_multiple_fraction_in_range_and_full_marks_iff_exact_key(flags, data):
    definition = {"options": [{"text": str(i), "correct": f} for i, f in enumerate(flags)]}
    chosen = data.draw(st.sets(st.integers(min_value=0, max_value=len(flags) - 1)))
    fraction = types.get("multiple").grade(definition, {"choices": sorted(chosen)} if chosen else None).fraction
    key = {i for i, f in enumerate(flags) if f}
    assert 0.0 <= fraction <= 1.0
    assert (fraction == 1.0) == (chosen == key)


@given(st.integers(min_value=3, max_value=6), st.data())
def test_single_full_marks_iff_key(count, data):
    right = data.draw(st.integers(min_value=0, max_value=count - 1))
    definition = {"options": [{"text": str(i), "correct": i == right} for i in range(count)]}
    order = data.draw(st.permutations(list(range(count))))
    position = data.draw(st.integers(min_value=0, max_value=count - 1))
    response = types.get("single").clean_response(definition, list(order), {"choice": position})
    fraction = types.get("single").grade(definition, response).fraction
    assert fraction in (0.0, 1.0)
    assert (fraction == 1.0) == (order[position] == right)


@given(st.lists(st.text(min_size=1, max_size=12).filter(lambda t: normalise(t)), min_size=1, max_size=4), st.text(max_size=20))
def test_fill_fraction_is_zero_or_one_and_every_accepted_answer_scores(answers, attempt):
    kind = types.get("fill")
    definition = {"answers": answers}
    assert all(kind.grade(definition, {"text": a}).fraction == 1.0 for a in answers)
    fraction = kind.grade(definition, {"text": attempt} if attempt.strip() else None).fraction
    assert fraction in (0.0, 1.0)
    assert (fraction == 1.0) == (bool(attempt.strip()) and normalise(attempt) in {normalise(a) for a in answers})
