"""Invitation rules, tested without HTTP: inviting, replacing, revoking, accepting once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.alliances import services
from collab.alliances.models import Invitation, InvitationStatus, Membership, Role
from collab.audit import AuditEntry
from collab.db import db, utcnow
from collab.errors import DomainError
from collab.security import hash_token
from tests.factories import add_member, make_alliance, make_organisation, make_user


@pytest.fixture
def rsession(app):
    """A session inside a request context: invitations build links with url_for."""
    with app.test_request_context():
        yield db.session


def _actions(session, alliance) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action).where(AuditEntry.alliance_id == alliance.id).order_by(AuditEntry.id)
        )
    )


# Invitations --------------------------------------------------------------------


def test_invite_then_accept_makes_a_member_once(rsession):
    session = rsession
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    org = make_organisation()
    invitation, token = services.invite(
        session, commissioner, alliance, email=" New.Person@Example.org ", role=Role.PROVIDER, organisation=org
    )
    assert invitation.email == "new.person@example.org"
    assert invitation.token_hash == hash_token(token)
    assert token not in invitation.token_hash
    assert invitation.expires_at - utcnow() > timedelta(days=13, hours=23)
    assert services.find_invitation(session, token) is invitation

    newcomer = make_user(email="new.person@example.org")
    membership = services.accept_invitation(session, invitation, newcomer)
    assert (membership.role, membership.organisation) == (Role.PROVIDER, org)
    assert invitation.status() == InvitationStatus.ACCEPTED
    assert invitation.used_by_id == newcomer.id
    with pytest.raises(DomainError):
        services.accept_invitation(session, invitation, make_user())
    assert _actions(session, alliance)[-2:] == ["invitation.sent", "membership.joined"]


def test_provider_invitation_needs_an_organisation(rsession):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    with pytest.raises(DomainError) as raised:
        services.invite(rsession, commissioner, alliance, email="p@example.org", role=Role.PROVIDER)
    assert raised.value.field == "organisation_id"
    with pytest.raises(DomainError):
        services.invite(
            rsession, commissioner, alliance, email="s@example.org", role=Role.SERVICE_USER,
            organisation=make_organisation(),
        )


def test_cannot_invite_someone_already_in_the_alliance(rsession):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    with pytest.raises(DomainError) as raised:
        services.invite(rsession, commissioner, alliance, email=commissioner.email.upper(), role=Role.OBSERVER)
    assert "already a member" in raised.value.message


def test_a_new_invitation_replaces_a_pending_one(rsession):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    old, _ = services.invite(rsession, commissioner, alliance, email="twice@example.org", role=Role.OBSERVER)
    new, _ = services.invite(rsession, commissioner, alliance, email="twice@example.org", role=Role.FACILITATOR)
    assert old.status() == InvitationStatus.REVOKED
    assert new.is_pending
    assert services.pending_invitations(rsession, alliance) == [new]


def test_revoked_and_expired_invitations_cannot_be_accepted(rsession):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    revoked, _ = services.invite(rsession, commissioner, alliance, email="r@example.org", role=Role.OBSERVER)
    services.revoke_invitation(rsession, commissioner, revoked)
    with pytest.raises(DomainError):
        services.revoke_invitation(rsession, commissioner, revoked)
    with pytest.raises(DomainError):
        services.accept_invitation(rsession, revoked, make_user())

    expired, _ = services.invite(rsession, commissioner, alliance, email="e@example.org", role=Role.OBSERVER)
    expired.expires_at = utcnow() - timedelta(minutes=1)
    rsession.flush()
    assert expired.status() == InvitationStatus.EXPIRED
    with pytest.raises(DomainError):
        services.accept_invitation(rsession, expired, make_user())
    assert services.pending_invitations(rsession, alliance) == []
    assert rsession.scalar(select(Membership).where(Membership.alliance_id == alliance.id, Membership.role == Role.OBSERVER)) is None


def test_accepting_when_already_a_member_is_refused_and_leaves_the_invitation_unused(rsession):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    observer = add_member(alliance, role=Role.OBSERVER).user
    invitation = Invitation(
        alliance=alliance, email=observer.email, role=Role.FACILITATOR, token_hash="x" * 64,
        invited_by_id=commissioner.id, expires_at=utcnow() + timedelta(days=1),
    )
    rsession.add(invitation)
    rsession.flush()
    with pytest.raises(DomainError) as raised:
        services.accept_invitation(rsession, invitation, observer)
    assert "already a member" in raised.value.message
    assert invitation.used_at is None


def test_an_invitation_can_only_be_accepted_by_the_account_it_was_sent_to(session):
    alliance = make_alliance()
    invitation, _ = services.invite(
        session, alliance.memberships[0].user, alliance, email="Grace@Riverside.example", role=Role.OBSERVER
    )
    with pytest.raises(services.InvitationForSomeoneElse) as raised:
        services.accept_invitation(session, invitation, make_user(email="someone.else@example.org"))
    assert "g••••@riverside.example" in raised.value.message
    assert raised.value.status == 403
    assert invitation.used_at is None
    assert services.accept_invitation(session, invitation, make_user(email="grace@riverside.example")).role == Role.OBSERVER


def test_mask_email_keeps_the_first_letter_and_the_domain():
    assert services.mask_email("grace@riverside.example") == "g••••@riverside.example"


def test_find_invitation_ignores_nonsense_tokens(session):
    assert services.find_invitation(session, "") is None
    assert services.find_invitation(session, "x" * 500) is None
    assert services.find_invitation(session, "no-such-token") is None


def test_an_email_subject_never_holds_a_line_break(app, session, outbox):
    """Even if a name with a line break were already stored, inviting still works."""
    from collab.alliances import services

    alliance = make_alliance(name="Harbour\nAlliance")
    with app.test_request_context():
        services.invite(session, alliance.memberships[0].user, alliance, email="x@example.org", role=Role.OBSERVER)
    session.commit()
    assert outbox[-1]["Subject"] == "You are invited to join Harbour Alliance on Collab"
