"""Guard rails, the merge box and public pages in Chromium, each checked with axe.

Nothing here confirms a change other browser tests rely on: the demo consultation is not closed
and the demo proposal is not decided (their check pages are visited, then left). The spec this
test opens for comments and merges in is its own.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, sign_in

RIVERSIDE = "/alliances/riverside-living-well-alliance"
NORTHGATE = "/alliances/northgate-youth-alliance"
COMMISSIONER = "commissioner@riverside.example"
FACILITATOR = "facilitator@riverside.example"
SPEC = "Community mental health crisis support"


def _fill_date(page, name: str, when: date) -> None:
    """One date field, as one box (YYYY-MM-DD) or as the GOV.UK day, month and year boxes."""
    single = page.locator(f'input[name="{name}"]')
    if single.count():
        single.fill(when.isoformat())
        return
    for part, value in (("day", when.day), ("month", when.month), ("year", when.year)):
        page.locator(f'input[name="{name}-{part}"], input[name="{name}_{part}"]').fill(str(value))


def test_closing_a_consultation_early_asks_first(new_context):
    page = new_context().new_page()
    sign_in(page, COMMISSIONER)
    page.goto(f"{RIVERSIDE}/specs")
    page.get_by_role("link", name=SPEC).click()
    page.get_by_role("link", name="Close for comments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close for comments early?")
    expect(page.locator("#close-warning")).to_contain_text("Closing now takes away")
    check_a11y(page, "guard-close-early")
    page.get_by_role("button", name="Yes, close comments early").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you are closing comments")
    check_a11y(page, "guard-close-early-no-reason")
    page.get_by_role("link", name="No, keep comments open").click()
    expect(page.get_by_text("This specification is open for comments")).to_be_visible()


def test_a_reserved_power_shows_whom_it_overrules_before_it_is_used(new_context):
    page = new_context().new_page()
    sign_in(page, COMMISSIONER)
    page.goto(f"{RIVERSIDE}/agreement/proposals")
    page.get_by_role("link", name="Joining and leaving").first.click()
    page.get_by_role("link", name="Close or decide this proposal").click()
    page.get_by_label("Use a reserved power to apply the change").check()
    page.get_by_label("Reason").fill("The funding rules need this now.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Use a reserved power on")
    expect(page.locator("#reserved-impact")).to_contain_text("objected")
    check_a11y(page, "guard-reserved-power-check")
    page.get_by_role("button", name="Go back and change it").click()
    expect(page.get_by_label("Reason")).to_have_value("The funding rules need this now.")
    check_a11y(page, "guard-reserved-power-back")


def test_the_agreement_says_which_text_it_is(new_context):
    page = new_context().new_page()
    sign_in(page, COMMISSIONER)
    page.goto(f"{RIVERSIDE}/agreement")
    banner = page.locator("#which-text")
    expect(banner).to_contain_text("You are reading the working text")
    expect(banner).to_contain_text("Version 1 is the agreement in force")
    check_a11y(page, "guard-agreement-working-text")
    banner.get_by_role("link", name="Version 1").click()
    expect(page.locator("#which-text")).to_contain_text("You are reading version 1: the agreement in force")
    check_a11y(page, "guard-agreement-version-in-force")
    page.goto(f"{RIVERSIDE}/agreement/publish")
    check_a11y(page, "guard-publish")


def test_opening_with_gaps_warns_and_a_conflicting_edit_asks_what_to_keep(new_context):
    title = f"Peer support groups {uuid.uuid4().hex[:6]}"
    page = new_context().new_page()
    sign_in(page, COMMISSIONER)
    page.goto(f"{RIVERSIDE}/specs/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Service area").fill("Adult mental health")
    page.get_by_role("button", name=re.compile("Start")).click()
    draft = page.url
    section_url = page.locator('a[href*="/sections/"]').first.get_attribute("href")
    page.goto(section_url)
    page.get_by_label("Text").fill("Groups meet every week. Anyone can come.")
    page.get_by_role("button", name="Save section").click()

    # The merge box: two people edit the same sentence of the section.
    other = new_context().new_page()
    sign_in(other, FACILITATOR)
    other.goto(section_url)
    page.goto(section_url)
    other.get_by_label("Text").fill("Groups meet every week, in the evening. Anyone can come.")
    other.get_by_role("button", name="Save section").click()
    page.get_by_label("Text").fill("Groups meet twice a week. Anyone can come.")
    page.get_by_role("button", name="Save section").click()
    expect(page.get_by_text("You both changed the same words in 1 place")).to_be_visible()
    expect(page.get_by_role("textbox", name="Text")).to_have_count(0)
    check_a11y(page, "guard-merge-choices")
    page.get_by_role("button", name="Use these choices").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose what to keep in place 1")
    check_a11y(page, "guard-merge-choices-missing")
    page.get_by_label("Keep both: theirs, then mine").check()
    page.get_by_role("button", name="Use these choices").click()
    expect(page.get_by_text("Your choices are in")).to_be_visible()
    expect(page.get_by_label("Text")).to_have_value(
        "Groups meet every week, in the evening. Groups meet twice a week. Anyone can come.")
    check_a11y(page, "guard-merge-chosen")
    page.get_by_role("button", name="Save section").click()

    # Opening it with 8 empty sections, no easy read and 8 days: a warning, not a block.
    page.goto(draft.replace("/draft", "/consultation"))
    _fill_date(page, "closes_on", date.today() + timedelta(days=8))
    page.get_by_role("button", name="Open for comments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before you open it for comments")
    warnings = page.locator("#consultation-warnings")
    expect(warnings).to_contain_text("8 of 9 sections have nothing written yet")
    expect(warnings).to_contain_text("There is no easy-read summary")
    expect(warnings).to_contain_text("Comments would be open for 8 days")
    check_a11y(page, "guard-consultation-check")
    page.get_by_role("button", name="Open it anyway").click()
    expect(page.get_by_text("This specification is open for comments")).to_be_visible()


def test_a_public_alliance_is_readable_by_anyone(new_context):
    page = new_context().new_page()  # not signed in
    page.goto(RIVERSIDE)
    panel = page.locator("#read-in-public")
    expect(panel.get_by_role("link", name="Agreement")).to_be_visible()
    panel.get_by_role("link", name="Agreement").click()
    expect(page.locator("#which-text")).to_be_visible()
    check_a11y(page, "public-agreement")
    page.goto(RIVERSIDE)
    page.locator("#read-in-public").get_by_role("link", name="Service specifications").click()
    page.get_by_role("link", name=SPEC).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEC)
    expect(page.locator(".collab-join-to-comment").first).to_contain_text("or ask to join to comment")
    check_a11y(page, "public-spec")
    paragraph = page.locator('a[href*="/paragraphs/"]').first.get_attribute("href")
    page.goto(paragraph.split("#")[0])
    expect(page.locator(".collab-join-to-comment")).to_contain_text("or ask to join to comment")
    expect(page.get_by_role("textbox")).to_have_count(0)
    check_a11y(page, "public-paragraph")
    page.goto(page.url.split("/paragraphs/")[0] + "/you-said-we-did")
    check_a11y(page, "public-you-said-we-did")
    page.goto(f"{NORTHGATE}/agreement")  # private: as closed as before
    expect(page).to_have_url(re.compile(r"/sign-in"))
