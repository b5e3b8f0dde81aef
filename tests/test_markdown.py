"""render_markdown: normal Markdown renders; nothing dangerous survives."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from collab.markdown import render_markdown

# Each payload tries to run script, load something, or smuggle htmx behaviour into a page.
XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<a href="#" onclick="alert(1)">click</a>',
    '<a href="#" ONMOUSEOVER=alert(1)>hover</a>',
    '<p onmouseover="alert(1)">hover</p>',
    '<body onload="alert(1)">',
    '<div onpointerenter="alert(1)">x</div>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](java&#115;cript:alert(1))",
    "[click](java&#x73;cript:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](vbscript:msgbox(1))",
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="&#x09;javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    '<img src="data:image/png;base64,AAAA">',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<svg><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    '<style>body{display:none}</style>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="position:fixed;top:0;left:0;width:100%;height:100%">cover</div>',
    '<div hx-get="/account/sign-out-everywhere" hx-trigger="load">x</div>',
    '<a hx-post="/sign-out" hx-trigger="mouseover">x</a>',
    '<p data-hx-post="/sign-out" data-hx-trigger="load">x</p>',
    '<div hx-on:click="alert(1)">x</div>',
    '<div hx-on::load="alert(1)">x</div>',
    '<p x-data="{}" x-init="alert(1)">alpine</p>',
    '<p data-foo="bar" id="login" class="govuk-button">attrs</p>',
    '<template><script>alert(1)</script></template>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<!--<img src=x onerror=alert(1)>-->',
    '<a href="https://ok.example" target="_blank" onfocus="alert(1)" autofocus>ok</a>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<<script>script>alert(1)<</script>/script>",
    '<img src="x" alt="`onerror=alert(1)`">',
    "[a](https://ok.example \"title\" onclick=alert(1))",
    "<a href='https://ok.example' onclick=alert(1)>single quotes</a>",
    "\x00<script>alert(1)</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "<ſcript>alert(1)</ſcript>",
]

# Things that must not appear in the output as markup.
DANGEROUS = [
    re.compile(r"<\s*(script|iframe|object|embed|svg|math|style|form|input|button|meta|link|base|img|template|noscript|body)\b", re.I),
    re.compile(r"\son[a-z:]+\s*=", re.I),
    re.compile(r"\s(data-)?hx-[a-z:-]*\s*=", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\sx-[a-z]+\s*=", re.I),
    re.compile(r"\s(data-[a-z-]+|id|class|target|srcdoc|formaction|xlink:href)\s*=", re.I),
    re.compile(r"(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):", re.I),
]


def _tags(html: str) -> list[str]:
    """Every tag in the output (what a browser would parse as markup)."""
    return re.findall(r"<[^>]*>", html)


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_dangerous_markup_is_removed(payload):
    html = str(render_markdown(payload))
    for tag in _tags(html):
        for pattern in DANGEROUS:
            assert not pattern.search(tag), f"{payload!r} left {tag!r}"
    # Only these tags may come out at all.
    names = {re.match(r"</?\s*([a-zA-Z0-9]+)", tag).group(1).lower() for tag in _tags(html)}
    assert names <= {"p", "a", "code", "pre", "br", "strong", "em", "table", "thead", "tbody", "tr", "th", "td"}, names


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_links_only_use_safe_schemes(payload):
    html = str(render_markdown(payload))
    for href in re.findall(r'href="([^"]*)"', html):
        assert re.match(r"(https?:|mailto:|#|/)", href), f"{payload!r} left href {href!r}"


def test_output_is_markup_and_empty_text_is_empty():
    assert isinstance(render_markdown("hi"), Markup)
    assert render_markdown("") == Markup("")
    assert render_markdown(None) == Markup("")


def test_normal_markdown_still_renders():
    source = (
        "# Our purpose\n\n"
        "We help people **recover** and *stay well*.\n\n"
        "- peer support\n- talking therapies\n\n"
        "1. first\n2. second\n\n"
        "> no blame, no dispute\n\n"
        "See [our site](https://riverside.example/about) or [email us](mailto:hello@riverside.example).\n\n"
        "| Outcome | Measure |\n| --- | --- |\n| Recover | Fewer crises |\n\n"
        "Use `code` and ~~not this~~.\n"
    )
    html = str(render_markdown(source))
    assert "<h2>Our purpose</h2>" in html  # the page title is the only h1
    assert "<h1>" not in html
    assert "<strong>recover</strong>" in html
    assert "<em>stay well</em>" in html
    assert "<ul>\n<li>peer support</li>" in html
    assert "<ol>\n<li>first</li>" in html
    assert "<blockquote>" in html
    assert '<a href="https://riverside.example/about" rel="nofollow noopener noreferrer">our site</a>' in html
    assert 'href="mailto:hello@riverside.example"' in html
    assert "<table>" in html and "<th>Outcome</th>" in html and "<td>Fewer crises</td>" in html
    assert "<code>code</code>" in html


def test_text_that_looks_like_html_is_shown_not_run():
    html = str(render_markdown("Use the <b>&</b> sign & say 5 < 6"))
    assert "&amp;" in html
    assert "5 &lt; 6" in html


def test_code_blocks_show_markup_as_text():
    html = str(render_markdown("```\n<script>alert(1)</script>\n```"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
