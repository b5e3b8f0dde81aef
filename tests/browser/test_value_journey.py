"""Value, not price in Chromium: a provider reports social value (keyboard only), the commissioner confirms it,
the value page and the scorecard show it, and the modeller shows a member's gain. Every page is checked with axe.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, sign_in
from tests.browser.test_spec_journey import sign_in_with_keyboard, tab_to

RIVERSIDE = "/alliances/riverside-living-well-alliance"
OPEN_DOOR = "opendoor@riverside.example"  # Kwame Mensah, Open Door Housing Support (a small social enterprise)
COMMISSIONER = "commissioner@riverside.example"
MEASURE = "Money spent with organisations based in the area"
PERIOD = "April to September 2026"


def test_value_journey(new_context):
    # 1. The provider, keyboard only: the late report is on the commitments page; report it.
    page = new_context().new_page()
    sign_in_with_keyboard(page, OPEN_DOOR)
    page.goto(RIVERSIDE)
    tab_to(page, page.get_by_role("link", name="Value", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Social value: what we committed and what we delivered")
    check_a11y(page, "value-page-before")
    tab_to(page, page.get_by_role("link", name="Commitments and reports"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"1 report is late"))).to_be_visible()
    check_a11y(page, "value-commitments-late")
    tab_to(page, page.get_by_role("link", name=f"Report what you delivered on {MEASURE} for {PERIOD}"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report what you delivered")
    expect(page.get_by_text("This report was due on 31 October 2026.")).to_be_visible()
    tab_to(page, page.get_by_label("Amount delivered"))
    page.keyboard.type("84,000")
    tab_to(page, page.get_by_label("Note"))
    page.keyboard.type("Catering, cleaning and printing from local firms.")
    tab_to(page, page.get_by_label("Link to evidence (optional)"))
    page.keyboard.type("https://example.org/open-door/local-spend-2026.pdf")
    check_a11y(page, "value-report-form")
    tab_to(page, page.get_by_role("button", name="Send the report"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your report has been sent to the commissioners to confirm.")).to_be_visible()
    expect(page.get_by_text("Waiting to be confirmed")).to_be_visible()
    check_a11y(page, "value-report-sent")
    report_url = page.url

    # 2. The commissioner confirms it (it is on her list of reports waiting).
    page = new_context().new_page()
    sign_in(page, COMMISSIONER)
    page.goto(f"{RIVERSIDE}/value/commitments")
    waiting = page.locator("#waiting ~ ul").first
    expect(waiting.get_by_role("link", name=re.compile(f"Open Door Housing Support: {MEASURE}"))).to_be_visible()
    page.goto(report_url)
    expect(page.get_by_text("84000.00 £")).to_be_visible()
    check_a11y(page, "value-report-to-confirm")
    page.get_by_role("button", name="Confirm this report").click()
    expect(page.get_by_text("The report is confirmed. It now counts on the value page.")).to_be_visible()

    # 3. The value page counts it: Open Door delivered £86,500 before, now £170,500 (money, £1 a pound).
    page.goto(f"{RIVERSIDE}/value")
    row = page.locator("#table-organisation tr", has_text="Open Door Housing Support")
    expect(row.locator("td").nth(1)).to_have_text("£170,500")
    expect(page.locator("#chart-organisation")).to_be_visible()
    expect(page.get_by_role("heading", name="Counts, in each measure's own unit")).to_be_visible()
    check_a11y(page, "value-page-after")

    # 4. The scorecard: status in words, and the trend.
    page.goto(f"{RIVERSIDE}/value/scorecard")
    quick = page.locator("#scorecard tr", has_text="Quick help in a crisis")
    expect(quick.get_by_text("Target met")).to_be_visible()
    expect(quick.get_by_text("Better than last period")).to_be_visible()
    check_a11y(page, "value-scorecard")

    # 5. The modeller: a saving with every KRA met shows Mind in Riverside's gain.
    page.goto(f"{RIVERSIDE}/value/risk-and-reward")
    check_a11y(page, "value-risk-and-reward")
    page.get_by_label("Actual cost, in pounds").fill("2,700,000")
    page.get_by_label("Key result areas in the model").fill("6")
    page.get_by_label("How many met their target").fill("6")
    page.get_by_label("How many are below the minimum acceptable standard").fill("0")
    page.get_by_role("button", name="Show each member's result").click()
    mind = page.locator("#modelled-result tr", has_text="Mind in Riverside")
    expect(mind.locator("td").nth(0)).to_have_text("£60,000")
    expect(mind.locator("td").nth(2)).to_have_text("+8.0%")
    check_a11y(page, "value-modeller-gain")

    # 6. The evaluation model shows what a price-led ratio would do.
    page.goto(f"{RIVERSIDE}/value/evaluations")
    page.get_by_role("link", name=re.compile("Peer support in the north")).click()
    expect(page.get_by_text(re.compile("Under a price-led model, .*Example A.* would win"))).to_be_visible()
    check_a11y(page, "value-evaluation-effect")

    # 7. The commissioner saves a scenario from the modeller and attaches it to a new proposal on the
    #    agreement's risk-and-reward clause; the proposal shows each member's gain or pain.
    page.goto(f"{RIVERSIDE}/value/risk-and-reward?actual=3200000&kras_total=6&kras_met=5&kras_below=0#modeller")
    page.get_by_label("Name this scenario to save it").fill("Overrun of £200,000")
    page.get_by_role("button", name="Save this scenario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Overrun of £200,000")
    check_a11y(page, "value-scenario")
    page.get_by_role("link", name="Attach to a proposal on the agreement").click()
    expect(page.get_by_label("Clause")).to_have_value(re.compile(r"\d+"))
    expect(page.locator("#clause-choice option:checked")).to_have_text("Risk and reward")
    check_a11y(page, "value-scenario-attach")
    page.get_by_label("A new proposal").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a change to “Risk and reward”")
    body = page.get_by_label("The text you propose")
    body.fill(body.input_value() + "\n\nNo member carries pain of more than 5% of its contract value.")
    page.get_by_label("Day").fill("28")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2030")
    check_a11y(page, "value-scenario-propose")
    page.get_by_role("button", name="Make proposal").click()
    expect(page.get_by_role("heading", name="What it would mean for each member")).to_be_visible()
    expect(page.locator("table[id^=scenario-] tr", has_text="Mind in Riverside")).to_be_visible()
    check_a11y(page, "value-proposal-with-scenario")

    # 8. The spec's key result areas section shows the KRAs it speaks to; the scorecard links back.
    page.goto(f"{RIVERSIDE}/value/scorecard")
    page.locator("#scorecard tr", has_text="Quick help in a crisis").get_by_role("link").last.click()
    expect(page.locator("#spec-kras")).to_contain_text("Quick help in a crisis")
    check_a11y(page, "value-spec-kras")
