"""Visit every page a person can reach by following links, as that person, on a phone-sized screen.

Used by tests/browser/test_whole_site.py. The crawl starts from a few pages and follows every
link to this site (GET only: it never presses a button, so it changes nothing but what reading a
page changes, such as a notification marked read). Pages of the same shape
(``/alliances/x/specs/7/paragraphs/31`` and ``…/32``) are visited a few times, not hundreds:
numbers in the path and the values of the query string make up the shape.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlsplit

#: Files, not pages: downloads are checked by their own tests.
SKIP = re.compile(r"\.(md|pdf|csv|json|ics|ico|svg|png|js|css)$|^/static/")
#: How many pages of one shape to visit, and of all shapes, for one person.
PER_SHAPE = 2
PER_PERSON = 160

#: The largest page width, in CSS pixels, of a phone (an iPhone 12 to 15 is 390 wide).
PHONE_WIDTH = 390

_MEASURE = """() => {
  const width = document.documentElement.scrollWidth;
  const wide = [];
  if (width > WIDTH) {
    for (const element of document.querySelectorAll('body *')) {
      const box = element.getBoundingClientRect();
      if (box.right > WIDTH + 1 && element.offsetParent !== null) {
        wide.push(element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') +
                  (element.className && element.className.baseVal === undefined ? '.' + String(element.className).trim().split(/\\s+/).join('.') : '') +
                  ' (right edge ' + Math.round(box.right) + ')');
        if (wide.length > 4) break;
      }
    }
  }
  return {width: width, wide: wide};
}""".replace("WIDTH", str(PHONE_WIDTH))


def shape(path_and_query: str) -> str:
    """The shape of an address: numbers in the path become #, query values are dropped."""
    parts = urlsplit(path_and_query)
    path = re.sub(r"/\d+(?=/|$|\.)", "/#", parts.path)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return path + (("?" + "&".join(keys)) if keys else "")


@dataclass
class Visited:
    url: str
    status: int
    #: document.documentElement.scrollWidth at PHONE_WIDTH.
    width: int
    #: Elements that reach past the right edge, when the page is too wide.
    wide: list[str]
    #: The HTML as the server sent it (not the DOM after scripts ran).
    html: str


@dataclass
class Crawl:
    who: str
    pages: list[Visited] = field(default_factory=list)


def crawl(page: Any, base_url: str, who: str, start: list[str]) -> Crawl:
    """Follow links from ``start`` as the person signed in on ``page``."""
    result = Crawl(who)
    queue = list(start)
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    while queue and len(result.pages) < PER_PERSON:
        target = queue.pop(0)
        if target in seen or shapes[shape(target)] >= PER_SHAPE:
            continue
        seen.add(target)
        shapes[shape(target)] += 1
        response = page.goto(base_url + target, wait_until="load")
        if response is None:
            continue
        final = urlsplit(page.url)
        if final.netloc != urlsplit(base_url).netloc or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        measured = page.evaluate(_MEASURE)
        result.pages.append(Visited(page.url, response.status, measured["width"], measured["wide"], response.text()))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            address, _fragment = urldefrag(href)
            parts = urlsplit(address)
            if parts.netloc != urlsplit(base_url).netloc or parts.scheme not in ("http", "https"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or local in seen:
                continue
            queue.append(local)
    return result
