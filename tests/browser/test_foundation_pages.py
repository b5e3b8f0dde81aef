"""The rest of the foundation's pages in Chromium: organisations, alliance settings, passwords.

Like the journeys, every page visited is checked with axe and saved as a screenshot.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from collab.demo import DEMO_PASSWORD
from tests.browser.helpers import check_a11y, latest_email, link_in, sign_in

RIVERSIDE_SLUG = "riverside-living-well-alliance"


def test_site_administrator_registers_an_organisation(page):
    sign_in(page, "admin@collab.example")
    page.goto("/alliances")
    expect(page.get_by_text("You are not in any alliance yet")).to_be_visible()
    check_a11y(page, "admin-alliances")

    page.get_by_role("link", name="Organisations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Organisations"))
    expect(page.get_by_role("cell", name="Talking Together Peer Support", exact=True)).to_be_visible()
    check_a11y(page, "organisations")

    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_role("button", name="Register organisation").click()
    summary = page.locator("#main-content .govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    check_a11y(page, "organisation-new-errors")

    name = f"Harbour Lights Befriending {uuid.uuid4().hex[:6]}"
    page.get_by_label("Organisation name").fill(name)
    page.get_by_label("Charity", exact=True).check()
    page.get_by_label(re.compile("^Micro")).check()
    page.get_by_label("Where it works").fill("Riverside harbour")
    page.get_by_role("button", name="Register organisation").click()
    expect(page.get_by_text(f"{name} has been registered")).to_be_visible()
    check_a11y(page, "organisation-registered")

    # Registering opens the new organisation's page (trust, issue 7).
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("link", name="Change the details").click()
    expect(page.get_by_label("Organisation name")).to_have_value(name)
    check_a11y(page, "organisation-edit")


def test_commissioner_settings_pages(page):
    sign_in(page, "commissioner@riverside.example")
    page.goto(f"/alliances/{RIVERSIDE_SLUG}/edit")
    expect(page.get_by_label("Purpose", exact=True)).to_have_value(re.compile("one team"))
    expect(page.locator("#purpose-preview strong")).to_have_text("one team")
    check_a11y(page, "alliance-edit")

    page.goto(f"/alliances/{RIVERSIDE_SLUG}/leave")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Are you sure you want to leave")
    check_a11y(page, "alliance-leave")

    page.goto("/account/password")
    page.get_by_label("Current password").fill("not my password at all")
    page.get_by_label("New password", exact=True).fill("another long password 7")
    page.get_by_label("Confirm new password").fill("another long password 7")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#main-content .govuk-error-summary")).to_contain_text("There is a problem")
    check_a11y(page, "change-password-error")


def test_forgotten_password_by_emailed_link(page, new_context, live_server):
    email = "lived.experience@riverside.example"
    page.goto("/sign-in")
    page.get_by_role("link", name="I have forgotten my password").click()
    check_a11y(page, "forgotten-password")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_a11y(page, "reset-sent")

    link = link_in(latest_email(live_server, email), live_server)
    reset = new_context().new_page()
    reset.goto(link)
    check_a11y(reset, "reset-password")
    reset.get_by_label("New password", exact=True).fill("sunny new password 2026")
    reset.get_by_label("Confirm new password").fill("sunny new password 2026")
    reset.get_by_role("button", name="Save new password").click()
    expect(reset.get_by_text("Your password has been changed")).to_be_visible()
    sign_in(reset, email, "sunny new password 2026")

    # The link works once.
    again = new_context().new_page()
    response = again.goto(link)
    assert response is not None and response.status == 404
    check_a11y(again, "reset-invalid")

    # The browser tests share one seeded server: this person signs in with the demo password in
    # later journeys (the workshop participants), so they set it back, as a user would.
    reset.goto("/account/password")
    reset.get_by_label("Current password").fill("sunny new password 2026")
    reset.get_by_label("New password", exact=True).fill(DEMO_PASSWORD)
    reset.get_by_label("Confirm new password").fill(DEMO_PASSWORD)
    reset.get_by_role("button", name="Change password").click()
    expect(reset.get_by_text("Your password has been changed")).to_be_visible()
    fresh = new_context().new_page()
    sign_in(fresh, email)


def test_broken_invitation_link_and_public_alliance_visitor(page):
    response = page.goto("/invitations/not-a-real-token")
    assert response is not None and response.status == 404
    check_a11y(page, "invitation-invalid")

    # Riverside is public: a visitor sees its purpose and organisations, but not its people.
    page.goto(f"/alliances/{RIVERSIDE_SLUG}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Living Well Alliance")
    expect(page.get_by_text("Mind in Riverside")).to_be_visible()
    expect(page.get_by_role("heading", name="People")).to_have_count(0)
    expect(page.get_by_text("Priya Shah")).to_have_count(0)
    check_a11y(page, "public-alliance-visitor")
