"""Markdown for stems, options and explanations. Uses the shared renderer app.core.markdown when
it exists; until then a minimal python-markdown + nh3 call with the same contract (sanitised HTML)."""
from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup


def render(text: str | None) -> Markup:
    return Markup(_render(text or ""))


@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    try:
        from app.core.markdown import render_markdown
    except ImportError:
        return _fallback(text)
    return str(render_markdown(text))


def _fallback(text: str) -> str:
    import markdown
    import nh3

    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(html)


def render_inline(text: str | None) -> Markup:
    """Option text: one paragraph, without the <p> wrapper, so it sits inside a label."""
    html = str(render(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)
