"""Import: the shipped bank, all-or-nothing with file:line errors, idempotent re-import with
versions, Moodle's GIFT and Aiken documentation examples, and export."""
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import func, select

from app.config import ROOT
from app.exams.models import Exam
from app.questions import exporting, services
from app.questions.formats import gift
from app.questions.models import Question, QuestionVersion
from tests.questions import bank

FIXTURES = Path(__file__).parent / "fixtures"


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_shipped_bank_imports_completely_and_idempotently(db, runner):
    result = runner.invoke(args=["questions", "import", str(ROOT / "question_bank")])
    assert result.exit_code == 0, result.output
    assert count(db, Question) == 446 and count(db, Exam) == 16
    again = runner.invoke(args=["questions", "import", str(ROOT / "question_bank")])
    assert again.exit_code == 0 and "446" in again.output
    assert count(db, QuestionVersion) == 446  # unchanged questions keep their version


def test_a_changed_question_gets_a_new_version_and_the_old_one_stays(db):
    bank.load()
    changed = bank.QUESTIONS.replace("高柜柜员的督导关键点是哪个字？", "高柜柜员的督导关键点是？")
    result = services.import_sources([services.SourceFile("bank.yaml", changed)])
    db.session.commit()
    assert (result.created, result.changed, result.unchanged) == (0, 1, 4)
    question = db.session.scalars(select(Question).where(Question.slug == "t-single")).one()
    assert [v.number for v in question.versions] == [1, 2] and question.current.stem == "高柜柜员的督导关键点是？"


def test_errors_name_file_and_line_and_nothing_is_imported(db, runner, tmp_path):
    (tmp_path / "good.yaml").write_text(bank.QUESTIONS, encoding="utf-8")
    bad = bank.QUESTIONS.replace("  - id: t-truefalse\n", "  - id: t-tf2\n").replace("answer: true", "answer: yes-please")
    bad = bad.replace("id: t-single", "id: x-single").replace("id: t-multiple", "id: x-multiple").replace("id: t-fill", "id: x-fill")
    bad = bad.replace("id: t-practical", "id: x-practical")
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    result = runner.invoke(args=["questions", "import", str(tmp_path)])
    assert result.exit_code == 1
    line = bad.splitlines().index("    answer: yes-please") + 1
    assert f"bad.yaml:{line}:" in result.output and "t-tf2" in result.output
    assert count(db, Question) == 0


def test_an_exam_referring_to_a_missing_question_fails_the_whole_import(db):
    broken = bank.EXAM_AUTO.replace("t-fill]", "t-nope]")
    with pytest.raises(services.ImportInvalid) as error:
        services.import_sources([services.SourceFile("bank.yaml", bank.QUESTIONS),
                                 services.SourceFile("exams/x.yaml", broken, exam=True)])
    db.session.rollback()
    assert any("exams/x.yaml:" in e and "t-nope" in e for e in error.value.errors)
    assert count(db, Question) == 0 and count(db, Exam) == 0


def test_duplicate_ids_and_unknown_fields_are_reported(db):
    text = bank.QUESTIONS + bank.QUESTIONS.split("questions:\n", 1)[1].replace("stem: 晨会", "colour: red\n    stem: 晨会")
    with pytest.raises(services.ImportInvalid) as error:
        services.import_sources([services.SourceFile("dup.yaml", text)])
    joined = "\n".join(error.value.errors)
    assert "处也被使用" in joined and "dup.yaml:3" in joined and "colour" in joined  # "id … is also used at dup.yaml:3"


def test_moodle_gift_documentation_examples(db):
    entries = gift.read((FIXTURES / "moodle_gift_examples.gift").read_text(), "examples.gift")
    by_stem = {e.data["stem"]: e.data for e in entries if e.data["type"] != "fill" or e.data["id"] != "q-short"}
    grant = next(e.data for e in entries if e.data["stem"] == "Who's buried in Grant's tomb?" and e.data["type"] == "single")
    assert grant["type"] == "single" and [o["text"] for o in grant["options"] if o["correct"]] == ["no one"]
    missing_word = by_stem["Grant is ____ in Grant's tomb."]
    assert missing_word["type"] == "single" and [o["correct"] for o in missing_word["options"]] == [False, True, False]
    assert by_stem["The American holiday of Thanksgiving is celebrated on the ____ Thursday of November."]["type"] == "single"
    short = next(e.data for e in entries if e.data["id"] == "q-short")
    assert short["type"] == "fill" and short["answers"] == ["no one", "nobody"]
    assert by_stem["Two plus two equals ____."]["answers"] == ["four", "4"]
    assert by_stem["Grant is buried in Grant's tomb."] == {**by_stem["Grant is buried in Grant's tomb."], "type": "truefalse", "answer": False}
    assert by_stem["The sun rises in the east."]["answer"] is True
    weighted = by_stem["What two people are entombed in Grant's tomb?"]
    assert weighted["type"] == "multiple" and [o["text"] for o in weighted["options"] if o["correct"]] == ["Grant", "Grant's wife"]
    named = next(e.data for e in entries if e.data["id"] == "q2")
    assert named["explanation"] == "Yellow lies between orange and green." and [o["text"] for o in named["options"]] == ["yellow", "red", "blue"]
    escaped = by_stem["Which answer equals 5?"]
    assert [o["text"] for o in escaped["options"] if o["correct"]] == ["= 2 + 3"]
    result = services.import_sources([services.SourceFile(str(FIXTURES / "moodle_gift_examples.gift"),
                                                          (FIXTURES / "moodle_gift_examples.gift").read_text())])
    assert result.created == len(entries) == 11


def test_gift_types_without_a_counterpart_are_errors_with_their_line():
    with pytest.raises(Exception) as error:
        gift.read((FIXTURES / "moodle_gift_unsupported.gift").read_text(), "u.gift")
    errors = error.value.errors
    assert len(errors) == 3
    assert errors[0].startswith("u.gift:3:") and errors[1].startswith("u.gift:5:") and errors[2].startswith("u.gift:7:")


def test_moodle_aiken_documentation_examples(db):
    text = (FIXTURES / "moodle_aiken_examples.aiken").read_text()
    result = services.import_sources([services.SourceFile("examples.aiken", text)])
    db.session.commit()
    assert result.created == 2
    versions = [q.current for q in db.session.scalars(select(Question).order_by(Question.id))]
    assert [o["text"] for o in versions[0].definition["options"] if o["correct"]] == ["Must be this one!"]
    assert [o["text"] for o in versions[1].definition["options"] if o["correct"]] == ["Moodle"]
    assert len(versions[1].definition["options"]) == 6
    again = services.import_sources([services.SourceFile("examples.aiken", text)])
    assert again.unchanged == 2


def test_aiken_answer_that_is_not_an_option_is_reported():
    with pytest.raises(services.ImportInvalid) as error:
        services.import_sources([services.SourceFile("bad.aiken", (FIXTURES / "bad_aiken.aiken").read_text())])
    assert error.value.errors[0].startswith("bad.aiken:4:")


def test_gift_export_reimports_to_the_same_questions(db):
    bank.load()
    # Practical items export as essays, which GIFT cannot carry back with a rubric: leave them out.
    db.session.scalars(select(Question).where(Question.slug == "t-practical")).one().retire()
    db.session.commit()
    text = exporting.export_gift()
    assert "::t-single::" in text and "t-practical" not in text
    assert "t-practical" in exporting.export_gift(include_retired=True)
    entries = gift.read(text, "export.gift")
    by_id = {e.data["id"]: e.data for e in entries}
    assert by_id["t-fill"]["answers"] == ["二十", "20"]
    assert [o["correct"] for o in by_id["t-multiple"]["options"]] == [True, True, False, False]
    assert by_id["t-truefalse"]["answer"] is True


def test_gift_export_of_practical_items_keeps_the_rubric_as_comments(db):
    bank.load()
    text = exporting.export_gift()
    assert "// rubric: 开场 (3): 评分要点开场秘钥" in text


def test_moodle_xml_export(db):
    bank.load()
    root = ET.fromstring(exporting.export_xml().split("\n", 1)[1])
    kinds = {q.find("name/text").text: q.get("type") for q in root.findall("question")}
    assert kinds == {"t-single": "multichoice", "t-multiple": "multichoice", "t-truefalse": "truefalse",
                     "t-fill": "shortanswer", "t-practical": "essay"}
    multiple = next(q for q in root.findall("question") if q.find("name/text").text == "t-multiple")
    assert [a.get("fraction") for a in multiple.findall("answer")] == ["50", "50", "-50", "-50"]


def test_export_cli(runner, db):
    bank.load()
    result = runner.invoke(args=["questions", "export", "--format", "xml"])
    assert result.exit_code == 0 and "<quiz>" in result.output


def test_a_section_title_en_must_be_text(db):
    broken = bank.EXAM_AUTO.replace("  - title: 第一部分\n", "  - title: 第一部分\n    title_en: [a, b]\n")
    with pytest.raises(services.ImportInvalid) as error:
        services.import_sources([services.SourceFile("bank.yaml", bank.QUESTIONS),
                                 services.SourceFile("exams/x.yaml", broken, exam=True)])
    db.session.rollback()
    assert any("exams/x.yaml:" in e and "title_en" in e for e in error.value.errors)
