"""Commenting feels right (issue 9), in Chromium with the keyboard only.

After a comment: the polite live region says so, the focus is on the new comment and the
paragraph's badge counts it (as the thread's heading does). "This matters to me too" shows
when it is pressed and says how to undo it. The reply box and the new-comment box are told
apart by their names. Every page state is checked with axe.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, sign_in
from tests.browser.test_spec_journey import RIVERSIDE, SPEC, tab_to

PROVIDER = "provider@riverside.example"


def _open_spec(page) -> None:
    page.goto(f"{RIVERSIDE}/specs")
    page.get_by_role("link", name=SPEC).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SPEC)


def test_adding_a_comment_is_announced_focused_and_counted(new_context):
    text = f"Say that staff have time to listen, not only to fill in forms ({uuid.uuid4().hex[:6]})."
    page = new_context().new_page()
    sign_in(page, PROVIDER)
    _open_spec(page)
    paragraph = page.locator(".collab-para", has_text="Staff are kind, respectful and honest.")
    control = paragraph.get_by_role("link", name=re.compile(r"^Comment on this paragraph in Quality standards"))
    badge = paragraph.locator(".collab-count")
    before = int(re.match(r"\d+", badge.inner_text()).group(0))  # type: ignore[union-attr]
    tab_to(page, control)
    page.keyboard.press("Enter")
    thread = paragraph.locator("section.collab-para-thread")
    expect(thread.get_by_role("heading", name=f"Comments on this paragraph ({before})")).to_be_visible()
    expect(thread.get_by_role("heading", name="Add a new comment on this paragraph")).to_be_visible()
    tab_to(page, thread.get_by_label("Your comment on this paragraph"))
    page.keyboard.type(text)
    tab_to(page, thread.get_by_role("button", name="Add comment"))
    page.keyboard.press("Enter")

    status = page.locator("#collab-status")
    expect(status).to_have_text("Your comment was added")
    expect(status).to_have_attribute("aria-live", "polite")
    new_comment = thread.locator("li.collab-comment", has_text=text)
    expect(new_comment).to_be_focused()
    expect(new_comment.get_by_text("Just added")).to_be_visible()
    # The badge and the heading say the same number.
    expect(badge).to_have_text(re.compile(rf"^{before + 1}\s*comments? so far$"))
    expect(control).to_have_accessible_name(re.compile(rf"{before + 1}\s+comments? so far\s*$"))
    expect(thread.get_by_role("heading", name=f"Comments on this paragraph ({before + 1})")).to_be_visible()
    check_a11y(page, "commenting-added")

    # The same count after a reload, where the badge comes from the server.
    page.reload()
    reloaded = page.locator(".collab-para", has_text="Staff are kind, respectful and honest.").locator(".collab-count")
    expect(reloaded).to_have_text(re.compile(rf"^{before + 1}\s*comments? so far$"))


def test_reply_and_support_by_keyboard(new_context):
    reply_text = f"Ten working days is what the law allows, but we can aim for five ({uuid.uuid4().hex[:6]})."
    page = new_context().new_page()
    sign_in(page, PROVIDER)
    _open_spec(page)
    paragraph = page.locator(".collab-para", has_text="we reply within ten working days")
    tab_to(page, paragraph.get_by_role("link", name=re.compile("Comment on this paragraph")))
    page.keyboard.press("Enter")
    thread = paragraph.locator("section.collab-para-thread")
    item = thread.locator("li.collab-comment", has_text="Ten working days is too slow")

    # Pressing "this matters to me too": the pressed state shows, and it says how to undo it.
    support = item.get_by_role("button", name=re.compile("This matters to me too"))
    expect(support).to_have_attribute("aria-pressed", "false")
    tab_to(page, support)
    page.keyboard.press("Enter")
    pressed = item.get_by_role("button", name=re.compile("You said this matters to you — undo"))
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_be_focused()
    weight = pressed.evaluate("el => getComputedStyle(el).fontWeight")
    assert int(weight) >= 700, "a pressed support button looks different from an unpressed one"
    check_a11y(page, "commenting-supported")
    page.keyboard.press("Enter")
    expect(item.get_by_role("button", name=re.compile("This matters to me too"))).to_have_attribute("aria-pressed", "false")
    expect(item.get_by_role("button", name=re.compile("This matters to me too"))).to_be_focused()

    # The reply box is named for the comment it answers; the new-comment box for the paragraph.
    summary = item.locator("summary", has_text=re.compile("^Reply to .+’s comment$"))
    tab_to(page, summary)
    page.keyboard.press("Enter")
    reply_box = item.get_by_label(re.compile("^Your reply to "))
    expect(reply_box).to_be_visible()
    expect(thread.get_by_label("Your comment on this paragraph")).not_to_have_attribute("id", reply_box.get_attribute("id") or "")
    check_a11y(page, "commenting-reply-open")
    tab_to(page, reply_box)
    page.keyboard.type(reply_text)
    tab_to(page, item.get_by_role("button", name=re.compile("^Add reply to ")))
    page.keyboard.press("Enter")
    expect(page.locator("#collab-status")).to_have_text(re.compile("^Your reply to .+ was added$"))
    expect(thread.locator("li.collab-comment--added", has_text=reply_text)).to_be_focused()
    check_a11y(page, "commenting-replied")


def test_commenting_on_an_empty_section_and_on_the_whole_spec_by_keyboard(new_context):
    """'Nothing written yet' is where people say what is missing; the spec as a whole has its own comments."""
    from datetime import date, timedelta

    from tests.browser.helpers import fill_date
    from tests.browser.test_spec_journey import COMMISSIONER

    tag = uuid.uuid4().hex[:6]
    boss = new_context().new_page()
    sign_in(boss, COMMISSIONER)
    boss.goto(f"{RIVERSIDE}/specs/new")
    boss.get_by_label("Title").fill(f"Evening peer support {tag}")
    boss.get_by_label("Service area").fill("Adult mental health")
    boss.get_by_role("button", name=re.compile("Start")).click()
    draft = boss.url
    boss.goto(boss.locator('a[href*="/sections/"]').first.get_attribute("href"))
    boss.get_by_label("Text").fill("Groups meet every week. Anyone can come.")
    boss.get_by_role("button", name="Save section").click()
    boss.goto(draft.replace("/draft", "/consultation"))
    fill_date(boss, "When do comments close?", date.today() + timedelta(days=35))
    boss.get_by_role("button", name="Open for comments").click()
    boss.get_by_role("button", name="Open it anyway").click()
    expect(boss.get_by_text("This specification is open for comments")).to_be_visible()
    spec_url = draft.replace("/draft", "")

    page = new_context().new_page()
    sign_in(page, PROVIDER)
    page.goto(spec_url)
    empty = page.locator("section.collab-spec-section", has_text="Nothing written yet.").first
    control = empty.get_by_role("link", name=re.compile(r"^Comment on this section as a whole"))
    expect(control).to_have_accessible_name(re.compile(r"0\s+comments so far\s*$"))
    check_a11y(page, "commenting-empty-section")
    tab_to(page, control)
    page.keyboard.press("Enter")
    thread = empty.locator("section.collab-para-thread")
    expect(thread.get_by_role("heading", name="Comments on this section as a whole (0)")).to_be_visible()
    missing = f"Say what happens when a group is full ({tag})."
    _comment_by_keyboard(page, thread, "Your comment on this section as a whole", missing)
    expect(thread.get_by_role("heading", name="Comments on this section as a whole (1)")).to_be_visible()
    expect(control).to_have_accessible_name(re.compile(r"1\s+comment so far\s*$"))
    check_a11y(page, "commenting-empty-section-added")

    whole = page.get_by_role("link", name=re.compile(r"^Comment on the specification as a whole"))
    tab_to(page, whole)
    page.keyboard.press("Enter")
    thread = page.locator("#thread-spec")
    expect(thread.get_by_role("heading", name="Comments on the specification as a whole (0)")).to_be_visible()
    overall = f"Clear and short. Please add how people find the groups ({tag})."
    _comment_by_keyboard(page, thread, "Your comment on the specification as a whole", overall)
    expect(whole).to_have_accessible_name(re.compile(r"1\s+comment so far\s*$"))
    check_a11y(page, "commenting-whole-spec-added")

    # The report says where each one is.
    page.goto(f"{spec_url}/you-said-we-did")
    expect(page.get_by_text("On the whole section", exact=True)).to_be_visible()
    expect(page.get_by_text("On the whole specification", exact=True)).to_be_visible()
    check_a11y(page, "commenting-whole-report")


def _comment_by_keyboard(page, thread, label: str, text: str) -> None:
    """Type a comment into ``thread``'s box and send it, by keyboard only; it is confirmed and focused."""
    tab_to(page, thread.get_by_label(label))
    page.keyboard.type(text)
    tab_to(page, thread.get_by_role("button", name="Add comment"))
    page.keyboard.press("Enter")
    expect(page.locator("#collab-status")).to_have_text("Your comment was added")
    expect(thread.locator("li.collab-comment", has_text=text)).to_be_focused()
