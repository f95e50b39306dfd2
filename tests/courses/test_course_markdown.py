"""The sanitiser: nothing executable survives, whatever an author writes."""
import re

import pytest

from app.core.markdown import render, sanitise

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x OnErRoR=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '<svg onload=alert(1)><script>alert(1)</script></svg>',
    '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="position:fixed;top:0">overlay</div>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=q></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<details open ontoggle=alert(1)>',
    '<body onload=alert(1)>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<img src="x" onerror="alert(1)"/>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<<script>script>alert(1)<</script>/script>',
    '<scr<script>ipt>alert(1)</script>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '!!! key "<img src=x onerror=alert(1)>"\n    box',
    "[^1]\n\n[^1]: <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]

EXECUTABLE = [
    re.compile(r"<\s*(script|iframe|object|embed|svg|math|style|form|input|meta|base|link|body|details)\b", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
    re.compile(r"(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\s(srcdoc|background|action|formaction)\s*=", re.I),
]


@pytest.mark.parametrize("source", XSS)
def test_nothing_executable_survives(source):
    html = render(source).html
    for pattern in EXECUTABLE:
        assert not pattern.search(html), f"{pattern.pattern} survived in {html!r}"


@pytest.mark.parametrize("source", XSS)
def test_raw_html_through_the_sanitiser_alone(source):
    html = sanitise(source)
    for pattern in EXECUTABLE:
        assert not pattern.search(html), f"{pattern.pattern} survived in {html!r}"


def test_the_markdown_features_survive_sanitising():
    result = render("## 三换技巧\n\n| a | b |\n|:-:|---|\n| 1 | 2 |\n\n!!! key\n    记住\n\n文字[^1]\n\n[^1]: 注释\n\n[外链](https://example.com)")
    html = result.html
    assert '<h2 id="三换技巧">' in html and "<table>" in html and 'align="center"' in html
    assert '<div class="admonition key">' in html and '<p class="admonition-title">要点</p>' in html
    assert 'class="footnote-ref"' in html and 'href="https://example.com"' in html
    assert result.toc == [{"level": 2, "id": "三换技巧", "name": "三换技巧"}]
    assert "三换技巧" in result.text and "<" not in result.text


def test_links_and_images_resolve_or_are_marked():
    result = render("[a](lesson:x/y#top) [b](lesson:gone) ![c](image:pic) ![d](image:none)",
                    resolve_link=lambda t: "/courses/x/lessons/y#top" if t == "x/y#top" else None,
                    resolve_image=lambda n: "/courses/x/images/pic" if n == "pic" else None)
    assert 'href="/courses/x/lessons/y#top"' in result.html and 'src="/courses/x/images/pic"' in result.html
    assert result.broken_links == ["gone"] and result.missing_images == ["none"]
    assert result.html.count('class="broken-link"') == 2


def test_inline_markup_does_not_split_words_in_the_search_text():
    assert "三换技巧" in render("**三换**技巧").text
