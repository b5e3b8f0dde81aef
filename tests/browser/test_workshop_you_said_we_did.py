"""'You said, we did' with workshop groups, in Chromium: counted as groups with their size, and
filtered by workshop with a plain form that works without JavaScript (issue 11); axe on both."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, sign_in

RIVERSIDE = "/alliances/riverside-living-well-alliance"
SPEC = "Community mental health crisis support"
#: The demo's past workshop; two tables' contributions became comments on the spec (collab/demo/workshops.py).
WORKSHOP = "Shaping the crisis café"


def _report(page) -> None:
    page.goto(f"{RIVERSIDE}/specs")
    page.get_by_role("link", name=SPEC).click()
    page.get_by_role("link", name="You said, we did").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")


def test_workshop_groups_are_counted_with_their_size_and_the_report_filters_by_workshop(new_context):
    for javascript in (True, False):
        page = new_context(java_script_enabled=javascript).new_page()
        sign_in(page, "serviceuser@riverside.example")
        _report(page)
        groups = page.locator("#report-groups")
        # Two tables (5 and 4 people); the workshop's proposal speaks for no group, so it is not counted there.
        expect(groups).to_contain_text("Groups at workshops and events (speaking for 9 people)")
        expect(page.get_by_text("From the", exact=False).first).to_be_visible()
        if javascript:
            check_a11y(page, "spec-report-with-groups")
        value = page.locator("#source option", has_text=f"workshop: {WORKSHOP}").get_attribute("value")
        page.get_by_label("Show comments from").select_option(value=value)
        page.get_by_role("button", name="Show").click()
        expect(page.locator("#report-filter")).to_contain_text("Showing only comments from the")
        expect(page.locator("#report-filter")).to_contain_text(WORKSHOP)
        assert "source=workshop" in page.url
        rows = page.locator(".collab-report__row")
        expect(rows).to_have_count(3)
        expect(rows.filter(has_text="a group of 5 people")).to_have_count(1)
        expect(rows.filter(has_text="a group of 4 people")).to_have_count(1)
        expect(page.get_by_role("link", name="Download these comments as a spreadsheet (CSV)")).to_have_attribute(
            "href", re.compile(r"you-said-we-did\.csv\?source=workshop"))
        if javascript:
            check_a11y(page, "spec-report-one-workshop")
        page.context.close()
