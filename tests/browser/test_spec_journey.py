"""Specifications in Chromium: comment, support, comment for someone else, respond, redraft, see the outcome.

The demo service user does everything with the KEYBOARD ONLY: Tab moves focus (``tab_to``
presses Tab until the wanted control has focus and fails if it never does), Enter and Space
activate, and text is typed into the focused field. Every page is checked with axe.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, sign_in, sign_out

RIVERSIDE = "/alliances/riverside-living-well-alliance"
SERVICE_USER = "serviceuser@riverside.example"
FACILITATOR = "facilitator@riverside.example"
COMMISSIONER = "commissioner@riverside.example"
SPEC = "Community mental health crisis support"


def tab_to(page, locator, limit: int = 400) -> None:
    """Press Tab until ``locator`` has the focus (keyboard only: no clicks)."""
    handle = locator.element_handle()
    for _ in range(limit):
        if handle.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {locator} with the Tab key")


def sign_in_with_keyboard(page, email: str) -> None:
    from collab.demo import DEMO_PASSWORD

    page.goto("/sign-in")
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type(email)
    tab_to(page, page.get_by_label("Password", exact=True))
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    from tests.browser.helpers import TWO_STEP_SECRETS, two_step_code

    if email in TWO_STEP_SECRETS:  # an earlier test turned on two-step sign-in for this account
        page.wait_for_url("**/sign-in/code")
        tab_to(page, page.get_by_label("Code from your authenticator app"))
        page.keyboard.type(two_step_code(email))
        page.keyboard.press("Enter")
    page.get_by_role("button", name="Sign out").wait_for()


def test_spec_journey(new_context):
    comment_text = f"Please say who I can call if the crisis line is busy ({uuid.uuid4().hex[:6]})."
    on_behalf_text = f"At the Tuesday group we said the café needs a quiet room ({uuid.uuid4().hex[:6]})."

    # 1. The service user, keyboard only: find the spec, comment on a paragraph, support another comment.
    page = new_context().new_page()
    sign_in_with_keyboard(page, SERVICE_USER)
    page.goto(RIVERSIDE)
    tab_to(page, page.get_by_role("link", name="Service specifications"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Service specifications")
    check_a11y(page, "spec-list")
    tab_to(page, page.get_by_role("link", name=SPEC))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEC)
    check_a11y(page, "spec-consultation")

    paragraph = page.locator(".collab-para", has_text="People feel safe and listened to.")
    control = paragraph.get_by_role("link", name=re.compile(r"^Comment on this paragraph in Outcomes \d+ comments? so far$"))
    expect(control).to_have_count(1)
    tab_to(page, control)
    page.keyboard.press("Enter")
    thread = paragraph.locator("section.collab-para-thread")
    expect(thread.get_by_role("heading", name=re.compile("Comments on this paragraph"))).to_be_visible()
    tab_to(page, thread.get_by_label("Your comment on this paragraph"))
    page.keyboard.type(comment_text)
    tab_to(page, thread.get_by_role("button", name="Add comment"))
    page.keyboard.press("Enter")
    expect(paragraph.get_by_text(comment_text)).to_be_visible()
    expect(paragraph.get_by_role("heading", name="Comments on this paragraph (1)")).to_be_visible()
    check_a11y(page, "spec-comment-added")

    page.goto(f"{RIVERSIDE}/specs")
    tab_to(page, page.get_by_role("link", name=SPEC))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Comments", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments")
    carers = page.locator("li.collab-comment", has_text="Thank you for including carers")
    support = carers.get_by_role("button", name=re.compile("This matters to me too"))
    tab_to(page, support)
    expect(carers.get_by_text("0 people say this matters to them")).to_be_visible()
    page.keyboard.press("Enter")
    expect(carers.get_by_text("1 person says this matters to them")).to_be_visible()
    expect(carers.get_by_role("button", name=re.compile("You said this matters to you — undo"))).to_have_attribute("aria-pressed", "true")
    check_a11y(page, "spec-comments-supported")

    # 2. The facilitator adds a comment on Cleo's behalf.
    page = new_context().new_page()
    sign_in(page, FACILITATOR)
    page.goto(f"{RIVERSIDE}/specs")
    page.get_by_role("link", name=SPEC).click()
    paragraph = page.locator(".collab-para", has_text="The crisis café is open from 6pm")
    paragraph.get_by_role("link", name=re.compile("Comment on this paragraph")).click()
    thread = paragraph.locator("section.collab-para-thread")
    thread.get_by_label("Your comment on this paragraph").fill(on_behalf_text)
    thread.get_by_text("Adding this for someone else?").click()
    thread.get_by_label("Added on behalf of a member (optional)").select_option(label="Cleo (service user or carer)")
    check_a11y(page, "spec-on-behalf-form")
    thread.get_by_role("button", name="Add comment").click()
    expect(paragraph.get_by_text("Cleo, added by Sam Rivers")).to_be_visible()
    expect(paragraph.get_by_text(on_behalf_text)).to_be_visible()

    # 3. The commissioner answers the service user's comment. "Changed" is refused until the section
    #    really is changed; then she edits the paragraph, answers, and shares a new draft.
    page = new_context().new_page()
    sign_in(page, COMMISSIONER)
    page.goto(f"{RIVERSIDE}/specs")
    page.get_by_role("link", name=SPEC).click()
    page.get_by_role("link", name="Comments", exact=True).click()
    page.get_by_label("Status").select_option("awaiting")
    page.get_by_label("Only from service users and carers").check()
    page.get_by_role("button", name="Show comments").click()
    check_a11y(page, "spec-comments-awaiting")
    mine = page.locator("li.collab-comment", has_text=comment_text)
    mine.get_by_role("link", name=re.compile("^Respond")).click()
    respond_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Respond to Cleo")
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_text("Choose what you did").first).to_be_visible()
    check_a11y(page, "spec-respond-errors")
    page.get_by_label("Changed the specification").check()
    page.get_by_label("Your response").fill("Good point. The plan now gives a second number to call.")
    page.get_by_label(re.compile("Section you changed")).select_option(label="Outcomes")
    page.get_by_role("button", name="Save response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("“Outcomes” has not been changed since this comment was made")
    check_a11y(page, "spec-respond-not-changed-yet")

    page.goto(f"{RIVERSIDE}/specs")
    page.get_by_role("link", name=SPEC).click()
    page.get_by_role("link", name="Working draft").click()
    check_a11y(page, "spec-working-draft")
    page.get_by_role("link", name="Edit Outcomes").click()
    body = page.get_by_label("Text")
    body.fill(body.input_value().replace(
        "People feel safe and listened to.",
        "People feel safe and listened to, and know a second number to call if the line is busy.",
    ))
    page.get_by_role("button", name="Check plain language").click()
    expect(page.get_by_text(re.compile("Plain language: reading ease"))).to_be_visible()
    check_a11y(page, "spec-edit-section")
    page.get_by_role("button", name="Save section").click()

    page.goto(respond_url)
    page.get_by_label("Changed the specification").check()
    page.get_by_label("Your response").fill("Good point. The plan now gives a second number to call.")
    page.get_by_label(re.compile("Section you changed")).select_option(label="Outcomes")
    page.get_by_role("button", name="Save response").click()
    expect(page.get_by_text("Your response has been saved")).to_be_visible()
    check_a11y(page, "spec-paragraph-answered")

    page.goto(f"{RIVERSIDE}/specs")
    page.get_by_role("link", name=SPEC).click()
    page.get_by_role("link", name="Share a new draft").click()
    page.get_by_label("What changed in this draft?").fill("Added a second number to call.")
    check_a11y(page, "spec-share-redraft")
    page.get_by_role("button", name="Share the new draft").click()
    expect(page.get_by_text(re.compile(r"Draft 2 has been shared"))).to_be_visible()

    # 4. The service user sees what happened in "you said, we did".
    page = new_context().new_page()
    sign_in_with_keyboard(page, SERVICE_USER)
    page.goto(f"{RIVERSIDE}/specs")
    tab_to(page, page.get_by_role("link", name=SPEC))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="You said, we did").first)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")
    row = page.locator(".collab-report__row", has_text=comment_text)
    expect(row.get_by_text("Changed", exact=True)).to_be_visible()
    expect(row.get_by_text("The plan now gives a second number to call.")).to_be_visible()
    expect(row.get_by_text("How “Outcomes” changed in draft 2:")).to_be_visible()
    expect(row.locator("ins")).to_contain_text("second number to call")
    expect(row.locator("del")).to_have_count(1)
    check_a11y(page, "spec-you-said-we-did")
    sign_out(page)


def test_commenting_and_the_report_work_without_javascript(new_context):
    """With JavaScript off, the same controls are plain links and forms."""
    text = f"Without scripts this still works ({uuid.uuid4().hex[:6]})."
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "carer@riverside.example")
    page.goto(f"{RIVERSIDE}/specs")
    page.get_by_role("link", name=SPEC).click()
    paragraph = page.locator(".collab-para", has_text="You do not need a diagnosis")
    paragraph.get_by_role("link", name=re.compile("Comment on this paragraph")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments on a paragraph")
    check_a11y(page, "spec-paragraph-nojs")
    page.get_by_label("Your comment on this paragraph").fill(text)
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Your comment has been added.")).to_be_visible()
    expect(page.get_by_text(text)).to_be_visible()

    page.get_by_role("link", name="Back to the specification").click()
    page.get_by_role("link", name="You said, we did").first.click()
    expect(page.locator(".collab-report__row", has_text=text)).to_be_visible()
    check_a11y(page, "spec-report-nojs")
