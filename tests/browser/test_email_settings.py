"""Email settings in Chromium: choosing how often emails come, with and without JavaScript (axe on each page)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, sign_in


def _choose_and_save(page, label: str) -> None:
    page.get_by_label(label).check()
    page.get_by_role("button", name="Save email settings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your email choices have been saved")
    expect(page.get_by_label(label)).to_be_checked()


def test_a_member_chooses_a_weekly_summary(page):
    sign_in(page, "observer@riverside.example")
    page.goto("/notifications/settings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Email settings")
    expect(page.get_by_role("group", name="How often should we email you?")).to_be_visible()
    expect(page.get_by_label("As each one happens")).to_be_checked()
    check_a11y(page, "email-settings")
    _choose_and_save(page, "Once a week, as a summary")
    check_a11y(page, "email-settings-weekly")
    _choose_and_save(page, "As each one happens")  # as it was, for the other journeys


def test_email_settings_work_without_javascript_and_by_keyboard(new_context):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "observer@riverside.example")
    page.goto("/notifications/settings")
    page.get_by_label("Once a day, as a summary").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Once a day, as a summary")).to_be_checked()
    page.get_by_role("button", name="Save email settings").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your email choices have been saved")
    check_a11y(page, "email-settings-nojs")
    _choose_and_save(page, "As each one happens")
