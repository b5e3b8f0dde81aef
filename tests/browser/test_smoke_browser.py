"""The live server answers in Chromium and the demo data is there."""

from __future__ import annotations

from tests.browser.helpers import check_a11y, sign_in


def test_demo_commissioner_signs_in_and_sees_their_alliance(page):
    sign_in(page, "commissioner@riverside.example")
    page.goto("/alliances")
    check_a11y(page, "alliances-index")
    assert page.get_by_role("link", name="Riverside Living Well Alliance").first.is_visible()
