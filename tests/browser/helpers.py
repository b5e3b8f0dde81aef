"""Helpers for browser tests: signing in, screenshots, axe checks, reading emails.

Import them in a test module: ``from tests.browser.helpers import sign_in, check_a11y``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.engine import Engine

from collab.demo import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@dataclass
class LiveServer:
    """A running Collab: its address, its Flask app and the emails it has sent."""

    url: str
    app: Flask
    engine: Engine

    @property
    def outbox(self) -> list[EmailMessage]:
        return self.app.extensions.setdefault("mail_outbox", [])  # type: ignore[no-any-return]

    def path(self, path: str) -> str:
        return self.url + path


def sign_in(page: Any, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form and wait until we are signed in.

    For an account that turned on two-step sign-in in this run (``set_up_two_step``), the
    code step is answered from the secret the test read off the set-up page.
    """
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if email in TWO_STEP_SECRETS:  # two-step sign-in (issue 7)
        page.wait_for_url("**/sign-in/code")
        page.get_by_label("Code from your authenticator app").fill(two_step_code(email))
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Sign out").wait_for()


# Two-step sign-in (issue 7) ------------------------------------------------------------------

#: The authenticator secrets of accounts that turned on two-step sign-in in this test run.
TWO_STEP_SECRETS: dict[str, str] = {}
_LAST_STEP: dict[str, int] = {}


def wrong_two_step_code(email: str) -> str:
    """A code the server will refuse for ``email`` now, without using up a time step."""
    import time

    import pyotp

    totp = pyotp.TOTP(TWO_STEP_SECRETS[email])
    now = totp.timecode(time.time())
    valid = {totp.generate_otp(step) for step in range(now - 1, now + 3)}
    return next(code for code in ("000000", "111111", "222222", "333333", "444444") if code not in valid)


def two_step_code(email: str) -> str:
    """A code the server has not seen yet for ``email``, as an authenticator app would show.

    The server refuses a code twice, and accepts the next 30-second step's code too (for clocks
    a little ahead), so a second code within the same half-minute uses the next step.
    """
    import time

    import pyotp

    totp = pyotp.TOTP(TWO_STEP_SECRETS[email])
    step = max(totp.timecode(time.time()), _LAST_STEP.get(email, -1) + 1)
    while step > totp.timecode(time.time()) + 1:
        time.sleep(1)
    _LAST_STEP[email] = step
    return totp.generate_otp(step)


def set_up_two_step(page: Any, email: str, *, from_current_page: bool = False) -> list[str]:
    """Turn on two-step sign-in for the signed-in ``email``, reading the key off the page.

    With ``from_current_page`` the page is already on the set-up form (say, after following
    the link on the signing page); the "continue" button at the end leads back there.
    Returns the recovery codes shown.
    """
    if not from_current_page:
        page.goto("/account/two-step/set-up")
    secret = page.locator("#two-step-secret").inner_text().replace(" ", "")
    TWO_STEP_SECRETS[email] = secret
    _LAST_STEP.pop(email, None)
    page.get_by_label("Code from your authenticator app").fill(two_step_code(email))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    page.locator("#recovery-codes").wait_for()
    return [code.strip() for code in page.locator("#recovery-codes code").all_inner_texts()]


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.wait_for()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot to tests/browser/screenshots/<name>.png."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise ValueError(f"screenshot name {name!r}: use lower case letters, digits, - and _")
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}: {node.get('failureSummary', '').strip().replace(chr(10), ' ')}")
            lines.append(f"       {node.get('html', '')[:200]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]  # type: ignore[no-any-return]


def _scripts_ran(page: Any) -> bool:
    # base.html's first script adds "js-enabled"; without it the page's JavaScript is off.
    return bool(page.evaluate("document.body.classList.contains('js-enabled')"))


def _violations_without_javascript(page: Any) -> list[dict[str, Any]]:
    """axe needs timers, which a page with JavaScript off never runs: check a copy.

    The copy has the same HTML with every script removed, so it is the page as a
    person without JavaScript gets it, in a context where axe itself can run.
    """
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)
    html = re.sub(r"<head>", f'<head><base href="{page.url}">', html, count=1, flags=re.I)
    copy_context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = copy_context.new_page()
        copy.set_content(html, wait_until="load")
        return _axe_violations(copy)
    finally:
        copy_context.close()


def check_a11y(page: Any, name: str) -> None:
    """Save a screenshot, then fail with a readable list if axe finds ANY violation."""
    page.wait_for_load_state("load")
    screenshot(page, name)
    violations = _axe_violations(page) if _scripts_ran(page) else _violations_without_javascript(page)
    if violations:
        pytest.fail(
            f"axe found {len(violations)} accessibility problem(s) on {page.url} ({name}):\n"
            + _describe(violations),
            pytrace=False,
        )


def latest_email(server: LiveServer, to: str) -> EmailMessage:
    """The most recent email sent to ``to`` (fails if there is none)."""
    for message in reversed(server.outbox):
        if message["To"].lower() == to.lower():
            return message
    pytest.fail(f"no email was sent to {to}; the outbox has {[m['To'] for m in server.outbox]}", pytrace=False)


def link_in(message: EmailMessage, server: LiveServer) -> str:
    """The first link in an email that points at the live server."""
    body = message.get_content()
    match = re.search(re.escape(server.url) + r"/\S+", body)
    if not match:
        pytest.fail(f"no link to {server.url} in the email:\n{body}", pytrace=False)
    return match.group(0).rstrip(".,)")


def fill_date(page: Any, group: str, when: Any) -> None:
    """Type a date into the GOV.UK day, month and year boxes of the date question named ``group``."""
    boxes = page.get_by_role("group", name=group, exact=True)
    boxes.get_by_label("Day").fill(str(when.day))
    boxes.get_by_label("Month").fill(str(when.month))
    boxes.get_by_label("Year").fill(str(when.year))
