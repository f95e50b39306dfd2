"""`flask content report [--json]`: the coverage report of courses/ and question_bank/."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.config import ROOT
from app.content import report as coverage

content_cli = click.Group("content", help="Content: coverage of the course files and the question bank.")

_folder = click.Path(exists=True, file_okay=False, path_type=Path)


@content_cli.command("report")
@click.option("--courses", "courses_root", type=_folder, default=ROOT / "courses", show_default=True, help="The courses folder.")
@click.option("--bank", "bank_root", type=_folder, default=ROOT / "question_bank", show_default=True, help="The question bank folder.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@with_appcontext
def report_command(courses_root: Path, bank_root: Path, as_json: bool):
    """Parse the course and question files (nothing is written) and report counts, topic coverage and
    question-to-lesson links; exit 1 when a minimum is not met or anything is missing."""
    result = coverage.build(courses_root, bank_root)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_table(result)
    if not result.ok:
        raise SystemExit(1)


def _row(label: str, value, width: int = 34) -> str:
    """A label padded to `width` terminal columns (Chinese characters take two)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in label)
    return f"  {label}{' ' * max(1, width - shown)} {value}"


def _print_table(result: coverage.Report) -> None:
    echo = click.echo
    echo(_("Content coverage report"))
    echo(_row(_("Courses"), result.courses))
    echo(_row(_("Lessons"), result.lessons))
    echo(_row(_("Questions"), f"{result.questions}  (≥ {coverage.MIN_QUESTIONS})"))
    echo(_row(_("Exams"), result.exams))
    echo("")
    echo(_("Per course: lessons, questions"))
    for slug, row in result.per_course.items():
        echo(_row(f"{slug} {row['title']}", f"{row['lessons']:>3}  {row['questions']:>4}", 44))
    echo("")
    echo(_("Questions per manual chapter (at least %(n)d each)", n=coverage.MIN_PER_CHAPTER))
    for chapter, count in result.per_chapter.items():
        echo(_row(chapter, count))
    echo(_("Questions per transfer-plan stage (at least %(n)d each)", n=coverage.MIN_PER_STAGE))
    for stage, count in result.per_stage.items():
        echo(_row(_("Stage %(n)s", n=stage), count))
    echo(_("Questions per type"))
    for kind, count in result.per_type.items():
        echo(_row(kind, count))
    echo("")
    echo(_("Source topics covered: %(covered)d of %(total)d",
           covered=len(coverage.TOPICS) - len(result.missing_topics), total=len(coverage.TOPICS)))
    sections = ((_("Load errors"), result.errors), (_("Below the minimum"), result.shortfalls),
                (_("Topics no lesson mentions"), result.missing_topics),
                (_("Questions whose lesson does not resolve"), result.unresolved_lessons))
    for title, items in sections:
        if items:
            echo(f"{title} ({len(items)}):")
            for item in items:
                echo(f"  - {item}")
    echo(_("All checks pass.") if result.ok else _("Some checks fail."))


commands = [content_cli]
