"""Notifications that mean something: read when followed, resolved when the action is done by
anyone who can do it, the badge counts only what still needs you, and they name the alliance."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.agreements import services as agreements
from collab.alliances import services as alliances
from collab.alliances.models import Role
from collab.db import utcnow
from collab.notifications import services
from collab.notifications.models import Notification
from collab.notifications.services import notify
from collab.specs import services as specs
from tests.agreements.helpers import first_clause, make_cast, propose_change, start
from tests.factories import PASSWORD, add_member, login_as, make_alliance, make_user
from tests.specs.helpers import make_spec, paragraph_with


def text(response) -> str:
    return response.get_data(as_text=True)


def notes(session, user, kind=None):
    session.flush()
    session.expire_all()
    stmt = select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return list(session.scalars(stmt))


def test_following_a_notification_marks_it_read_and_goes_there(client, session):
    ada = make_user()
    note = notify(session, [ada], "agreement_in_force", "In force", url="/alliances/x/agreement")[0]
    login_as(client, ada)
    page = text(client.get("/notifications"))
    assert f'href="/notifications/{note.id}/open"' in page
    response = client.get(f"/notifications/{note.id}/open")
    assert response.status_code == 303 and response.headers["Location"] == "/alliances/x/agreement"
    session.expire_all()
    assert session.get(Notification, note.id).is_read
    assert services.unread_count(session, ada) == 0


def test_only_paths_inside_collab_are_followed(client, session):
    ada = make_user()
    login_as(client, ada)
    for stored in ("//evil.example/steal", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        note = notify(session, [ada], "agreement_in_force", "Odd link", url=stored)[0]
        response = client.get(f"/notifications/{note.id}/open")
        assert response.status_code == 303 and response.headers["Location"] == "/notifications", stored
    # Someone else's notification is not found.
    other = notify(session, [make_user()], "agreement_in_force", "Not yours", url="/x")[0]
    assert client.get(f"/notifications/{other.id}/open").status_code == 404


def test_a_seat_answering_resolves_the_request_for_everyone_in_that_seat(client, session):
    cast = make_cast()
    colleague = add_member(cast.alliance, make_user(display_name="Ann's colleague"), Role.PROVIDER, cast.org_a).user
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement), by=cast.provider_b)
    asked = {u.id: notes(session, u, "agreement_response_needed")[-1] for u in (cast.provider_a, colleague, cast.service_user)}
    assert asked[colleague.id].action_key == f"proposal:{proposal.id}:seat:org:{cast.org_a.id}"
    assert services.unread_count(session, colleague) == 1
    agreements.respond(session, cast.provider_a, proposal, response="agree")
    assert notes(session, colleague, "agreement_response_needed")[-1].is_resolved
    assert notes(session, cast.provider_a, "agreement_response_needed")[-1].is_resolved
    assert not notes(session, cast.service_user, "agreement_response_needed")[-1].is_resolved
    # The badge counts only what still needs you.
    assert services.unread_count(session, colleague) == 0
    assert services.unread_count(session, cast.service_user) == 1
    login_as(client, colleague)
    page = text(client.get("/notifications"))
    assert "Done" in page and "This has been dealt with" in page and "collab-count" not in page
    # Closing the proposal settles every seat's request.
    agreements.withdraw_proposal(session, cast.commissioner, proposal, "Not now")
    assert notes(session, cast.service_user, "agreement_response_needed")[-1].is_resolved


def test_revising_a_proposal_replaces_the_requests(session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement), by=cast.provider_b)
    agreements.revise_proposal(session, cast.provider_b, proposal, heading=proposal.heading, body="New words",
                               reason="Better", closes_on=proposal.closes_on)
    first, second = notes(session, cast.service_user, "agreement_response_needed")
    assert first.is_resolved and not second.is_resolved


def test_signing_resolves_the_request_for_the_organisations_other_representatives(session):
    cast = make_cast()
    colleague = add_member(cast.alliance, make_user(), Role.PROVIDER, cast.org_a).user
    version = agreements.publish(session, cast.commissioner, start(cast))
    assert notes(session, colleague, "agreement_signature_needed")[-1].action_key == f"version:{version.id}:org:{cast.org_a.id}"
    agreements.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Ann Provider", confirmed=True)
    assert notes(session, colleague, "agreement_signature_needed")[-1].is_resolved
    assert not notes(session, cast.provider_b, "agreement_signature_needed")[-1].is_resolved


def test_deciding_a_correction_resolves_it_for_every_representative(session):
    cast = make_cast()
    colleague = add_member(cast.alliance, make_user(), Role.PROVIDER, cast.org_a).user
    correction = alliances.propose_correction(
        session, cast.commissioner, cast.org_a, reason="Moved", name=cast.org_a.name,
        org_type=cast.org_a.org_type, size_band=cast.org_a.size_band, locality="Elsewhere",
    )
    alliances.accept_correction(session, cast.provider_a, correction)
    assert notes(session, colleague, "organisation_correction_proposed")[-1].is_resolved


def test_a_consultation_asks_people_to_comment_until_they_do_or_it_closes_early(session, outbox):
    alliance = make_alliance(name="Riverside Mental Health Alliance")
    boss = alliance.memberships[0].user
    cleo = add_member(alliance, make_user(display_name="Cleo"), Role.SERVICE_USER).user
    bea = add_member(alliance, make_user(display_name="Bea"), Role.SERVICE_USER).user
    sam = add_member(alliance, make_user(display_name="Sam"), Role.FACILITATOR).user
    observer = add_member(alliance, make_user(), Role.OBSERVER).user
    spec = make_spec(alliance)
    opened = notes(session, cleo, "spec_consultation_opened")[-1]
    assert opened.title.startswith("“Crisis support” is open for your comments until")
    assert opened.alliance_id == alliance.id
    assert notes(session, observer, "spec_consultation_opened") == []
    specs.add_comment(session, cleo, paragraph_with(spec, "listened"), body="Yes.")
    assert notes(session, cleo, "spec_consultation_opened")[-1].is_resolved
    # Sam adds a comment in Bea's name: Bea is told, and no longer asked.
    specs.add_comment(session, sam, paragraph_with(spec, "listened"), body="Bea agrees.", on_behalf_of=bea)
    assert notes(session, bea, "spec_consultation_opened")[-1].is_resolved
    told = notes(session, bea, "spec_comment_on_behalf")[-1]
    assert told.title == "Sam added a comment for you on “Crisis support”"
    # Closed weeks early: everyone who reads it hears, and nobody is asked to comment any more.
    specs.close_consultation(session, boss, spec, reason="The budget changed.")
    assert notes(session, sam, "spec_consultation_opened")[-1].is_resolved
    early = notes(session, observer, "consultation_closed_early")[-1]
    assert early.title == "Riverside Mental Health Alliance: comments on “Crisis support” closed early"
    assert "The budget changed." in early.body
    session.commit()
    email = next(m for m in outbox if m["To"] == observer.email and "early" in m["Subject"])
    assert "Alliance: Riverside Mental Health Alliance" in email.get_content()


def test_closing_once_the_closing_date_has_passed_is_not_early(session):
    # (On the closing day itself people may still comment until midnight: closing then is early.)
    alliance = make_alliance()
    boss = alliance.memberships[0].user
    reader = add_member(alliance, make_user(), Role.SERVICE_USER).user
    spec = make_spec(alliance)
    spec.consultation_closes_on = utcnow().date() - timedelta(days=1)
    specs.close_consultation(session, boss, spec)
    assert notes(session, reader, "consultation_closed_early") == []


def test_a_new_draft_is_announced(session):
    alliance = make_alliance()
    boss = alliance.memberships[0].user
    reader = add_member(alliance, make_user(), Role.OBSERVER).user
    spec = make_spec(alliance)
    section = spec.sections[0]
    specs.save_section(session, boss, section, section.lock_version, heading=section.heading, body="Shorter.")
    specs.share_redraft(session, boss, spec, note="Shorter outcomes")
    shared = notes(session, reader, "spec_draft_shared")[-1]
    assert shared.title == "Draft 2 of “Crisis support” is shared"
    assert shared.body == "What changed: Shorter outcomes"
    assert notes(session, boss, "spec_draft_shared") == []


def test_the_notification_list_names_the_alliance(client, session):
    alliance = make_alliance(name="Riverside Mental Health Alliance")
    ada = add_member(alliance, make_user(), Role.SERVICE_USER).user
    notify(session, [ada], "agreement_in_force", "It is in force", alliance=alliance)
    login_as(client, ada)
    assert "Riverside Mental Health Alliance</p>" in text(client.get("/notifications"))


def test_resolve_by_prefix_is_exact_about_the_prefix(session):
    ada = make_user()
    twelve = notify(session, [ada], "agreement_response_needed", "Twelve", action_key="proposal:12:seat:org:1")[0]
    one_two_three = notify(session, [ada], "agreement_response_needed", "123", action_key="proposal:123:seat:org:1")[0]
    assert services.resolve(session, "proposal:12:", prefix=True) == 1
    session.expire_all()
    assert session.get(Notification, twelve.id).is_resolved
    assert not session.get(Notification, one_two_three.id).is_resolved
    assert utcnow() - session.get(Notification, twelve.id).resolved_at < timedelta(minutes=1)
