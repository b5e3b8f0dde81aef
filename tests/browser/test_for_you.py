"""For you in Chromium: where people land after signing in, the panel on the alliance home,
notifications that are read when followed, and My comments. Every page is checked with axe.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, sign_in

RIVERSIDE = "/alliances/riverside-living-well-alliance"
SPEC = "Community mental health crisis support"


def test_the_demo_service_user_lands_on_the_consultation_that_wants_her(new_context):
    page = new_context().new_page()
    sign_in(page, "serviceuser@riverside.example")
    expect(page).to_have_url(re.compile(r"/for-you$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("For you")
    needs = page.locator(".collab-foryou-list--needs")
    consultation = needs.get_by_role("link", name=f"Have your say on “{SPEC}”")
    expect(consultation).to_be_visible()
    item = needs.locator(".collab-foryou-item", has_text=f"Have your say on “{SPEC}”")
    expect(item).to_contain_text(re.compile(r"Due in \d+ days"))
    expect(item).to_contain_text("Riverside Living Well Alliance")
    check_a11y(page, "for-you-service-user")

    # One click from where she acts.
    consultation.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEC)

    # The alliance home has the same item in its panel.
    page.goto(RIVERSIDE)
    panel = page.locator("#for-you-here")
    expect(panel.get_by_role("heading", name="For you in this alliance")).to_be_visible()
    expect(panel.get_by_role("link", name=f"Have your say on “{SPEC}”")).to_be_visible()
    check_a11y(page, "alliance-home-for-you-panel")

    # On a phone, nothing runs off the side.
    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, "serviceuser@riverside.example")
    for path in ("/for-you", RIVERSIDE):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), path
    check_a11y(phone, "for-you-phone")


def test_for_you_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "provider@riverside.example")
    page.goto("/for-you")
    expect(page.get_by_role("heading", level=1)).to_have_text("For you")
    expect(page.get_by_role("heading", name=re.compile("What changed"))).to_be_visible()
    check_a11y(page, "for-you-no-js")


def test_following_a_notification_marks_it_read(new_context):
    page = new_context().new_page()
    sign_in(page, "nhs.commissioner@riverside.example")  # Tom has not answered the demo proposal yet
    page.goto("/notifications")
    note = page.locator(".collab-notification", has_text="Your response is needed")
    expect(note.get_by_text("New")).to_be_visible()
    expect(note).to_contain_text("Riverside Living Well Alliance")
    check_a11y(page, "notifications-with-new")
    note.get_by_role("link", name=re.compile("Your response is needed")).click()
    expect(page).to_have_url(re.compile(r"/agreement/proposals/\d+$"))
    page.goto("/notifications")
    expect(page.locator(".collab-notification", has_text="Your response is needed").get_by_text("New")).to_have_count(0)


def test_my_comments(new_context):
    page = new_context().new_page()
    sign_in(page, "provider@riverside.example")
    page.goto("/for-you")
    page.get_by_role("link", name="My comments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My comments")
    expect(page.locator(".collab-my-comment", has_text="Peer supporters need proper supervision")).to_be_visible()
    check_a11y(page, "my-comments")
