"""Shared resources in Chromium: a small charity lists a room, a provider books it weekly, the owner approves,
and the alliance's value page shows what was shared. Every page is checked with axe.

The provider books with the KEYBOARD (Tab to each field, type, Enter; the date box is filled once
focused, as its typing order follows the browser's locale), including moving through the
calendar, so the pages are usable without a mouse.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from collab.resources.services import local_today
from tests.browser.helpers import check_a11y, sign_in, sign_out
from tests.browser.test_spec_journey import tab_to

RIVERSIDE = "/alliances/riverside-living-well-alliance"
SMALL_CHARITY = "peers@riverside.example"  # Jo Fairweather, Talking Together Peer Support (micro)
PROVIDER = "provider@riverside.example"  # Grace Lindqvist, Mind in Riverside


def _next_monday():
    today = local_today()
    return today + timedelta(days=(0 - today.weekday()) % 7 + 7)


def test_resources_journey(new_context):
    room = f"Wellbeing room {uuid.uuid4().hex[:6]}"
    monday = _next_monday()

    # 1. The small charity lists a room and sets its hours.
    page = new_context().new_page()
    sign_in(page, SMALL_CHARITY)
    page.goto(RIVERSIDE)
    page.get_by_role("link", name="Shared resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shared resources")
    check_a11y(page, "resources-register")
    page.get_by_role("link", name="List something to share").click()
    page.get_by_label("What kind of resource is it?").select_option("room")
    page.get_by_label("Name").fill(room)
    page.get_by_label("Where is it? (optional)").fill("Riverside Community Hub, 4 Mill Lane")
    page.get_by_label("Access information (optional)").fill("Step-free entrance and an accessible toilet.")
    page.get_by_label("Value in pounds").fill("eighteen")
    page.get_by_role("button", name="List it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the value as an amount in pounds")
    check_a11y(page, "resources-list-error")
    page.get_by_label("Value in pounds").fill("18")
    page.get_by_role("button", name="List it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opening hours")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(f"{day} opens").fill("9am")
        page.get_by_label(f"{day} closes").fill("5pm")
    check_a11y(page, "resources-hours")
    page.get_by_role("button", name="Save opening hours").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(room)
    expect(page.get_by_text("9am to 5pm").first).to_be_visible()
    check_a11y(page, "resources-room")
    sign_out(page)

    # 2. A provider finds it and books it every Monday for 4 weeks, keyboard only.
    page = new_context().new_page()
    sign_in(page, PROVIDER)
    page.goto(f"{RIVERSIDE}/resources?kind=room&location=Mill+Lane")
    tab_to(page, page.get_by_role("link", name=room))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(room)
    tab_to(page, page.get_by_role("link", name="See the calendar"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendar")
    check_a11y(page, "resources-calendar-week")
    tab_to(page, page.get_by_role("link", name="Month"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("table")).to_be_visible()
    check_a11y(page, "resources-calendar-month")
    tab_to(page, page.get_by_role("link", name="List", exact=True))
    page.keyboard.press("Enter")
    check_a11y(page, "resources-calendar-list")
    page.goto(f"{RIVERSIDE}/resources")
    tab_to(page, page.get_by_role("link", name=room))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Ask to book it"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("group", name="Date", exact=True).get_by_label("Day"))
    for part in (str(monday.day), str(monday.month), str(monday.year)):  # day, month, year: Tab between
        page.keyboard.type(part)
        page.keyboard.press("Tab")
    tab_to(page, page.get_by_label("Start time"))
    page.keyboard.type("7pm")
    tab_to(page, page.get_by_label("End time"))
    page.keyboard.type("9pm")
    tab_to(page, page.get_by_label("What is it for?"))
    page.keyboard.type("Hearing Voices peer group, about 8 people")
    tab_to(page, page.get_by_label("How many weeks?"))
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    tab_to(page, page.get_by_role("button", name="Send the request"))
    page.keyboard.press("Enter")
    # 7pm is after closing: each week is refused, with the nearest free times.
    expect(page.locator("#clashes > li")).to_have_count(4)
    expect(page.locator("#clashes")).to_contain_text("It is open 9am to 5pm")
    expect(page.locator("#clashes")).to_contain_text("Nearest free times")
    check_a11y(page, "resources-book-clash")
    tab_to(page, page.get_by_label("Start time"))
    page.keyboard.press("Control+A")
    page.keyboard.type("2pm")
    tab_to(page, page.get_by_label("End time"))
    page.keyboard.press("Control+A")
    page.keyboard.type("4pm")
    tab_to(page, page.get_by_role("button", name="Send the request"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your request has been sent to Talking Together Peer Support")).to_be_visible()
    expect(page.get_by_text("Waiting for approval").first).to_be_visible()
    check_a11y(page, "resources-booking-requested")
    sign_out(page)

    # 3. The small charity approves every week at once.
    page = new_context().new_page()
    sign_in(page, SMALL_CHARITY)
    page.goto("/notifications")
    page.get_by_role("link", name=re.compile(f"Mind in Riverside asked to book {room}")).first.click()
    expect(page.get_by_role("heading", name="Every week of this booking")).to_be_visible()
    check_a11y(page, "resources-booking-decide")
    page.get_by_label("Note to the person who asked (optional)").fill("See you on Mondays.")
    page.get_by_label("Approve every week of this booking that is waiting").check()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("4 dates are approved.")).to_be_visible()
    expect(page.locator("table").get_by_text("Approved")).to_have_count(4)
    check_a11y(page, "resources-booking-approved")

    # 4. The value page shows what the small charity has shared, and what is booked to come.
    page.goto(f"{RIVERSIDE}/resources/value")
    expect(page.get_by_role("heading", level=1)).to_have_text("Value of sharing")
    given = page.locator("section[aria-labelledby=chart-given] table")
    expect(given).to_contain_text("Talking Together Peer Support")
    expect(page.locator("#to-small")).to_contain_text("went to micro and small organisations")
    expect(page.locator("#upcoming")).to_contain_text("approved booking")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    check_a11y(page, "resources-value")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download every booking and its value (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
