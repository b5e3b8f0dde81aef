"""Alliance rules, tested without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.alliances import services
from collab.alliances.models import (
    Invitation,
    InvitationStatus,
    Membership,
    OrganisationType,
    Role,
    SizeBand,
    Visibility,
)
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


# Organisations ------------------------------------------------------------------


def _org(session, actor, name="Mind in Testville", **kwargs):
    fields = dict(org_type=OrganisationType.CHARITY, size_band=SizeBand.SMALL, locality="Testville")
    fields.update(kwargs)
    return services.create_organisation(session, actor, name=name, **fields)


def test_organisation_names_are_unique_ignoring_case(session):
    admin = make_user(is_site_admin=True)
    org = _org(session, admin, postcode_district="", charity_number="1234567")
    assert org.postcode_district is None
    assert org.charity_number == "1234567"
    assert org.is_small
    with pytest.raises(DomainError) as raised:
        _org(session, admin, name="MIND IN TESTVILLE")
    assert raised.value.field == "name"


def test_an_organisation_can_keep_its_own_name_but_not_take_another(session):
    admin = make_user(is_site_admin=True)
    first = _org(session, admin, name="First")
    _org(session, admin, name="Second")
    fields = dict(org_type="community_group", size_band="micro", locality="North")
    services.update_organisation(session, admin, first, name="First", **fields)
    assert first.org_type == OrganisationType.COMMUNITY_GROUP
    assert first.size_band == SizeBand.MICRO
    with pytest.raises(DomainError):
        services.update_organisation(session, admin, first, name="second", **fields)


# Alliances ---------------------------------------------------------------------


def test_create_alliance_makes_the_creator_its_first_commissioner(session):
    creator = make_user(is_site_admin=True)
    alliance = services.create_alliance(
        session, creator, name="Living Well Alliance", purpose="We **help**.",
        outcomes=["People recover", "People choose"],
    )
    assert alliance.slug == "living-well-alliance"
    assert alliance.visibility == Visibility.PRIVATE
    assert [o.text for o in alliance.outcomes] == ["People recover", "People choose"]
    memberships = session.scalars(select(Membership).where(Membership.alliance_id == alliance.id)).all()
    assert [(m.user_id, m.role) for m in memberships] == [(creator.id, Role.COMMISSIONER)]
    assert _actions(session, alliance) == ["alliance.created", "membership.joined"]


def test_alliance_slugs_stay_unique(session):
    creator = make_user(is_site_admin=True)
    first = services.create_alliance(session, creator, name="Youth Alliance", purpose="x", outcomes=["a"])
    second = services.create_alliance(session, creator, name="Youth  alliance!", purpose="x", outcomes=["a"])
    third = services.create_alliance(session, creator, name="☃☃", purpose="x", outcomes=["a"])
    assert first.slug == "youth-alliance"
    assert second.slug == "youth-alliance-2"
    assert third.slug == "alliance"


def test_update_alliance_records_what_changed(session):
    alliance = make_alliance(name="Old name")
    actor = alliance.memberships[0].user
    services.update_alliance(
        session, actor, alliance, name="New name", purpose=alliance.purpose,
        outcomes=["One", "Two"], visibility=Visibility.PUBLIC,
    )
    assert alliance.name == "New name"
    assert alliance.is_public
    assert [o.text for o in alliance.outcomes] == ["One", "Two"]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "alliance.updated"))
    assert entry.detail == {"changed": ["name", "shared outcomes", "visibility"]}


def test_update_alliance_without_changes_records_nothing(session):
    alliance = make_alliance()
    actor = alliance.memberships[0].user
    services.update_alliance(
        session, actor, alliance, name=alliance.name, purpose=alliance.purpose,
        outcomes=[o.text for o in alliance.outcomes], visibility=alliance.visibility,
    )
    assert "alliance.updated" not in _actions(session, alliance)


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


# Membership --------------------------------------------------------------------


def test_change_role_and_organisation(session):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    membership = add_member(alliance, role=Role.OBSERVER)
    org = make_organisation()
    services.change_role(session, commissioner, membership, role=Role.PROVIDER, organisation=org)
    assert (membership.role, membership.organisation) == (Role.PROVIDER, org)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.role_changed"))
    assert entry.detail["from"] == "observer" and entry.detail["to"] == "provider"
    with pytest.raises(DomainError):
        services.change_role(session, commissioner, membership, role=Role.PROVIDER, organisation=None)


def test_a_person_can_hold_different_roles_in_different_alliances(session):
    person = make_user()
    first, second = make_alliance(), make_alliance()
    add_member(first, person, Role.SERVICE_USER)
    add_member(second, person, Role.FACILITATOR)
    roles = {a.id: m.role for a, m in services.alliances_for(session, person)}
    assert roles == {first.id: Role.SERVICE_USER, second.id: Role.FACILITATOR}


def test_the_last_commissioner_cannot_be_demoted_removed_or_leave(session):
    alliance = make_alliance()
    only = alliance.memberships[0]
    with pytest.raises(DomainError) as raised:
        services.change_role(session, only.user, only, role=Role.OBSERVER, organisation=None)
    assert "at least one commissioner" in raised.value.message
    with pytest.raises(DomainError):
        services.remove_member(session, only.user, only)
    with pytest.raises(DomainError) as raised:
        services.leave(session, only)
    assert "only commissioner" in raised.value.message
    session.expire_all()
    assert session.get(Membership, only.id).role == Role.COMMISSIONER


def test_with_two_commissioners_one_may_step_down_or_leave(session):
    alliance = make_alliance()
    first = alliance.memberships[0]
    second = add_member(alliance, role=Role.COMMISSIONER)
    services.change_role(session, first.user, first, role=Role.OBSERVER, organisation=None)
    assert first.role == Role.OBSERVER
    with pytest.raises(DomainError):
        services.leave(session, second)
    services.leave(session, first)
    assert session.get(Membership, first.id) is None
    assert _actions(session, alliance)[-2:] == ["membership.role_changed", "membership.left"]


def test_remove_member(session):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    provider = add_member(alliance, role=Role.PROVIDER)
    services.remove_member(session, commissioner, provider)
    assert session.scalar(select(Membership).where(Membership.id == provider.id)) is None
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "membership.removed"))
    assert entry.detail == {"role": "provider"}
    assert entry.actor_id == commissioner.id


def test_members_by_role_and_member_organisations(session):
    alliance = make_alliance()
    org_b = make_organisation(name="Bravo")
    org_a = make_organisation(name="alpha")
    add_member(alliance, role=Role.PROVIDER, organisation=org_b)
    add_member(alliance, role=Role.PROVIDER, organisation=org_a)
    add_member(alliance, role=Role.SERVICE_USER)
    memberships = services.members(session, alliance)
    grouped = services.members_by_role(memberships)
    assert list(grouped) == [Role.COMMISSIONER, Role.PROVIDER, Role.SERVICE_USER]
    assert [o.name for o in services.member_organisations(session, alliance)] == ["alpha", "Bravo"]


def test_people_preview_counts_everyone_and_names_the_first_few(session):
    alliance = make_alliance()
    for name in ["Zed", "amy", "Bo", "Cy"]:
        add_member(alliance, make_user(display_name=name), Role.SERVICE_USER)
    preview = services.people_preview(session, alliance, per_role=3)
    assert [g.role for g in preview] == [Role.COMMISSIONER, Role.SERVICE_USER]
    users = preview[1]
    assert users.count == 4
    assert [m.user.display_name for m in users.first] == ["amy", "Bo", "Cy"]
    assert users.more == 1


def test_public_alliances_leave_out_my_own(session):
    mine = make_alliance(visibility=Visibility.PUBLIC)
    other = make_alliance(visibility=Visibility.PUBLIC)
    make_alliance(visibility=Visibility.PRIVATE)
    me = mine.memberships[0].user
    listed = services.public_alliances(session, exclude_user=me)
    assert other in listed and mine not in listed
