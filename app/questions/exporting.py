"""GIFT and Moodle XML export of the current versions."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from sqlalchemy import select

from app.extensions import db
from app.questions.models import Question, QuestionVersion
from app.questions.types.base import gift_escape
from app.questions.types.fill import BLANK


def _versions(include_retired: bool) -> list[tuple[str, QuestionVersion]]:
    query = select(Question).order_by(Question.slug)
    if not include_retired:
        query = query.where(Question.retired.is_(False))
    return [(q.slug, q.current) for q in db.session.scalars(query)]


def to_gift(slug: str, version: QuestionVersion) -> str:
    stem, block = version.kind.to_gift(version.definition, version.stem)
    stem = gift_escape(stem)
    if version.explanation:
        block += "####" + gift_escape(version.explanation)
    blank = gift_escape(BLANK)
    if version.type == "fill" and blank in stem:
        before, after = stem.split(blank, 1)
        text = f"{before}{{{block}}}{after}"
    else:
        text = f"{stem}{{{block}}}"
    lines = [f"// {slug} v{version.number} · {version.type}"]
    if version.type == "practical":
        lines += [f"// rubric: {c['criterion']} ({c['points']}): {c['good']}" for c in version.definition["rubric"]]
    lines.append(f"::{gift_escape(slug)}::[markdown]{text}")
    return "\n".join(lines)


def export_gift(include_retired: bool = False) -> str:
    chunks, category = [], None
    for slug, version in _versions(include_retired):
        if version.chapter != category:
            category = version.chapter
            chunks.append(f"$CATEGORY: lead-goose/{category or 'imported'}")
        chunks.append(to_gift(slug, version))
    return "\n\n".join(chunks) + "\n"


def to_xml_element(slug: str, version: QuestionVersion) -> ET.Element:
    question = ET.Element("question", type=version.kind.moodle_type)
    ET.SubElement(ET.SubElement(question, "name"), "text").text = slug
    ET.SubElement(ET.SubElement(question, "questiontext", format="markdown"), "text").text = version.stem
    ET.SubElement(ET.SubElement(question, "generalfeedback", format="markdown"), "text").text = version.explanation
    ET.SubElement(question, "defaultgrade").text = f"{version.max_points:g}"
    ET.SubElement(question, "penalty").text = "0"
    ET.SubElement(question, "hidden").text = "0"
    ET.SubElement(question, "idnumber").text = slug
    version.kind.to_moodle_xml(version.definition, question, version.max_points)
    tags = ET.SubElement(question, "tags")
    for tag in version.tags:
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    return question


def export_xml(include_retired: bool = False) -> str:
    quiz = ET.Element("quiz")
    for slug, version in _versions(include_retired):
        quiz.append(to_xml_element(slug, version))
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


def export(fmt: str, include_retired: bool = False) -> str:
    return export_gift(include_retired) if fmt == "gift" else export_xml(include_retired)
