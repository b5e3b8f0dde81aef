"""The one way user-written text becomes HTML: cmark-gfm, then nh3.

cmark-gfm (the C reference parser behind GitHub) is built to run in time linear in the length
of its input, whatever the input, so a hostile text cannot make a page or the preview hang.
Raw HTML in the text is never passed through (cmark's safe mode leaves it out), and nesting
deeper than ``MAX_DEPTH`` is flattened before nh3 sanitises what is left.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from markupsafe import Markup

#: GitHub's tables and ~~strikethrough~~; a single newline is a line break, as people expect.
_EXTENSIONS = ["table", "strikethrough"]
_OPTIONS = Options.CMARK_OPT_HARDBREAKS | Options.CMARK_OPT_VALIDATE_UTF8

#: Elements nested deeper than this (quotes in quotes in lists ...) are flattened: nobody
#: writes more, and parsing very deep HTML again while sanitising is slow.
MAX_DEPTH = 32

# What survives sanitising. No style, no event handlers, no hx-*/data-* attributes,
# no images (they would let text load things from other hosts).
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


# Browsers drop tabs and newlines anywhere in a URL and control characters or spaces at its
# ends, so "java\tscript:" runs as "javascript:". nh3 sees no scheme there and keeps it.
_URL_TABS = re.compile(r"[\t\n\r]+")
_URL_EDGES = "".join(chr(c) for c in range(0x21))
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop a link whose scheme, as a browser would read it, is not allowed."""
    if attribute in {"href", "src", "cite", "action"}:
        compact = _URL_TABS.sub("", value).strip(_URL_EDGES)
        if not compact:
            return None  # cmark empties a link it judged unsafe; a link to nowhere helps nobody
        scheme = _SCHEME.match(compact)
        if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
            return None
        if not scheme and ":" in compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
            return None  # something like "java&#0;script:" that no scheme pattern matched
        return compact
    return value


#: Texts longer than this are rendered every time rather than kept in the cache.
_CACHE_TEXT_LIMIT = 20_000

def render_markdown(text: str | None) -> Markup:
    """Render Markdown to sanitised HTML that is safe to put in a page."""
    if not text:
        return Markup("")
    if len(text) <= _CACHE_TEXT_LIMIT:
        return _render_cached(text)
    return _render(text)


@lru_cache(maxsize=4096)
def _render_cached(text: str) -> Markup:
    # The output depends only on the text, so pages that show the same clauses and
    # paragraphs again and again render each one once per process.
    return _render(text)


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*?(/?)>")
_VOID = {"br", "hr", "img", "input"}


def _flatten_deep_nesting(html: str, limit: int = MAX_DEPTH) -> str:
    """Drop the tags (not the text) of elements nested more than ``limit`` deep.

    cmark's output is well formed, so counting opening and closing tags gives the depth.
    """
    depth = 0

    def visit(match: re.Match[str]) -> str:
        nonlocal depth
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            return match.group(0)
        if closing:
            depth -= 1
            return match.group(0) if depth < limit else ""
        depth += 1
        return match.group(0) if depth <= limit else ""

    return _TAG.sub(visit, html)


def _render(text: str) -> Markup:
    html = cmarkgfm.markdown_to_html_with_extensions(text, options=_OPTIONS, extensions=_EXTENSIONS)
    # cmark ends every block with a newline; callers (and stored HTML) expect none at the end.
    html = _flatten_deep_nesting(html).rstrip("\n")
    # Headings start at h2: the page title is the only h1.
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return Markup(clean)
