"""Rendering a shared specification: list items grouped into lists, a window of sections per
request, and a cache of the rendered blocks of frozen sections."""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from flask import get_template_attribute
from markupsafe import Markup


def layout(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group consecutive list items into lists, for the template."""
    out: list[dict[str, Any]] = []
    for block in blocks:
        if block["kind"] == "item":
            last = out[-1] if out else None
            if last is not None and last["type"] == "list" and last["group"] == block["list"]:
                last["items"].append(block)
                continue
            out.append({"type": "list", "group": block["list"], "ordered": block["ordered"], "start": block["start"], "items": [block]})
        else:
            out.append({"type": "block", "block": block})
    return out


#: About how many paragraphs one request renders; longer specs load the rest section by
#: section as the reader scrolls (htmx "revealed"), or with a "continue reading" link without JS.
BLOCKS_PER_REQUEST = 80


def window(sections: list[Any], start: int) -> tuple[list[Any], int | None]:
    """Sections from ``start`` until about BLOCKS_PER_REQUEST blocks; and where the next window starts."""
    chosen: list[Any] = []
    blocks = 0
    index = start
    while index < len(sections) and (not chosen or blocks + len(sections[index].blocks) <= BLOCKS_PER_REQUEST):
        chosen.append(sections[index])
        blocks += len(sections[index].blocks)
        index += 1
    return chosen, index if index < len(sections) else None


#: Rendered blocks of frozen sections, by (section version, can comment, link prefix). Versions never
#: change, so entries never go stale; only the comment counts differ, and they are filled in per request.
_BLOCKS_CACHE: OrderedDict[tuple[int, bool, str], str] = OrderedDict()
_BLOCKS_CACHE_SIZE = 512
_COUNT_MARK = re.compile(r"<!--count:(\d+)-->")


def section_html(section: Any, can_comment: bool, paragraph_base: str, counts: dict[int, int]) -> Markup:
    """One frozen section's blocks, from the cache, with this viewer's comment counts filled in."""
    key = (section.id, can_comment, paragraph_base)
    html = _BLOCKS_CACHE.get(key)
    if html is None:
        macro = get_template_attribute("specs/_macros.html", "blocks")
        html = str(macro(layout(section.blocks), None, paragraph_base, section.heading, can_comment))
        _BLOCKS_CACHE[key] = html
        while len(_BLOCKS_CACHE) > _BLOCKS_CACHE_SIZE:
            _BLOCKS_CACHE.popitem(last=False)
    count_macro = get_template_attribute("specs/_macros.html", "comment_count")
    rendered: dict[int, str] = {}

    def count(match: re.Match[str]) -> str:
        n = counts.get(int(match.group(1)), 0)
        if n not in rendered:
            rendered[n] = str(count_macro(n))
        return rendered[n]

    return Markup(_COUNT_MARK.sub(count, html))
