"""The alliance agreement in Chromium, for every role, checked with axe on every page.

Northgate has no agreement in the demo data, so the journey starts from nothing:
the commissioner drafts from the starter template (changing a clause in place with
htmx), a provider proposes an amendment, the young person comments on it, every seat
consents, the commissioner publishes version 1, the providers and the commissioner's
organisation sign after turning on two-step sign-in (one provider with the KEYBOARD ONLY), and a visitor who is not
signed in sees every signature on the public verification page.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, set_up_two_step, sign_in

NORTHGATE = "/alliances/northgate-youth-alliance"
COMMISSIONER = "commissioner@northgate.example"
CLUBS = "clubs@northgate.example"
STREETWISE = "streetwise@northgate.example"
YOUNG_PERSON = "youngperson@northgate.example"
SEATS = (COMMISSIONER, CLUBS, STREETWISE, YOUNG_PERSON)


def tab_to(page, locator, limit: int = 300) -> None:
    """Press Tab until ``locator`` has the focus (no mouse)."""
    handle = locator.element_handle()
    for _ in range(limit):
        if handle.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {locator} with the Tab key")


def person(new_context, email: str):
    page = new_context().new_page()
    sign_in(page, email)
    return page


def test_agreement_journey(new_context):
    # 1. The commissioner starts from the template and changes a clause in place.
    chair = person(new_context, COMMISSIONER)
    chair.goto(NORTHGATE)
    chair.get_by_role("link", name="Agreement").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Alliance agreement")
    check_a11y(chair, "agreement-start")
    chair.get_by_label("From our starter agreement").check()
    chair.get_by_role("button", name="Start the agreement").click()
    expect(chair.get_by_role("heading", name="12. Term and variation")).to_be_visible()
    check_a11y(chair, "agreement-draft")

    chair.get_by_role("link", name="Change clause 1", exact=True).click()
    form = chair.locator("section.collab-clause--editing")
    expect(form.get_by_role("heading", name="Change clause 1")).to_be_visible()
    assert chair.url.endswith("/agreement"), "the form should swap in without leaving the page"
    text_box = form.get_by_label("Text of the clause")
    text_box.fill("Young people in Northgate feel safe, have somewhere to go and shape the services they use.")
    expect(form.locator(".collab-markdown__preview")).to_contain_text("shape the services they use")
    check_a11y(chair, "agreement-inline-edit")
    form.get_by_role("button", name="Save clause").click()
    expect(chair.locator("section.collab-clause").first).to_contain_text("have somewhere to go and shape the services")
    expect(chair.locator("section.collab-clause--editing")).to_have_count(0)

    # 2. A provider proposes an amendment to the decision-making clause.
    clubs = person(new_context, CLUBS)
    clubs.goto(NORTHGATE + "/agreement")
    clubs.get_by_role("link", name="Propose a change to clause 5", exact=True).click()
    clubs.get_by_label("The text you propose").fill(
        "The Alliance Leadership Team decides together. Young people hold two seats, so their voice counts twice "
        "as loud as it did before."
    )
    clubs.get_by_label("Why do you want this change?").fill("Young people asked for more say at the youth forum.")
    closing = date.today() + timedelta(days=14)
    dates = clubs.get_by_role("group", name="Closing date")
    dates.get_by_label("Day").fill(str(closing.day))
    dates.get_by_label("Month").fill(str(closing.month))
    dates.get_by_label("Year").fill(str(closing.year))
    check_a11y(clubs, "agreement-proposal-form")
    clubs.get_by_role("button", name="Make proposal").click()
    expect(clubs.get_by_role("heading", level=1)).to_have_text("Decision making")
    expect(clubs.locator("ins.collab-diff__ins").first).to_be_visible()
    proposal_url = clubs.url
    check_a11y(clubs, "agreement-proposal")

    # 3. The young person comments on the proposal (htmx swaps the thread in place).
    young = person(new_context, YOUNG_PERSON)
    young.goto(proposal_url)
    young.get_by_label("Your comment").fill("Yes please. Can meetings be after school?")
    young.get_by_role("button", name="Add comment").click()
    expect(young.locator(".collab-comment")).to_contain_text("Can meetings be after school?")
    check_a11y(young, "agreement-proposal-comment")

    # 4. Every seat consents; the proposal is carried and the clause changes.
    for email in SEATS:
        page = young if email == YOUNG_PERSON else clubs if email == CLUBS else chair if email == COMMISSIONER else person(new_context, email)
        page.goto(proposal_url)
        page.get_by_label("Agree – I am happy with this change").check()
        page.get_by_role("button", name="Send response").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    expect(young.locator(".govuk-notification-banner")).to_contain_text("the proposal is carried")
    chair.goto(NORTHGATE + "/agreement/decisions")
    expect(chair.locator(".collab-decision")).to_contain_text("Carried by consent")
    check_a11y(chair, "agreement-decision-register")

    # 5. The commissioner publishes version 1.
    chair.goto(NORTHGATE + "/agreement")
    chair.get_by_role("link", name="Publish version 1").click()
    check_a11y(chair, "agreement-publish")
    chair.get_by_role("button", name="Publish version 1").click()
    expect(chair.get_by_role("heading", level=1)).to_have_text("Version 1")
    expect(chair.locator("#signed-count")).to_have_text("0 of 3 member organisations")
    check_a11y(chair, "agreement-version")
    verify_href = chair.get_by_role("link", name="Verification page").get_attribute("href")

    # 6. Providers sign. Signing for an organisation needs two-step sign-in: the signing page
    # says so and links to setting it up, which comes back to the signing page.
    clubs.goto(NORTHGATE + "/agreement/versions/1/sign")
    expect(clubs.locator("#two-step-needed")).to_contain_text("Turn on two-step sign-in before you sign")
    check_a11y(clubs, "agreement-sign-needs-two-step")
    clubs.get_by_role("link", name="Turn on two-step sign-in").click()
    set_up_two_step(clubs, CLUBS, from_current_page=True)
    clubs.get_by_role("link", name="I have saved my codes, continue").click()
    expect(clubs.get_by_role("heading", level=1)).to_contain_text("Sign version 1")
    expect(clubs.locator("#two-step-needed")).to_have_count(0)
    # Clubs signs with the keyboard only.
    check_a11y(clubs, "agreement-sign")
    # On a phone (390 px) the statement with its 64-character fingerprint wraps, nothing runs off (issue 9).
    clubs.set_viewport_size({"width": 390, "height": 844})
    assert clubs.evaluate("document.documentElement.scrollWidth") <= 390
    statement = clubs.locator("#statement .collab-statement").bounding_box()
    assert statement is not None and statement["x"] + statement["width"] <= 390
    clubs.set_viewport_size({"width": 1280, "height": 900})
    from collab.demo import DEMO_PASSWORD

    tab_to(clubs, clubs.get_by_label("Your password"))
    clubs.keyboard.type(DEMO_PASSWORD)
    tab_to(clubs, clubs.get_by_label("Your full name"))
    clubs.keyboard.type("Dev Patel")
    tab_to(clubs, clubs.get_by_role("checkbox"))
    clubs.keyboard.press("Space")
    expect(clubs.get_by_role("checkbox")).to_be_checked()
    tab_to(clubs, clubs.get_by_role("button", name="Sign version 1"))
    clubs.keyboard.press("Enter")
    expect(clubs.locator(".govuk-notification-banner")).to_contain_text("You have signed version 1 for Northgate Youth Clubs Trust")

    for email, name in ((STREETWISE, "Lou Carter"), (COMMISSIONER, "Rhiannon Evans")):
        page = chair if email == COMMISSIONER else person(new_context, email)
        set_up_two_step(page, email)
        page.goto(NORTHGATE + "/agreement/versions/1")
        page.get_by_role("link", name="Sign version 1").click()
        page.get_by_label("Your password").fill(DEMO_PASSWORD)
        page.get_by_label("Your full name").fill(name)
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name="Sign version 1").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed version 1")
    expect(chair.locator("#signed-count")).to_have_text("3 of 3 member organisations")
    expect(chair.get_by_text("In force", exact=True).first).to_be_visible()

    # 7. Anyone with the link can check it, without signing in. Northgate is private, so a
    # visitor sees only what the document says (issue 7); a member also sees who signed.
    visitor = new_context().new_page()
    visitor.goto(verify_href)
    expect(visitor.locator("#verification-result")).to_contain_text("Valid")
    expect(visitor.locator("#private-alliance-note")).to_be_visible()
    expect(visitor.locator("table")).to_have_count(0)
    assert re.search(r"[0-9a-f]{64}", visitor.content())
    check_a11y(visitor, "agreement-verify")
    chair.goto(verify_href)
    rows = chair.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for organisation in ("Northgate City Council – Early Help", "Northgate Youth Clubs Trust", "Streetwise Detached Youth Work CIC"):
        expect(chair.locator("table")).to_contain_text(organisation)
    check_a11y(chair, "agreement-verify-member")
    visitor.goto("/verify")
    check_a11y(visitor, "agreement-verify-form")


def test_agreement_pages_work_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "provider@riverside.example")
    page.goto("/alliances/riverside-living-well-alliance/agreement")
    check_a11y(page, "riverside-agreement-nojs")
    page.get_by_role("link", name="Change clause 2", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change clause 2")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".collab-markdown__preview")).to_contain_text("We all win or we all lose")
    check_a11y(page, "riverside-clause-edit-nojs")
    page.get_by_role("button", name="Save clause").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Clause 2 has been saved")
    page.goto("/alliances/riverside-living-well-alliance/agreement/proposals")
    page.get_by_role("link", name="Joining and leaving").click()
    expect(page.get_by_text("Object", exact=True).first).to_be_visible()
    check_a11y(page, "riverside-proposal-with-objection")
    page.goto("/alliances/riverside-living-well-alliance/agreement/versions")
    check_a11y(page, "riverside-versions")
    page.goto("/notifications")
    check_a11y(page, "notifications")
    page.goto("/notifications/settings")
    check_a11y(page, "notification-settings")
