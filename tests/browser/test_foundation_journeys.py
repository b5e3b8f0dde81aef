"""The foundation's main journeys in Chromium, each page checked with axe.

Every page a journey visits is checked with ``check_a11y`` (zero violations) and
leaves a screenshot in tests/browser/screenshots/. The tests share one seeded
database, so each one makes its own names and email addresses.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, latest_email, link_in, sign_in

RIVERSIDE = "Riverside Living Well Alliance"
COMMISSIONER = "commissioner@riverside.example"


def _unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def _open_riverside(page) -> None:
    page.goto("/alliances")
    page.get_by_role("link", name=RIVERSIDE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RIVERSIDE)


def test_start_page_sign_in_and_alliance_pages(page):
    """A visitor reads the start page, signs in as the demo commissioner and looks round the alliance."""
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Design services together")
    check_a11y(page, "start")
    # The skip link is the first thing a keyboard reaches.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("link", name="Sign in").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    check_a11y(page, "sign-in")

    sign_in(page, COMMISSIONER)
    # Signing in lands on For you (issue 9); the alliances are one click away.
    expect(page).to_have_url(re.compile(r"/for-you$"))
    page.get_by_role("link", name="Alliances", exact=True).click()
    expect(page).to_have_url(re.compile(r"/alliances$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alliances")
    check_a11y(page, "alliances")

    # The header's alliance switcher takes you straight to an alliance.
    page.get_by_label("Alliance", exact=True).select_option(label=RIVERSIDE)
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(RIVERSIDE)
    expect(page.get_by_text("People recover and stay well")).to_be_visible()
    check_a11y(page, "alliance-home")

    page.goto(page.url + "/members")
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    expect(page.locator(".collab-member p", has_text="Mind in Riverside").first).to_be_visible()
    check_a11y(page, "alliance-members")

    page.goto(page.url.replace("/members", "/activity"))
    check_a11y(page, "alliance-activity")

    page.goto("/account")
    check_a11y(page, "account")
    page.goto("/accessibility")
    check_a11y(page, "accessibility-statement")
    page.goto("/privacy")
    check_a11y(page, "privacy-notice")


def test_commissioner_creates_an_alliance_with_live_preview(page):
    """Creating an alliance: the Markdown preview updates as you type (htmx)."""
    sign_in(page, COMMISSIONER)
    page.goto("/alliances")
    page.get_by_role("link", name="Create an alliance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an alliance")
    # With JavaScript on, the live preview replaces the Preview button (it is removed, so
    # Enter in a text field submits the form's main button rather than previewing).
    expect(page.get_by_role("button", name="Preview")).to_have_count(0)

    name = _unique("Eastside Carers Alliance ")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Purpose", exact=True).fill("We plan support for **unpaid carers** together.\n\n- Listen first\n- Share what we have")
    preview = page.locator("#purpose-preview")
    expect(preview.locator("strong")).to_have_text("unpaid carers")
    expect(preview.locator("li")).to_have_count(2)
    page.get_by_label("Shared outcomes").fill("Carers get a break\nCarers are listened to")
    check_a11y(page, "alliance-new-with-preview")

    page.get_by_label("Name").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text(f"{name} has been created")).to_be_visible()
    expect(page.locator("main strong", has_text="unpaid carers")).to_be_visible()
    expect(page.get_by_text("Carers are listened to")).to_be_visible()
    check_a11y(page, "alliance-created")


def test_alliance_form_errors_are_summarised(page):
    """Sending the alliance form empty shows the error summary, linked to each field."""
    sign_in(page, COMMISSIONER)
    page.goto("/alliances/new")
    page.get_by_role("button", name="Create alliance").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link").first).to_be_visible()
    check_a11y(page, "alliance-new-errors")


def test_invite_a_provider_who_joins_then_gets_a_new_role(page, new_context, live_server):
    """Invite by email, follow the emailed link in a fresh browser, join, then change the role."""
    email = f"{_unique('new.provider.')}@riverside.example"
    name = _unique("Robin ")
    sign_in(page, COMMISSIONER)
    _open_riverside(page)
    page.get_by_role("link", name="Members", exact=True).first.click()
    page.get_by_role("link", name="Invite someone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    check_a11y(page, "invite")

    page.get_by_label("Email address").fill(email)
    page.get_by_label("Provider –").check()
    page.get_by_label("Organisation", exact=True).select_option(label="Open Door Housing Support")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"An invitation has been sent to {email}")).to_be_visible()
    expect(page.get_by_role("cell", name=email, exact=True)).to_be_visible()
    check_a11y(page, "invite-sent")

    message = latest_email(live_server, email)
    assert RIVERSIDE in message["Subject"]
    link = link_in(message, live_server)

    invitee = new_context().new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(f"Join {RIVERSIDE}")
    expect(invitee.get_by_text("Open Door Housing Support")).to_be_visible()
    check_a11y(invitee, "invitation")

    invitee.get_by_label("Display name").fill(name)
    invitee.get_by_label("New password", exact=True).fill("a long new password 42")
    invitee.get_by_label("Confirm new password").fill("a long new password 42")
    invitee.get_by_role("button", name="Create account and join").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text(RIVERSIDE)
    expect(invitee.get_by_text("Your account has been created")).to_be_visible()
    expect(invitee.get_by_role("button", name="Sign out")).to_be_visible()
    check_a11y(invitee, "joined")

    # The link works only once.
    again = new_context().new_page()
    again.goto(link)
    expect(again.get_by_role("heading", level=1)).not_to_have_text(f"Join {RIVERSIDE}")
    check_a11y(again, "invitation-used")

    # Back to the commissioner: the new member is listed, and becomes a facilitator.
    page.goto(page.url.replace("/invitations", "/members"))
    member = page.locator("li.collab-member", has=page.get_by_role("heading", name=name))
    expect(member).to_contain_text("Open Door Housing Support")
    member.get_by_text(f"Change role or remove {name}").click()
    member.get_by_label("Role", exact=True).select_option(label="Facilitator")
    member.get_by_label("Organisation", exact=True).select_option(label="No organisation")
    check_a11y(page, "change-role")
    member.get_by_role("button", name=f"Save role for {name}").click()
    expect(page.get_by_text(f"{name} is now a facilitator")).to_be_visible()
    facilitators = page.get_by_role("heading", level=2, name="Facilitators")
    expect(facilitators).to_be_visible()
    check_a11y(page, "role-changed")

    # The invitee sees the new role on their list of alliances.
    invitee.goto("/alliances")
    expect(invitee.get_by_text("You are a facilitator")).to_be_visible()


def test_wrong_password_shows_the_error_summary(page):
    """A wrong password is refused with an error summary, and nothing says which part was wrong."""
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(COMMISSIONER)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check_a11y(page, "sign-in-error")


def test_pages_work_without_javascript(new_context):
    """With JavaScript off: sign in, preview Markdown with the Preview button, create the alliance."""
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, COMMISSIONER)
    page.goto("/alliances/new")
    check_a11y(page, "nojs-alliance-new")

    name = _unique("Westside Peer Alliance ")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Purpose", exact=True).fill("Peers *support* peers.")
    page.get_by_label("Shared outcomes").fill("Fewer people feel alone")
    page.get_by_role("button", name="Preview").click()
    # The page comes back with the preview filled in and the text kept.
    expect(page.locator("#purpose-preview em")).to_have_text("support")
    expect(page.get_by_label("Name")).to_have_value(name)
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    check_a11y(page, "nojs-alliance-preview")

    page.get_by_role("button", name="Create alliance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check_a11y(page, "nojs-alliance-created")


def test_error_pages_use_the_design(page, new_context):
    """Missing pages, other alliances' private pages and forbidden actions show a designed error page."""
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    check_a11y(page, "error-404")

    insider = new_context().new_page()
    sign_in(insider, "commissioner@northgate.example")
    insider.get_by_role("link", name="Northgate Youth Alliance").first.click()
    northgate = insider.url

    sign_in(page, "provider@riverside.example")
    response = page.goto(northgate)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    response = page.goto("/alliances/new")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to do that")
    check_a11y(page, "error-403")


def test_small_screen(new_context):
    """On a phone-sized screen the header, switcher and alliance navigation still fit and pass axe."""
    page = new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(page, COMMISSIONER)
    _open_riverside(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px screen: something does not wrap"
    check_a11y(page, "small-screen-alliance-home")


def test_htmx_errors_show_in_the_alert_region(page):
    """When an htmx request fails, the error fragment appears at the top of the page and takes focus."""
    sign_in(page, COMMISSIONER)
    _open_riverside(page)
    region = page.locator("#htmx-error")
    expect(region).to_be_hidden()
    page.evaluate("htmx.ajax('GET', '/no-such-page', {target: '#main-content', swap: 'innerHTML'})")
    expect(region).to_be_visible()
    expect(region.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(region).to_be_focused()
    # The page itself was left as it was.
    expect(page.get_by_role("heading", level=1)).to_have_text(RIVERSIDE)
    check_a11y(page, "htmx-error")
