"""Every page, as every kind of person, on a phone: nothing scrolls sideways, and the HTML is valid.

The crawl (tests/browser/crawl.py) runs last among the browser tests (this file's name sorts
last), so it walks the demo data and everything the journeys before it made: proposals,
versions, comments, responses. It signs in as each demo account in turn, and once without an
account, in a browser 390 pixels wide, and follows every link.

- **No sideways scrolling at 390 px** (a phone): ``document.documentElement.scrollWidth`` must
  not be larger than the screen on any page.
- **Valid HTML**: the pages as the server sent them are checked with the Nu HTML Checker
  (vnu-jar from npm, run once over all of them because Java is slow to start). Without Java the
  check is skipped with a message, unless COLLAB_REQUIRE_BROWSER=1, which makes it a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.crawl import PHONE_WIDTH, Crawl, crawl
from tests.browser.helpers import sign_in

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

#: Who the crawl signs in as (README "Demo accounts"), and where each starts.
PEOPLE = [
    ("anonymous", None),
    ("commissioner", "commissioner@riverside.example"),
    ("provider", "provider@riverside.example"),
    ("service user", "serviceuser@riverside.example"),
    ("facilitator", "facilitator@riverside.example"),
    ("observer", "observer@riverside.example"),
    ("another alliance's commissioner", "commissioner@northgate.example"),
    ("site administrator", "admin@collab.example"),
]
START = ["/", "/alliances", "/notifications", "/account", "/accessibility", "/privacy", "/glossary", "/verify"]


@pytest.fixture(scope="module")
def crawls(new_context_for_module: Any, live_server: Any) -> list[Crawl]:
    """One crawl per person, at phone width."""
    results = []
    for who, email in PEOPLE:
        context = new_context_for_module(viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True)
        page = context.new_page()
        if email:
            sign_in(page, email)
        results.append(crawl(page, live_server.url, who, START))
        context.close()
    return results


@pytest.fixture(scope="module")
def new_context_for_module(browser: Any, live_server: Any) -> Any:
    """Browser contexts for the module's crawl (the per-test ``new_context`` cannot outlive a test)."""
    def factory(**options: Any) -> Any:
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        return context

    return factory


def test_the_crawl_reaches_every_kind_of_page(crawls: list[Crawl]) -> None:
    paths = {urlsplit(p.url).path for c in crawls for p in c.pages}
    # Pages a member reaches by links: if one is missing, the crawl is broken, not the site.
    for ending in ("/agreement", "/agreement/versions", "/agreement/decisions", "/specs", "/members", "/activity"):
        assert any(path.startswith("/alliances/") and path.endswith(ending) for path in paths), ending
    assert {"/glossary", "/accessibility", "/privacy", "/verify"} <= paths
    assert sum(len(c.pages) for c in crawls) > 60
    failures = [f"{c.who}: {p.url} answered {p.status}" for c in crawls for p in c.pages if p.status >= 500]
    assert not failures, "\n".join(failures)


def test_no_page_scrolls_sideways_on_a_phone(crawls: list[Crawl]) -> None:
    too_wide = sorted({
        f"{p.url.split('/', 3)[-1]} is {p.width} px wide; past the edge: {', '.join(p.wide[:2]) or 'not found'} ({c.who})"
        for c in crawls for p in c.pages if p.width > PHONE_WIDTH
    })
    assert not too_wide, f"{len(too_wide)} page(s) scroll sideways at {PHONE_WIDTH} px:\n" + "\n".join(too_wide)


def _java() -> str | None:
    return shutil.which("java")


def _require() -> bool:
    return os.environ.get("COLLAB_REQUIRE_BROWSER", "") not in {"", "0", "false", "no"}


def test_every_page_is_valid_html(crawls: list[Crawl], tmp_path: Path) -> None:
    problem = None
    if _java() is None:
        problem = "the Nu HTML Checker needs Java ('apt-get install -y default-jre-headless')"
    elif not VNU_JAR.exists():
        problem = f"the Nu HTML Checker is not installed ({VNU_JAR.relative_to(ROOT)}: run 'npm ci')"
    if problem:
        if _require():
            pytest.fail(f"{problem} (COLLAB_REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
        pytest.skip(problem)

    files: dict[str, str] = {}
    seen: set[str] = set()
    for c in crawls:
        for p in c.pages:
            if p.html in seen:
                continue
            seen.add(p.html)
            name = tmp_path / f"page-{len(files):04d}.html"
            name.write_text(p.html, encoding="utf-8")
            files[str(name)] = f"{p.url} ({c.who})"
    result = subprocess.run(
        [_java() or "java", "-Xss4m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True, text=True, timeout=600, check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") == "error"]
    # One line per kind of error, with up to three pages where it happens.
    by_message: dict[str, list[str]] = {}
    for m in errors:
        where = files.get(m.get("url", "").removeprefix("file:"), m.get("url", ""))
        by_message.setdefault(m.get("message", ""), []).append(
            f"{where} line {m.get('lastLine')}: {m.get('extract', '').strip()[:120]!r}"
        )
    lines = [f"- {message} ({len(places)} times)\n    " + "\n    ".join(places[:3]) for message, places in by_message.items()]
    assert not errors, f"The Nu HTML Checker found {len(errors)} error(s) in {len(files)} pages:\n" + "\n".join(lines)
