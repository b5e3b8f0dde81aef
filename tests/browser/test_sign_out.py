"""Signing out on a shared computer really signs you out, even after "Keep me signed in"."""

from __future__ import annotations

from tests.browser.helpers import DEMO_PASSWORD, screenshot


def test_sign_out_after_keep_me_signed_in_stays_signed_out(page):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("provider@riverside.example")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_label("Keep me signed in on this device for 2 weeks").check()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()
    remembered = [c for c in page.context.cookies() if "remember" in c["name"]]
    assert remembered, "ticking 'Keep me signed in' should set a remember-me cookie"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in*")
    assert not [c for c in page.context.cookies() if "remember" in c["name"]]

    # The next person at this computer reloads a page the previous person had open.
    page.goto("/alliances")
    assert "/sign-in" in page.url
    assert page.get_by_role("button", name="Sign out").count() == 0
    screenshot(page, "signed-out-after-remember-me")
