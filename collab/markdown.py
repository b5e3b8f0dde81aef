"""The one way user-written text becomes HTML: python-markdown, then nh3."""

from __future__ import annotations

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


def render_markdown(text: str | None) -> Markup:
    """Render Markdown to sanitised HTML that is safe to put in a page."""
    if not text:
        return Markup("")
    # Headings start at h2: the page title is the only h1.
    html = md.markdown(text, extensions=_EXTENSIONS, output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )
    return Markup(clean)
