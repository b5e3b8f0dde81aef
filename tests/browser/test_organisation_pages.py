"""A commissioner proposes a correction to a member organisation; its representative accepts it.

Trust (issue 7, defect 4): commissioners no longer edit other people's organisations directly.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, sign_in, sign_out

RIVERSIDE = "Riverside Living Well Alliance"
OPEN_DOOR = "Open Door Housing Support"


def _open_organisation(page) -> None:
    page.goto("/alliances")
    page.get_by_role("link", name=RIVERSIDE).first.click()
    page.get_by_role("link", name=OPEN_DOOR).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(OPEN_DOOR)


def test_commissioner_proposes_a_correction_and_the_representative_accepts_it(page):
    sign_in(page, "commissioner@riverside.example")
    _open_organisation(page)
    expect(page.get_by_role("link", name="Change the details")).to_have_count(0)
    check_a11y(page, "organisation-page-commissioner")

    page.get_by_role("link", name="Propose a correction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Propose a correction to {OPEN_DOOR}")
    page.get_by_role("button", name="Send the correction").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter why the details need correcting")
    check_a11y(page, "organisation-correction-errors")

    page.get_by_label("Company number (optional)").fill("RV123456")
    page.get_by_label("Why do the details need correcting?").fill("Their company number is on their letters.")
    page.get_by_role("button", name="Send the correction").click()
    expect(page.get_by_text("Your correction has been sent to the people who represent")).to_be_visible()
    expect(page.get_by_text("Waiting for someone who represents")).to_be_visible()
    sign_out(page)

    sign_in(page, "opendoor@riverside.example")
    _open_organisation(page)
    expect(page.get_by_text("Their company number is on their letters.")).to_be_visible()
    check_a11y(page, "organisation-page-correction-waiting")
    page.get_by_role("button", name="Accept the correction from Priya Shah").click()
    expect(page.get_by_text("The correction has been accepted")).to_be_visible()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("RV123456")
    check_a11y(page, "organisation-page-after-correction")

    page.get_by_role("link", name=RIVERSIDE).click()
    page.get_by_role("link", name="Activity", exact=False).first.click()
    expect(page.get_by_text("Kwame Mensah accepted a correction from Priya Shah")).to_be_visible()
