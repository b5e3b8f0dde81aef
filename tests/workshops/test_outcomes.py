"""Afterwards: table contributions into spec comments, decisions, actions on the owner's "For you" list,
proposals raised from ideas and decisions (linked back), and the report (counts, not names)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from collab.agreements import services as agreements
from collab.alliances.models import Membership, Role
from collab.attention import items_for
from collab.db import db, utcnow
from collab.errors import DomainError
from collab.workshops import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import make_spec
from tests.workshops.helpers import invite_all, make_past, make_workshop


def test_bulk_contributions_one_per_line_and_into_a_spec_as_the_group(session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    spec = make_spec(alliance)
    workshop = make_workshop(alliance)
    made = services.add_contributions(db.session, organiser, workshop, group_name="table 2", people=4,
                                      lines="- More evening sessions\n\n* Peer workers on every shift\n")
    assert [c.text for c in made] == ["More evening sessions", "Peer workers on every shift"]
    day = workshop.local_start
    assert made[0].tag == f"From the {day.day} {day:%B} workshop, table 2 (4 people)"
    with pytest.raises(DomainError) as caught:
        services.add_contributions(db.session, organiser, workshop, group_name="Table 3", people=0, lines="x")
    assert caught.value.field == "people"
    meta = services.contribution_to_comment(db.session, organiser, made[0], spec.sections[0].id)
    assert meta.comment.on_behalf_of_name == made[0].tag
    # The words of a group of 4 from this workshop, never one service user (the report counts groups).
    assert meta.speaker_role == Role.COMMISSIONER and not meta.from_service_user
    assert meta.group_size == 4 and meta.source_key == f"workshop:{workshop.id}"
    # About the section as a whole, not pinned to its first paragraph.
    assert (meta.level, meta.section_id, meta.paragraph_id) == ("section", spec.sections[0].id, None)
    with pytest.raises(DomainError, match="already"):
        services.contribution_to_comment(db.session, organiser, made[0], spec.sections[0].id)
    # A section with nothing written yet takes a table's words too: that is where people say what is missing.
    empty = next(s for s in spec.sections[2:] if not s.body.strip())
    on_empty = services.contribution_to_comment(db.session, organiser, made[1], empty.id)
    assert (on_empty.level, on_empty.section_id, on_empty.group_size) == ("section", empty.id, 4)


def test_actions_appear_for_their_owner_and_overdue_ones_say_so(session, app):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    owner = member(alliance, Role.PROVIDER)
    workshop = make_workshop(alliance)
    today = utcnow().date()
    services.add_action(db.session, organiser, workshop, text="Book the hall", owner_id=owner.id, due_on=today - timedelta(days=1))
    services.add_action(db.session, organiser, workshop, text="Send the notes", owner_id=owner.id, due_on=today + timedelta(days=3))
    services.add_action(db.session, organiser, workshop, text="Later", owner_id=owner.id, due_on=today + timedelta(days=60))
    with pytest.raises(DomainError) as caught:
        services.add_action(db.session, organiser, workshop, text="Nobody", owner_id=None, due_on=today)
    assert caught.value.field == "owner"
    memberships = db.session.query(Membership).filter_by(user_id=owner.id).all()
    with app.test_request_context():
        needs, _ = items_for(db.session, owner, memberships)
    titles = [i.title for i in needs if i.area == "workshops"]
    assert titles == ["Overdue: Book the hall", "Send the notes"]


def test_for_you_lists_invitations_to_answer_and_workshops_you_are_going_to(session, app):
    alliance = make_alliance()
    person = member(alliance, Role.SERVICE_USER)
    asked = make_workshop(alliance, title="Please reply")
    going = make_workshop(alliance, title="Going", day=(utcnow() + timedelta(days=3)).date())
    invite_all(asked, [person])
    invite_all(going, [person])
    services.reply(db.session, person, going, "yes")
    memberships = db.session.query(Membership).filter_by(user_id=person.id).all()
    with app.test_request_context():
        needs, _ = items_for(db.session, person, memberships)
    titles = [i.title for i in needs]
    assert titles == ["You are going to Going", "Say if you can come to Please reply"]


def test_a_proposal_raised_from_an_idea_is_prefilled_and_links_back(client, session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    agreement = agreements.start_agreement(db.session, organiser, alliance, use_template=True)
    clause = agreements.active_clauses(db.session, agreement)[0]
    workshop = make_workshop(alliance)
    idea = services.add_idea(db.session, organiser, workshop, "Meet every month, not every quarter")
    login_as(client, organiser)
    url = f"/alliances/{alliance.slug}/workshops/{workshop.id}/outcomes/proposal?idea={idea.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Meet every month, not every quarter" in page
    response = client.post(url, data={"target": "clause", "clause": str(clause.id), "heading": "",
                                      "body": "We meet every month.", "reason": "People asked for it",
                                      "closes_on": (utcnow() + timedelta(days=14)).date().isoformat()})
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    proposal = services.proposals_raised(db.session, workshop)[0]
    assert proposal.clause_id == clause.id and proposal.heading == clause.heading
    assert f"workshop \u201c{workshop.title}\u201d" in proposal.reason
    assert response.headers["Location"].endswith(f"/proposals/{proposal.id}")
    assert client.post(url, data={"target": "clause", "clause": str(clause.id), "body": "Again", "reason": "x",
                                  "closes_on": (utcnow() + timedelta(days=14)).date().isoformat()}).status_code == 422


def test_the_report_counts_service_users_and_names_only_those_who_agreed(client, session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    users = [member(alliance, Role.SERVICE_USER, display_name=f"Service user {n}") for n in range(3)]
    provider = member(alliance, Role.PROVIDER, display_name="Grace Provider")
    workshop = make_workshop(alliance)
    invite_all(workshop, [*users, provider])
    services.reply(db.session, users[0], workshop, "yes", named_in_exports=True)
    services.reply(db.session, users[1], workshop, "yes")
    services.reply(db.session, users[2], workshop, "no")
    services.reply(db.session, provider, workshop, "yes")
    idea = services.add_idea(db.session, users[0], workshop, "Drop-in on Saturdays")
    theme = services.add_theme(db.session, organiser, workshop, "Opening times")
    services.move_to_theme(db.session, organiser, workshop, idea.id, theme.id)
    services.open_voting(db.session, organiser, workshop, 3)
    services.vote(db.session, users[1], workshop, idea.id, 1)
    services.add_decision(db.session, organiser, workshop, "Pilot Saturday opening")
    make_past(workshop)
    came = [i.id for i in services.invitees(db.session, workshop) if i.reply.value == "yes"]
    services.mark_attendance(db.session, organiser, workshop, came)
    report = services.build_report(db.session, workshop)
    assert {(role, invited, yes, came) for role, invited, yes, came in report.attendance} == {
        (Role.SERVICE_USER, 3, 2, 2), (Role.PROVIDER, 1, 1, 1)}
    assert report.named == ["Grace Provider", "Service user 0"]
    assert [(t.name, t.dots) for t in report.themes] == [("Opening times", 1)]
    login_as(client, users[2])
    page = client.get(f"/alliances/{alliance.slug}/workshops/{workshop.id}/report").get_data(as_text=True)
    assert "Service user 1" not in page and "Service user 0" in page and "Pilot Saturday opening" in page


def test_a_spec_section_proposal_from_a_decision_links_back_and_shows_in_the_report(session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    spec = make_spec(alliance)
    workshop = make_workshop(alliance)
    decision = services.add_decision(db.session, organiser, workshop, "Open the café at weekends")
    meta = services.section_proposal(db.session, organiser, workshop, section_id=spec.sections[1].id,
                                     body="The café is open on Saturdays and Sundays.", decision=decision)
    assert decision.spec_comment_id == meta.id
    assert meta.comment.body.startswith("Proposed change: The café is open")
    assert meta.comment.on_behalf_of_name == f"From the {workshop.short_date} workshop"
    assert services.build_report(db.session, workshop).section_proposals == [meta]
    with pytest.raises(DomainError, match="already been raised"):
        services.section_proposal(db.session, organiser, workshop, section_id=spec.sections[1].id,
                                  body="Again", decision=decision)


def _closes() -> str:
    return (utcnow() + timedelta(days=14)).date().isoformat()


def test_a_proposal_from_a_tables_contribution_carries_the_group_and_counts_as_one_group(client, session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    agreement = agreements.start_agreement(db.session, organiser, alliance, use_template=True)
    clause = agreements.active_clauses(db.session, agreement)[0]
    workshop = make_workshop(alliance)
    contribution = services.add_contributions(db.session, organiser, workshop, group_name="Table 2", people=4,
                                              lines="Meet in the evenings too")[0]
    login_as(client, organiser)
    outcomes = client.get(f"/alliances/{alliance.slug}/workshops/{workshop.id}/outcomes").get_data(as_text=True)
    assert f"outcomes/proposal?contribution={contribution.id}" in outcomes
    url = f"/alliances/{alliance.slug}/workshops/{workshop.id}/outcomes/proposal?contribution={contribution.id}"
    form = client.get(url).get_data(as_text=True)
    assert "Meet in the evenings too" in form and 'value="Table 2"' in form and 'value="4"' in form
    response = client.post(url, data={"target": "clause", "clause": str(clause.id), "heading": "",
                                      "body": "We meet in the evenings too.", "reason": "Table 2 asked for it",
                                      "group_name": "Table 2", "people": "4", "closes_on": _closes()})
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.expire_all()
    proposal = services.proposals_raised(db.session, workshop)[0]
    tag = f"From the {workshop.short_date} workshop, Table 2 (4 people)"
    assert (proposal.group_label, proposal.group_size) == (tag, 4)
    assert proposal.source_key == f"workshop:{workshop.id}"
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{tag}. It speaks for 4 people and is counted as one group" in shown
    listed = client.get(f"/alliances/{alliance.slug}/agreement/proposals").get_data(as_text=True)
    assert tag in listed
    report = services.build_report(db.session, workshop)
    assert report.proposal_groups == (1, 4)
    page = client.get(f"/alliances/{alliance.slug}/workshops/{workshop.id}/report").get_data(as_text=True)
    assert "1 proposal speaks for a table or group: 4 people in all" in page


def test_a_decisions_proposal_may_name_its_group_and_an_ideas_may_have_none(session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    agreement = agreements.start_agreement(db.session, organiser, alliance, use_template=True)
    clauses = agreements.active_clauses(db.session, agreement)
    workshop = make_workshop(alliance)
    decision = services.add_decision(db.session, organiser, workshop, "Meet monthly")
    idea = services.add_idea(db.session, organiser, workshop, "Shorter meetings")
    with pytest.raises(DomainError, match="how many people"):
        services.raise_proposal(db.session, organiser, workshop, clause_id=clauses[0].id, heading="",
                                body="We meet monthly.", reason="Agreed on the day", closes_on=utcnow().date() + timedelta(days=14), decision=decision,
                                group_name="Everyone at the workshop", people=None)
    with pytest.raises(DomainError, match="group name"):
        services.raise_proposal(db.session, organiser, workshop, clause_id=clauses[0].id, heading="",
                                body="We meet monthly.", reason="Agreed on the day", closes_on=utcnow().date() + timedelta(days=14), decision=decision, people=3)
    from_decision = services.raise_proposal(
        db.session, organiser, workshop, clause_id=clauses[0].id, heading=clauses[0].heading, body="We meet monthly.",
        reason="Agreed on the day", closes_on=utcnow().date() + timedelta(days=14), decision=decision, group_name="everyone at the workshop", people=12)
    assert from_decision.group_label == f"From the {workshop.short_date} workshop, everyone at the workshop (12 people)"
    from_idea = services.raise_proposal(
        db.session, organiser, workshop, clause_id=clauses[1].id, heading=clauses[1].heading,
        body="Meetings last an hour.", reason="Agreed on the day", closes_on=utcnow().date() + timedelta(days=14), idea=idea)
    assert from_idea.group_label is None and from_idea.group_size is None
    assert from_idea.source_label == services.outcomes.workshop_source_label(workshop)
    assert services.build_report(db.session, workshop).proposal_groups == (1, 12)


def test_a_spec_section_proposal_for_a_group_is_counted_with_its_size(session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    spec = make_spec(alliance)
    workshop = make_workshop(alliance)
    idea = services.add_idea(db.session, organiser, workshop, "A quiet room at every session")
    meta = services.section_proposal(db.session, organiser, workshop, section_id=spec.sections[1].id,
                                     body="Every session has a quiet room.", idea=idea,
                                     group_name="Table 3", people=5)
    assert meta.group_size == 5 and meta.from_group
    assert meta.comment.on_behalf_of_name == f"From the {workshop.short_date} workshop, Table 3 (5 people)"
    assert services.build_report(db.session, workshop).proposal_groups == (1, 5)


def test_a_section_proposal_through_the_page_opens_the_sections_comments_with_it(client, session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    spec = make_spec(alliance)
    workshop = make_workshop(alliance)
    idea = services.add_idea(db.session, organiser, workshop, "Peer workers on every shift")
    login_as(client, organiser)
    url = f"/alliances/{alliance.slug}/workshops/{workshop.id}/outcomes/proposal?idea={idea.id}"
    response = client.post(url, data={"target": "section", "section": str(spec.sections[1].id), "heading": "",
                                      "body": "Peer workers on every shift", "reason": "", "group_name": "",
                                      "people": "", "closes_on": ""})
    assert response.status_code == 303, response.get_data(as_text=True)
    where = response.headers["Location"]
    assert where.endswith(f"/specs/{spec.id}/sections/{spec.sections[1].id}/as-a-whole")
    shown = client.get(where).get_data(as_text=True)
    assert "Proposed change: Peer workers on every shift" in shown
