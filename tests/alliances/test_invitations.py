"""Invitations from the commissioner's form to the invitee's first page in the alliance."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from collab.accounts.models import User
from collab.alliances.models import Invitation, Membership, Role
from collab.db import utcnow
from tests.factories import PASSWORD, add_member, login_as, make_alliance, make_organisation, make_user


def text(response) -> str:
    return response.get_data(as_text=True)


def invite(client, alliance, email="new.person@example.org", role="service_user", organisation_id="", **headers):
    return client.post(
        f"/alliances/{alliance.slug}/invitations",
        data={"email": email, "role": role, "organisation_id": organisation_id},
        headers=headers,
    )


def link_in(message) -> str:
    url = re.search(r"https?://\S+/invitations/\S+", message.get_content()).group(0)
    return url.split("localhost", 1)[1]


def membership_of(session, alliance, email):
    session.expire_all()
    return session.scalar(
        select(Membership).join(User).where(Membership.alliance_id == alliance.id, User.email == email)
    )


def test_invitee_follows_the_emailed_link_creates_an_account_and_joins(client, session, outbox):
    alliance = make_alliance(name="Harbour Alliance")
    org = make_organisation(name="Harbour Peer Support", created_by=alliance.memberships[0].user)
    login_as(client, alliance.memberships[0].user)

    response = invite(client, alliance, "New.Person@Example.org", "provider", str(org.id))
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "An invitation has been sent to new.person@example.org." in page
    assert "new.person@example.org" in page and "Harbour Peer Support" in page

    assert len(outbox) == 1
    message = outbox[0]
    assert message["To"] == "new.person@example.org"
    assert message["Subject"] == "You are invited to join Harbour Alliance on Collab"
    assert "as a provider for Harbour Peer Support" in message.get_content()
    link = link_in(message)

    login_as(client, None)
    landing = text(client.get(link))
    assert "Join Harbour Alliance" in landing
    assert "Create your account" in landing
    assert "new.person@example.org" in landing

    bad = client.post(link, data={"display_name": "", "password": "short", "confirm": "other"})
    assert bad.status_code == 422
    assert "Enter a display name" in text(bad)
    assert membership_of(session, alliance, "new.person@example.org") is None

    joined = client.post(link, data={"display_name": "Priya", "password": "a long new password", "confirm": "a long new password"})
    assert joined.status_code == 303
    assert joined.headers["Location"] == f"/alliances/{alliance.slug}"
    home = text(client.get(joined.headers["Location"]))
    assert "Your account has been created. Welcome to Harbour Alliance." in home
    assert "You are a provider for Harbour Peer Support." in home

    membership = membership_of(session, alliance, "new.person@example.org")
    assert (membership.role, membership.organisation_id) == (Role.PROVIDER, org.id)

    # The link works once, even for the person who used it.
    again = client.get(link)
    assert again.status_code == 404
    assert "This invitation does not work any more" in text(again)

    # They can sign in with the password they chose.
    login_as(client, None)
    signed = client.post("/sign-in", data={"email": "new.person@example.org", "password": "a long new password"})
    assert signed.status_code == 303


def test_signed_in_person_accepts_with_one_click(client, session, outbox):
    alliance = make_alliance(name="Harbour Alliance")
    existing = make_user(email="known@example.org", display_name="Kim")
    login_as(client, alliance.memberships[0].user)
    invite(client, alliance, "known@example.org", "facilitator")
    link = link_in(outbox[0])

    # Not signed in: told to sign in, and brought back to the link afterwards.
    login_as(client, None)
    landing = text(client.get(link))
    assert "There is already a Collab account for known@example.org" in landing
    assert f'href="/sign-in?next={link}"' in landing
    refused = client.post(link, data={"display_name": "Impostor", "password": "a long new password", "confirm": "a long new password"})
    assert refused.status_code == 422
    assert "Sign in to accept the invitation" in text(refused)
    assert membership_of(session, alliance, "known@example.org") is None

    signed = client.post(f"/sign-in?next={link}", data={"email": existing.email, "password": PASSWORD})
    assert signed.headers["Location"] == link
    page = text(client.get(link))
    assert "You are signed in as Kim (known@example.org)" in page
    response = client.post(link)
    assert response.status_code == 303
    assert "Welcome to Harbour Alliance." in text(client.get(response.headers["Location"]))
    assert membership_of(session, alliance, "known@example.org").role == Role.FACILITATOR
    assert client.post(link).status_code == 404


def test_expired_invitation_does_not_work(client, session, outbox):
    alliance = make_alliance()
    login_as(client, alliance.memberships[0].user)
    invite(client, alliance, "late@example.org")
    link = link_in(outbox[0])
    invitation = session.scalar(select(Invitation).where(Invitation.email == "late@example.org"))
    invitation.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    login_as(client, None)
    response = client.get(link)
    assert response.status_code == 404
    assert "Invitation links work once and for 14 days" in text(response)
    post = client.post(link, data={"display_name": "Late", "password": "a long new password", "confirm": "a long new password"})
    assert post.status_code == 404
    assert membership_of(session, alliance, "late@example.org") is None
    assert session.scalar(select(User).where(User.email == "late@example.org")) is None
    # Expired invitations are not listed as waiting.
    login_as(client, alliance.memberships[0].user)
    assert "late@example.org" not in text(client.get(f"/alliances/{alliance.slug}/invitations"))


def test_revoked_invitation_does_not_work(client, session, outbox):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    login_as(client, commissioner)
    invite(client, alliance, "cancelled@example.org")
    link = link_in(outbox[0])
    invitation = session.scalar(select(Invitation).where(Invitation.email == "cancelled@example.org"))
    response = client.post(f"/alliances/{alliance.slug}/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    page = text(client.get(response.headers["Location"]))
    assert "The invitation to cancelled@example.org has been cancelled." in page
    assert "There are no invitations waiting for a reply." in page
    # Cancelling twice just says so.
    client.post(f"/alliances/{alliance.slug}/invitations/{invitation.id}/revoke")
    assert "it has already been used, revoked or has expired" in text(client.get(f"/alliances/{alliance.slug}/invitations"))

    login_as(client, None)
    assert client.get(link).status_code == 404
    assert client.post(link, data={"display_name": "X", "password": "a long new password", "confirm": "a long new password"}).status_code == 404
    assert membership_of(session, alliance, "cancelled@example.org") is None
    assert "invited a service user or carer" in text(login_as(client, commissioner).get(f"/alliances/{alliance.slug}/activity"))


def test_a_second_invitation_to_the_same_address_replaces_the_first(client, session, outbox):
    alliance = make_alliance()
    login_as(client, alliance.memberships[0].user)
    invite(client, alliance, "twice@example.org", "observer")
    invite(client, alliance, "twice@example.org", "facilitator")
    first, second = link_in(outbox[0]), link_in(outbox[1])
    login_as(client, None)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_inviting_a_member_says_they_are_already_in(client, session, outbox):
    alliance = make_alliance()
    member = add_member(alliance, role=Role.OBSERVER).user
    login_as(client, alliance.memberships[0].user)
    response = invite(client, alliance, member.email.upper(), "facilitator")
    assert response.status_code == 422
    assert '<a href="#email">That person is already a member of this alliance</a>' in text(response)
    assert outbox == []


def test_invitee_who_joined_another_way_is_told_they_are_already_a_member(client, session, outbox):
    alliance = make_alliance(name="Harbour Alliance")
    login_as(client, alliance.memberships[0].user)
    invite(client, alliance, "someone@example.org")
    link = link_in(outbox[0])
    member = add_member(alliance, make_user(email="someone@example.org"), Role.OBSERVER).user
    login_as(client, member)
    response = client.post(link)
    assert response.status_code == 422
    assert "You are already a member of Harbour Alliance" in text(response)
    session.expire_all()
    assert session.scalar(select(Invitation).where(Invitation.email == "someone@example.org")).used_at is None


# Issue 7, defect 3: a forwarded invitation must not let someone else join (or sign for the organisation).
def test_someone_else_signed_in_cannot_use_a_forwarded_invitation(client, session, outbox, caplog):
    alliance = make_alliance(name="Harbour Alliance")
    organisation = make_organisation(name="Riverside Mind", created_by=alliance.memberships[0].user)
    login_as(client, alliance.memberships[0].user)
    invite(client, alliance, " Grace.Provider@Riverside.example ", "provider", str(organisation.id))
    link = link_in(outbox[0])
    stranger = make_user(email="stranger@example.org", display_name="Stan")
    login_as(client, stranger)

    caplog.set_level("WARNING", logger="collab.security")
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 403
        page = text(response)
        assert "This invitation is for someone else" in page
        assert "was sent to <strong>g••••@riverside.example</strong>" in page
        assert "grace.provider" not in page.lower()
        assert "sign out, sign in as that person" in page
        assert "ask the person who invited you to send a new invitation" in page
        assert "Join Harbour Alliance</button>" not in page
    assert caplog.text.count('"event": "invitation-wrong-account"') == 2
    assert membership_of(session, alliance, "stranger@example.org") is None
    invitation = session.scalar(select(Invitation).where(Invitation.alliance_id == alliance.id))
    assert invitation.used_at is None and invitation.is_pending

    # The person it was sent to can still accept it, whatever the case of their address.
    grace = make_user(email="grace.provider@riverside.example")
    login_as(client, grace)
    assert client.post(link).status_code == 303
    assert membership_of(session, alliance, "grace.provider@riverside.example").organisation == organisation


def test_invitation_form_errors(client, session, outbox):
    alliance = make_alliance()
    login_as(client, alliance.memberships[0].user)
    response = invite(client, alliance, "not-an-email", "provider")
    assert response.status_code == 422
    body = text(response)
    assert "Enter an email address in the right format" in body
    response = invite(client, alliance, "p@example.org", "provider")
    assert response.status_code == 422
    assert "Select the organisation this provider represents" in text(response)
    response = invite(client, alliance, "p@example.org", "king")
    assert response.status_code == 422
    assert outbox == []


def test_invitation_form_over_htmx_returns_just_the_form(client, session, outbox):
    alliance = make_alliance()
    login_as(client, alliance.memberships[0].user)
    response = invite(client, alliance, "", "", **{"HX-Request": "true", "HX-Target": "invitation-form"})
    assert response.status_code == 422
    body = text(response)
    assert body.lstrip().startswith("{") is False
    assert '<div id="invitation-form">' in body
    assert "<html" not in body
    assert "HX-Request" in response.headers.get("Vary", "")
    done = invite(client, alliance, "htmx@example.org", "observer", **{"HX-Request": "true", "HX-Target": "invitation-form"})
    assert done.status_code == 204
    assert done.headers["HX-Redirect"] == f"/alliances/{alliance.slug}/invitations"
    assert len(outbox) == 1
