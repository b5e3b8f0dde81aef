"""A co-production workshop in Chromium, end to end, with axe on every page and screenshots.

The facilitator schedules a workshop, writes its agenda and invites the service users; three
participants (each in their own browser) reply and add ideas, which reach the facilitator's
board live; the facilitator groups them (by keyboard, and by drag and drop), runs dot
voting, records an action and raises a specification proposal from the top idea. One
participant loses their connection while typing an idea: it is kept, shown as not sent,
and sent when the connection comes back.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.helpers import check_a11y, fill_date, sign_in

RIVERSIDE = "/alliances/riverside-living-well-alliance"
FACILITATOR = "facilitator@riverside.example"
PARTICIPANTS = ["serviceuser@riverside.example", "carer@riverside.example", "lived.experience@riverside.example"]
#: Boards poll every 1.5 s. The 2-second promise is measured on its own (tests/bench, and the
#: note in the report); here, on a shared and busy test machine, a change must simply arrive
#: without anyone reloading the page.
LIVE_MS = 10_000


def test_workshop_journey(new_context):
    tag = uuid.uuid4().hex[:5]
    title = f"Evening support workshop {tag}"
    # A tall window, as on the big screen in the room: dragging needs both ends in view.
    sam = new_context(viewport={"width": 1280, "height": 2400}).new_page()
    sign_in(sam, FACILITATOR)

    # 1. Schedule it.
    sam.goto(f"{RIVERSIDE}/workshops")
    check_a11y(sam, "workshops-list")
    sam.get_by_role("link", name="Schedule a workshop").click()
    sam.get_by_label("Title").fill(title)
    sam.get_by_label("What it is for").fill("We plan evening crisis support together.")
    fill_date(sam, "Date", date.today() + timedelta(days=20))
    sam.get_by_label("Start time").fill("10:00")
    sam.get_by_label("End time").fill("12:30")
    sam.get_by_label("Address").fill("Riverside Community Hub\n12 Mill Lane")
    sam.get_by_label("Step-free access").check()
    sam.get_by_label("Quiet room").check()
    sam.get_by_label("How many people can come").fill("3")
    check_a11y(sam, "workshop-schedule")
    sam.get_by_role("button", name="Schedule the workshop").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text(title)
    expect(sam.get_by_text("Step-free access")).to_be_visible()
    check_a11y(sam, "workshop-details")
    workshop_url = sam.url

    # 2. The agenda, with one item about a specification section.
    sam.get_by_role("link", name="Write the agenda").click()
    sam.get_by_label("Agenda item").fill("Welcome")
    sam.get_by_label("Time box in minutes").fill("10")
    sam.get_by_role("button", name="Add to the agenda").click()
    sam.get_by_label("Agenda item").fill("What would help in the evenings?")
    sam.get_by_label("Time box in minutes").fill("40")
    sam.get_by_label("About a specification section (optional)").select_option(label="Community mental health crisis support: Eligibility and access")
    sam.get_by_role("button", name="Add to the agenda").click()
    expect(sam.get_by_text("10:10: What would help in the evenings?")).to_be_visible()
    check_a11y(sam, "workshop-agenda")

    # 3. Invite every service user and carer.
    sam.goto(workshop_url)
    sam.get_by_role("link", name="Invite people").click()
    sam.get_by_label("All service users and carers").check()
    check_a11y(sam, "workshop-invite")
    sam.get_by_role("button", name="Send invitations").click()
    expect(sam.get_by_role("heading", level=1)).to_have_text("People and access needs")

    # 4. Three participants reply and open the board.
    people = []
    for n, email in enumerate(PARTICIPANTS):
        page = new_context().new_page()
        sign_in(page, email)
        page.goto(workshop_url)
        page.get_by_role("link", name="Reply").click()
        page.get_by_label("Yes, I can come").check()
        if n == 0:
            page.get_by_label("Step-free access").check()
            page.get_by_label("Large print").check()
            check_a11y(page, "workshop-reply")
        page.get_by_role("button", name="Send your reply").click()
        expect(page.get_by_text("You have a place")).to_be_visible()
        page.get_by_role("link", name="Open the ideas board").click()
        people.append(page)
    check_a11y(people[0], "workshop-board-participant")

    # The organisers (and only they) see what to plan for.
    sam.goto(workshop_url + "/people")
    expect(sam.get_by_text("1 \u00d7 Step-free access")).to_be_visible()
    check_a11y(sam, "workshop-people")

    # 5. Facilitate: the item on screen reaches every participant live.
    sam.goto(workshop_url + "/board")
    sam.get_by_role("button", name="Next item").click()
    sam.get_by_role("button", name="Next item").click()
    for page in people:
        expect(page.locator("#board-now")).to_have_text("What would help in the evenings?", timeout=LIVE_MS)
    ideas = [f"Open until midnight on Fridays {tag}", f"A peer worker on every shift {tag}", f"Free tea and toast {tag}"]
    for page, idea in zip(people, ideas, strict=True):
        page.get_by_label("Your idea").fill(idea)
        page.get_by_role("button", name="Add idea").click()
        expect(page.locator("#idea-status")).to_contain_text("Your idea has been added")
    for idea in ideas:
        expect(sam.locator("#board").get_by_text(idea)).to_be_visible(timeout=LIVE_MS)
    for idea in ideas:
        expect(people[0].locator("#board").get_by_text(idea)).to_be_visible(timeout=LIVE_MS)
    check_a11y(sam, "workshop-board-facilitator")

    # 6. Group into themes: by keyboard ("Move to theme"), and by drag and drop.
    sam.get_by_label("New theme").fill("Opening times")
    sam.get_by_role("button", name="Add theme").click()
    sam.get_by_label("New theme").fill("Feeling safe")
    sam.get_by_role("button", name="Add theme").click()
    first = sam.locator(".collab-idea", has_text=ideas[0])
    choose = first.get_by_label(re.compile("Move to theme"))
    choose.focus()
    sam.keyboard.press("ArrowDown")  # "Opening times", the first theme
    sam.keyboard.press("Tab")
    expect(first.get_by_role("button", name=re.compile("Move to theme"))).to_be_focused()
    sam.keyboard.press("Enter")
    opening = sam.locator(".collab-theme", has=sam.get_by_role("heading", name=re.compile("^Opening times")))
    expect(opening.locator(".collab-idea", has_text=ideas[0])).to_be_visible()
    safe = sam.locator(".collab-theme", has=sam.get_by_role("heading", name=re.compile("^Feeling safe")))
    sam.locator(".collab-idea", has_text=ideas[1]).drag_to(safe.locator("[data-drop-theme]"), source_position={"x": 8, "y": 8})
    expect(safe.locator(".collab-idea", has_text=ideas[1])).to_be_visible(timeout=LIVE_MS)
    expect(people[2].locator(".collab-theme", has_text="Feeling safe").locator(".collab-idea", has_text=ideas[1])).to_be_visible(timeout=LIVE_MS)

    # 7. Dot voting: two dots each; results as a ranked list.
    sam.get_by_label("Dots for each person").fill("2")
    sam.get_by_role("button", name="Open dot voting").click()
    votes = [[1, 1], [1, 0], [2, 1]]
    for page, picks in zip(people, votes, strict=True):
        expect(page.get_by_text("Dot voting is open")).to_be_visible(timeout=LIVE_MS)
        for left, pick in enumerate(picks, start=1):
            idea = page.locator(".collab-idea", has_text=ideas[pick])
            idea.get_by_role("button", name=re.compile("^Add a dot")).click()
            # Each dot is counted before the next click (the board answers each one in turn).
            expect(page.locator("#board")).to_contain_text(f"You have {2 - left} of 2 dots left", timeout=LIVE_MS)
    expect(people[0].get_by_text("You have 0 of 2 dots left")).to_be_visible()
    check_a11y(people[0], "workshop-voting")
    sam.goto(workshop_url + "/board")
    sam.get_by_role("button", name="Close voting and show results").click()
    results = sam.locator(".collab-results li")
    expect(results.first).to_contain_text(f"1. {ideas[1]}: 4 dots")
    check_a11y(sam, "workshop-results")

    # 8. An action, then a specification proposal from the top idea.
    sam.goto(workshop_url + "/outcomes")
    sam.get_by_text("Add an action").click()
    sam.get_by_label("What needs doing").fill("Cost a peer worker on every shift")
    sam.get_by_label("Who will do it").select_option(label="Grace Lindqvist")
    fill_date(sam, "Due date", date.today() + timedelta(days=14))
    sam.get_by_role("button", name="Add action").click()
    expect(sam.get_by_role("cell", name="Cost a peer worker on every shift", exact=True)).to_be_visible()
    check_a11y(sam, "workshop-outcomes")
    sam.locator("#top-ideas").locator("xpath=following-sibling::ol[1]").get_by_role(
        "link", name=re.compile("Raise a proposal")).first.click()
    expect(sam.get_by_label("The change you propose")).to_have_value(ideas[1])
    sam.get_by_label("A specification section").check()
    sam.get_by_label("Specification section", exact=True).select_option(label="Community mental health crisis support: Service model")
    check_a11y(sam, "workshop-proposal")
    sam.get_by_role("button", name="Raise the proposal").click()
    expect(sam.get_by_text(f"Proposed change: {ideas[1]}")).to_be_visible()
    day = date.today() + timedelta(days=20)
    expect(sam.get_by_text(f"From the {day.day} {day:%B} workshop, added by Sam Rivers")).to_be_visible()

    # 9. The report.
    sam.goto(workshop_url + "/report")
    expect(sam.get_by_role("heading", name="Ideas by theme")).to_be_visible()
    check_a11y(sam, "workshop-report")


def test_an_idea_typed_offline_is_kept_and_sent_when_back(new_context):
    page = new_context().new_page()
    sign_in(page, "serviceuser@riverside.example")
    page.goto(f"{RIVERSIDE}/workshops")
    page.get_by_role("link", name="Crisis support: what should change?").click()
    page.get_by_role("link", name="Open the ideas board").click()
    idea = f"Texts to remind me of the session {uuid.uuid4().hex[:5]}"
    # The link's click returns once the board starts loading; its script must have taken over
    # the form before the connection drops, as it has for anyone who opened the board online.
    expect(page.locator("#idea-form")).to_have_attribute("data-outbox-ready", "true")
    page.context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.get_by_label("Your idea").fill(idea)
    page.get_by_role("button", name="Add idea").click()
    expect(page.locator("#idea-status")).to_contain_text("offline")
    expect(page.locator("#idea-outbox")).to_contain_text(idea)
    expect(page.locator("#idea-outbox")).to_contain_text("Not sent yet")
    check_a11y(page, "workshop-board-offline")
    # Even a reload keeps it: it is stored in the browser until the server has it.
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#idea-status")).to_contain_text("Your idea has been added")
    expect(page.locator("#idea-outbox")).to_be_empty()
    expect(page.locator("#board .collab-idea", has_text=idea)).to_be_visible(timeout=LIVE_MS)
    # Exactly once, though the page kept trying.
    page.reload()
    expect(page.locator("#board .collab-idea", has_text=idea)).to_have_count(1)
