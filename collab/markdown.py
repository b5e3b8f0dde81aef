"""The one way user-written text becomes HTML: python-markdown, then nh3."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import markdown as md
import nh3
from markupsafe import Markup

_EXTENSIONS = ["sane_lists", "tables", "fenced_code", "nl2br"]

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
        scheme = _SCHEME.match(compact)
        if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
            return None
        if not scheme and ":" in compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
            return None  # something like "java&#0;script:" that no scheme pattern matched
        return compact
    return value


#: Texts longer than this are rendered every time rather than kept in the cache.
_CACHE_TEXT_LIMIT = 20_000
_local = threading.local()


def _converter() -> md.Markdown:
    """One Markdown parser per thread, reset between texts: building a parser costs more than using it."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=_EXTENSIONS, output_format="html")
    return converter


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


def _render(text: str) -> Markup:
    converter = _converter()
    try:
        html = converter.convert(text)
    finally:
        converter.reset()
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
