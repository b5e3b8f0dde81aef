"""What each area puts on "For you": the items, who gets them, and when they go away."""

from __future__ import annotations

from datetime import timedelta

from collab.agreements import services as agreements
from collab.alliances import services as alliances
from collab.alliances.models import Role
from collab.db import utcnow
from collab.foryou import services
from collab.specs import services as specs
from collab.specs.models import Outcome
from tests.agreements.helpers import first_clause, make_cast, propose_change, start
from tests.factories import PASSWORD, add_member, make_alliance, make_user
from tests.specs.helpers import make_spec, paragraph_with


def needs(session, user, alliance=None):
    return services.gather(session, user, None, alliance=alliance).needs


def titles(items):
    return [item.title for item in items]


def test_a_proposal_waits_for_each_seat_until_anyone_answers_for_it(session):
    cast = make_cast()
    colleague = add_member(cast.alliance, make_user(display_name="Ann's colleague"), Role.PROVIDER, cast.org_a).user
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement), by=cast.provider_b)
    wanted = f"Respond to the proposal “{proposal.heading}”"
    for person in (cast.commissioner, cast.provider_a, colleague, cast.provider_b, cast.service_user):
        item = next(i for i in needs(session, person) if i.title == wanted)
        assert item.due.date() == proposal.closes_on
        assert item.url.endswith(f"/alliances/{cast.alliance.slug}/agreement/proposals/{proposal.id}")
        assert item.alliance_name == cast.alliance.name
    # Facilitators and observers hold no seat.
    assert wanted not in titles(needs(session, cast.facilitator))
    assert wanted not in titles(needs(session, cast.observer))
    # Ann answers for Charity A: her colleague no longer needs to; the others still do.
    agreements.respond(session, cast.provider_a, proposal, response="agree")
    assert wanted not in titles(needs(session, cast.provider_a))
    assert wanted not in titles(needs(session, colleague))
    assert wanted in titles(needs(session, cast.service_user))
    assert "Nobody has answered for" in next(i for i in needs(session, cast.commissioner) if i.title == wanted).detail
    # Revising clears the answers, so Ann's seat is asked again.
    agreements.revise_proposal(session, cast.provider_b, proposal, heading=proposal.heading, body="Other words",
                               reason="Better", closes_on=proposal.closes_on)
    assert wanted in titles(needs(session, colleague))


def test_a_version_waits_for_each_organisation_until_one_of_its_people_signs(session):
    cast = make_cast()
    colleague = add_member(cast.alliance, make_user(display_name="Ann's colleague"), Role.PROVIDER, cast.org_a).user
    version = agreements.publish(session, cast.commissioner, start(cast))
    wanted = "Sign version 1 of the agreement"
    for person in (cast.commissioner, cast.provider_a, colleague, cast.provider_b):
        item = next(i for i in needs(session, person) if i.title == wanted)
        assert item.url.endswith(f"/alliances/{cast.alliance.slug}/agreement/versions/1/sign")
    assert wanted not in titles(needs(session, cast.service_user))
    agreements.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Ann Provider", confirmed=True)
    assert wanted not in titles(needs(session, colleague))
    assert wanted in titles(needs(session, cast.provider_b))


def test_an_open_consultation_asks_everyone_who_may_comment_until_they_do(session):
    alliance = make_alliance()
    reader = add_member(alliance, make_user(), Role.SERVICE_USER).user
    helped = add_member(alliance, make_user(display_name="Bea"), Role.SERVICE_USER).user
    facilitator = add_member(alliance, make_user(display_name="Sam"), Role.FACILITATOR).user
    observer = add_member(alliance, make_user(), Role.OBSERVER).user
    spec = make_spec(alliance)
    wanted = "Have your say on “Crisis support”"
    item = next(i for i in needs(session, reader) if i.title == wanted)
    assert item.due.date() == spec.consultation_closes_on
    assert item.url.endswith(f"/alliances/{alliance.slug}/specs/{spec.id}")
    assert wanted not in titles(needs(session, observer))
    specs.add_comment(session, reader, paragraph_with(spec, "listened"), body="Yes please.")
    assert wanted not in titles(needs(session, reader))
    # A comment a facilitator adds in Bea's name counts as Bea's; not as the facilitator's.
    specs.add_comment(session, facilitator, paragraph_with(spec, "listened"), body="Bea says so.", on_behalf_of=helped)
    assert wanted not in titles(needs(session, helped))
    assert wanted in titles(needs(session, facilitator))
    # Closed for comments: nobody is asked any more.
    specs.close_consultation(session, facilitator, spec, reason="We have heard enough to redraft.")
    assert wanted not in titles(needs(session, facilitator))


def test_replies_and_responses_to_your_comments_are_changes_since_your_last_visit(session):
    alliance = make_alliance()
    boss = alliance.memberships[0].user
    me = add_member(alliance, make_user(), Role.SERVICE_USER).user
    other = add_member(alliance, make_user(display_name="Grace"), Role.PROVIDER).user
    spec = make_spec(alliance)
    mine = specs.add_comment(session, me, paragraph_with(spec, "listened"), body="Please listen.")
    before = utcnow()
    specs.reply(session, other, mine, body="We will.")
    specs.respond(session, boss, mine, outcome=Outcome.ANSWERED, text="Thank you.")
    changed = services.gather(session, me, before).changed
    assert titles(changed) == [  # newest first
        "Your comment on “Crisis support” has a response: answered",
        "Grace replied to your comment on “Crisis support”",
    ]
    assert all(f"/specs/{spec.id}/paragraphs/" in i.url and "#comment-" in i.url for i in changed)
    # Nothing changed since now.
    assert services.gather(session, me, utcnow() + timedelta(seconds=1)).changed == []


def test_a_new_draft_and_new_members_are_changes(session):
    alliance = make_alliance()
    boss = alliance.memberships[0].user
    me = add_member(alliance, make_user(), Role.SERVICE_USER).user
    spec = make_spec(alliance)
    before = utcnow()
    section = spec.sections[0]
    specs.save_section(session, boss, section, section.lock_version, heading=section.heading, body="New words.")
    specs.share_redraft(session, boss, spec, note="Shorter")
    add_member(alliance, make_user(display_name="Newcomer"), Role.OBSERVER)
    changed = titles(services.gather(session, me, before).changed)
    assert "Draft 2 of “Crisis support” was shared" in changed
    assert "Newcomer joined as an observer" in changed


def test_a_correction_waits_for_the_organisations_representatives(session):
    cast = make_cast()
    correction = alliances.propose_correction(
        session, cast.commissioner, cast.org_a, reason="They moved", name=cast.org_a.name,
        org_type=cast.org_a.org_type, size_band=cast.org_a.size_band, locality="Elsewhere",
    )
    wanted = f"Accept or decline a correction to {cast.org_a.name}"
    assert wanted in titles(needs(session, cast.provider_a))
    assert wanted not in titles(needs(session, cast.provider_b))
    alliances.decline_correction(session, cast.provider_a, correction)
    assert wanted not in titles(needs(session, cast.provider_a))


def test_an_invitation_that_ran_out_unused_is_for_the_people_who_invite(session):
    cast = make_cast()
    invitation, _ = alliances.invite(session, cast.commissioner, cast.alliance, email="late@example.org",
                                     role=Role.SERVICE_USER)
    invitation.expires_at = utcnow() - timedelta(days=1)
    session.flush()
    wanted = "Invite late@example.org again"
    assert wanted in titles(needs(session, cast.commissioner))
    assert wanted not in titles(needs(session, cast.provider_a))
    # Sent again: nothing more to do.
    alliances.invite(session, cast.commissioner, cast.alliance, email="late@example.org", role=Role.SERVICE_USER)
    assert wanted not in titles(needs(session, cast.commissioner))


def test_nearest_due_first_and_one_alliance_only_for_its_panel(session):
    me = make_user()
    late, early = make_alliance(name="Late Alliance"), make_alliance(name="Early Alliance")
    for alliance in (late, early):
        add_member(alliance, me, Role.SERVICE_USER)
    make_spec(late)
    spec = make_spec(early)
    spec.consultation_closes_on = utcnow().date() + timedelta(days=3)
    session.flush()
    found = needs(session, me)
    assert [i.alliance_name for i in found] == ["Early Alliance", "Late Alliance"]
    assert [i.alliance_name for i in needs(session, me, alliance=late)] == ["Late Alliance"]


def test_many_people_joining_at_once_is_one_item(session):
    alliance = make_alliance()
    me = add_member(alliance, make_user(), Role.OBSERVER).user
    before = utcnow()
    for name in ("Ann", "Ben", "Cat", "Dev", "Eve"):
        add_member(alliance, make_user(display_name=name), Role.OBSERVER)
    changed = services.gather(session, me, before).changed
    assert titles(changed) == ["5 people joined"]
    assert changed[0].detail == "Ann, Ben, Cat and 2 more."


def test_an_invitation_about_to_run_out_is_due_then(session):
    cast = make_cast()
    invitation, _ = alliances.invite(session, cast.commissioner, cast.alliance, email="slow@example.org",
                                     role=Role.OBSERVER)
    assert "slow@example.org has not joined yet" not in titles(needs(session, cast.commissioner))
    invitation.expires_at = utcnow() + timedelta(days=2)
    session.flush()
    item = next(i for i in needs(session, cast.commissioner) if i.title == "slow@example.org has not joined yet")
    assert item.due == invitation.expires_at
    assert "runs out soon" in item.detail
