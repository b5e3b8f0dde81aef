"""Two-step sign-in in Chromium: set it up from the account page, sign out, sign in with a code.

The key is read off the set-up page (the text for people who cannot scan the QR code) and the
code computed with pyotp, as an authenticator app would. Every page is checked with axe.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import (
    DEMO_PASSWORD,
    check_a11y,
    set_up_two_step,
    sign_in,
    sign_out,
    wrong_two_step_code,
)

EMAIL = "opendoor@riverside.example"


def test_set_up_two_step_then_sign_in_with_a_code(new_context):
    page = new_context().new_page()
    sign_in(page, EMAIL)
    page.goto("/account")
    expect(page.get_by_text("Two-step sign-in: off")).to_be_visible()
    page.get_by_role("link", name="Two-step sign-in").click()
    check_a11y(page, "two-step-off")
    page.get_by_role("link", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    check_a11y(page, "two-step-set-up")

    # A wrong code first: the error summary says what to do.
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    check_a11y(page, "two-step-set-up-error")

    codes = set_up_two_step(page, EMAIL, from_current_page=True)
    assert len(codes) == 10
    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    check_a11y(page, "two-step-recovery-codes")
    page.get_by_role("link", name="I have saved my codes, continue").click()
    expect(page.get_by_text("Two-step sign-in is on for your account.")).to_be_visible()

    # Signing in again: the password alone is not enough.
    sign_out(page)
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/sign-in/code")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check_a11y(page, "two-step-sign-in-code")
    page.get_by_label("Code from your authenticator app").fill(wrong_two_step_code(EMAIL))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    page.get_by_role("link", name="I cannot use my app: use a recovery code").click()
    check_a11y(page, "two-step-sign-in-recovery-code")
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Sign out").wait_for()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have 9 left")

    # And with a code from the app, through the shared helper.
    sign_out(page)
    sign_in(page, EMAIL)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_two_step_set_up_works_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    email = "peers@riverside.example"
    sign_in(page, email)
    set_up_two_step(page, email)
    check_a11y(page, "two-step-recovery-codes-no-js")
    sign_out(page)
    sign_in(page, email)
    page.goto("/account/two-step")
    expect(page.get_by_text("Two-step sign-in is on for your account.")).to_be_visible()
