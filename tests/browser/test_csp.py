"""Under the Content-Security-Policy, the page's own scripts still run and nothing is blocked.

tests/browser/conftest.py fails any browser test whose console reports a CSP violation;
this test also proves that detection works.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in


def test_scripts_from_files_run_under_the_policy(page):
    page.goto("/")
    # js-enabled.js ran at the top of <body>; govuk-init.js (a module) ran initAll.
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert page.evaluate("() => window.htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("() => window.htmx.config.allowEval") is False
    # htmx's indicator <style> would need 'unsafe-inline': it is not added.
    assert page.evaluate("() => document.querySelectorAll('style').length") == 0


def test_an_inline_script_is_blocked_and_reported(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.goto("/accessibility")
        page.evaluate("""() => {
            const script = document.createElement('script');
            script.textContent = 'window.injected = true';
            document.body.appendChild(script);
        }""")
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.injected === undefined")
        assert any("Content Security Policy" in text for text in messages), messages
    finally:
        context.close()


def test_signed_in_htmx_pages_work_under_the_policy(page):
    sign_in(page, "commissioner@northgate.example")
    page.goto("/alliances")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
