"""Markdown for stems, options and explanations: the shared sanitising renderer, cached, because
every attempt page renders the same few hundred texts again."""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

from app.core.markdown import render as render_markdown


def render(text: str | None) -> Markup:
    return Markup(_render(text or ""))


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    return render_markdown(text).html


def render_inline(text: str | None) -> Markup:
    """Option text: one paragraph, without the <p> wrapper, so it sits inside a label."""
    html = str(render(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
