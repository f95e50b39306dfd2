"""Template filters and helpers of the exam and question pages."""
from app.questions.labels import DIFFICULTY_LABELS, KIND_LABELS, TYPE_LABELS
from app.questions.markdown import render, render_inline


def register(state) -> None:
    app = state.app
    app.jinja_env.filters.setdefault("markdown", render)
    app.jinja_env.filters.setdefault("markdown_inline", render_inline)
    app.jinja_env.globals.update(
        kind_label=lambda code: str(KIND_LABELS.get(code, code)),
        type_label=lambda code: str(TYPE_LABELS.get(code, code)),
        difficulty_label=lambda n: str(DIFFICULTY_LABELS.get(n, n)),
    )
