"""Markdown to safe HTML, for anything an author writes (lessons, question stems).

Markdown with tables, heading anchors (toc), admonitions ("key point" boxes) and footnotes; then the
HTML goes through an allow-list sanitiser (nh3), so whatever an author types, no script, event handler,
style or `javascript:`/`data:` URL reaches a reader. Links `lesson:<course>/<lesson>` and images
`image:<name>` are resolved by callbacks the caller passes; unresolved ones become marked text and are
listed in the result, so a loader can report them.
"""
from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Callable

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

Resolver = Callable[[str], "str | None"]

#: Default box titles by admonition kind, in the language of the content.
ADMONITION_TITLES = {"key": "要点", "note": "说明", "warning": "注意", "example": "案例"}

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark",
    "code", "pre", "kbd", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "table", "caption",
    "thead", "tbody", "tfoot", "tr", "th", "td", "div", "span", "sup", "sub", "abbr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
    # heading anchors and footnote targets
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"}, "li": {"id"}, "sup": {"id"},
}
ALIGN_VALUES = {"th": {"align": {"left", "center", "right"}}, "td": {"align": {"left", "center", "right"}}}
ALLOWED_CLASSES = {
    "div": {"admonition", "footnote", *ADMONITION_TITLES},
    "p": {"admonition-title"},
    "a": {"footnote-ref", "footnote-backref"},
    "span": {"broken-link"},
}
URL_SCHEMES = {"http", "https", "mailto"}
_BLOCK_TAG = re.compile(r"</?(?:p|li|td|th|tr|h\d|div|br|table|ul|ol|pre|blockquote|hr|dt|dd|caption)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_UNTITLED_ADMONITION = re.compile(r"^(\s*!!!\s+(" + "|".join(ADMONITION_TITLES) + r"))\s*$", re.M)


@dataclass
class Rendered:
    html: str
    #: headings [{"level": 2, "id": "...", "name": "..."}], flat, in order
    toc: list[dict] = field(default_factory=list)
    #: the text without markup, whitespace collapsed, for search and snippets
    text: str = ""
    #: `lesson:` targets that did not resolve
    broken_links: list[str] = field(default_factory=list)
    #: `image:` names that did not resolve
    missing_images: list[str] = field(default_factory=list)


class _ResolveReferences(Treeprocessor):
    """Turn lesson:/image: references into URLs; unresolvable ones into marked plain text."""

    def __init__(self, md, resolve_link: Resolver | None, resolve_image: Resolver | None, result: Rendered):
        super().__init__(md)
        self.resolve_link, self.resolve_image, self.result = resolve_link, resolve_image, result

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "a" and child.get("href", "").startswith("lesson:"):
                    self._link(parent, index, child)
                elif child.tag == "img" and child.get("src", "").startswith("image:"):
                    self._image(parent, index, child)

    def _link(self, parent, index, element) -> None:
        target = element.get("href")[len("lesson:"):]
        url = self.resolve_link(target) if self.resolve_link else None
        if url:
            element.set("href", url)
        else:
            self.result.broken_links.append(target)
            _mark_broken(element)

    def _image(self, parent, index, element) -> None:
        name = element.get("src")[len("image:"):]
        url = self.resolve_image(name) if self.resolve_image else None
        if url:
            element.set("src", url)
            element.set("loading", "lazy")
        else:
            self.result.missing_images.append(name)
            _mark_broken(element, text=element.get("alt") or name)


def _mark_broken(element: etree.Element, text: str | None = None) -> None:
    tail = element.tail
    if text is not None:
        element.text = text
    element.tag = "span"
    element.attrib.clear()
    element.set("class", "broken-link")
    element.tail = tail


class _ReferenceExtension(markdown.Extension):
    def __init__(self, resolve_link, resolve_image, result):
        super().__init__()
        self.args = (resolve_link, resolve_image, result)

    def extendMarkdown(self, md):  # noqa: N802 - python-markdown's API
        # After inline parsing (priority 20) so links and images exist as elements.
        md.treeprocessors.register(_ResolveReferences(md, *self.args), "lesson_references", 5)


def render(source: str, *, resolve_link: Resolver | None = None, resolve_image: Resolver | None = None) -> Rendered:
    """Render Markdown to sanitised HTML with its table of contents and plain text."""
    result = Rendered(html="")
    md = markdown.Markdown(
        extensions=["tables", "toc", "admonition", "footnotes", "sane_lists",
                    _ReferenceExtension(resolve_link, resolve_image, result)],
        extension_configs={
            "toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": "↩ %d"},
        },
        output_format="html",
    )
    raw = md.convert(_default_admonition_titles(source or ""))
    result.html = sanitise(raw)
    result.toc = _flatten(getattr(md, "toc_tokens", []))
    result.text = plain_text(result.html)
    return result


def sanitise(fragment: str) -> str:
    """The allow-list: only harmless tags, attributes, classes and URL schemes survive."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"},
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALIGN_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_text(fragment: str) -> str:
    """Text of sanitised HTML: block boundaries become spaces, inline tags vanish (so 三换技巧 stays whole)."""
    text = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", fragment))
    return " ".join(html_lib.unescape(text).split())


def _default_admonition_titles(source: str) -> str:
    """`!!! key` without a title gets the kind's Chinese title rather than python-markdown's "Key"."""
    return _UNTITLED_ADMONITION.sub(lambda m: f'{m.group(1)} "{ADMONITION_TITLES[m.group(2)]}"', source)


def _flatten(tokens: list[dict]) -> list[dict]:
    flat = []
    for token in tokens:
        flat.append({"level": token["level"], "id": token["id"], "name": html_lib.unescape(_ANY_TAG.sub("", token["name"]))})
        flat.extend(_flatten(token.get("children", [])))
    return flat
