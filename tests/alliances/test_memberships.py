"""Membership: roles, removing someone, leaving, who is shown (rules, then pages)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.alliances import services
from collab.alliances.models import Membership, Role
from collab.audit import AuditEntry
from collab.errors import DomainError
from tests.factories import add_member, login_as, make_alliance, make_organisation, make_user


def _actions(session, alliance) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action).where(AuditEntry.alliance_id == alliance.id).order_by(AuditEntry.id)
        )
    )


def text(response) -> str:
    return response.get_data(as_text=True)


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


# Members -------------------------------------------------------------------------


def test_commissioner_changes_a_role(client, session):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    observer = add_member(alliance, make_user(display_name="Olu"), Role.OBSERVER)
    login_as(client, commissioner)
    response = client.post(
        f"/alliances/{alliance.slug}/members/{observer.id}/role",
        data={"role": "facilitator", "organisation_id": ""},
    )
    assert response.status_code == 303
    page = text(client.get(f"/alliances/{alliance.slug}/members"))
    assert "Olu is now a facilitator." in page
    session.expire_all()
    assert session.get(Membership, observer.id).role == Role.FACILITATOR
    assert "changed Olu&#39;s role from observer to facilitator" in text(client.get(f"/alliances/{alliance.slug}/activity"))


def test_provider_role_without_an_organisation_is_refused_with_a_message(client, session):
    alliance = make_alliance()
    observer = add_member(alliance, make_user(display_name="Olu"), Role.OBSERVER)
    login_as(client, alliance.memberships[0].user)
    response = client.post(
        f"/alliances/{alliance.slug}/members/{observer.id}/role", data={"role": "provider", "organisation_id": ""}
    )
    assert response.status_code == 422
    body = text(response)
    assert "There is a problem" in body
    assert f'<a href="#member-{observer.id}">Select the organisation this provider represents</a>' in body
    session.expire_all()
    assert session.get(Membership, observer.id).role == Role.OBSERVER


def test_nonsense_role_is_refused(client, session):
    alliance = make_alliance()
    observer = add_member(alliance, role=Role.OBSERVER)
    login_as(client, alliance.memberships[0].user)
    response = client.post(
        f"/alliances/{alliance.slug}/members/{observer.id}/role", data={"role": "emperor", "organisation_id": "x"}
    )
    assert response.status_code == 422
    assert "There is a problem" in text(response)


def test_the_last_commissioner_cannot_step_down_or_be_removed(client, session):
    alliance = make_alliance()
    only = alliance.memberships[0]
    login_as(client, only.user)
    demote = client.post(f"/alliances/{alliance.slug}/members/{only.id}/role", data={"role": "observer"})
    assert demote.status_code == 422
    assert "An alliance must always have at least one commissioner" in text(demote)
    remove = client.post(f"/alliances/{alliance.slug}/members/{only.id}/remove")
    assert remove.status_code == 422
    assert "An alliance must always have at least one commissioner" in text(remove)
    leave = client.post(f"/alliances/{alliance.slug}/leave")
    assert leave.status_code == 422
    assert "You are the only commissioner" in text(leave)
    session.expire_all()
    assert session.get(Membership, only.id).role == Role.COMMISSIONER


def test_commissioner_removes_a_member_who_then_cannot_see_the_alliance(client, session):
    alliance = make_alliance()
    provider = add_member(alliance, make_user(display_name="Pat"), Role.PROVIDER)
    provider_user = provider.user
    login_as(client, alliance.memberships[0].user)
    response = client.post(f"/alliances/{alliance.slug}/members/{provider.id}/remove")
    assert response.status_code == 303
    assert "Pat has been removed from the alliance." in text(client.get(response.headers["Location"]))
    login_as(client, provider_user)
    assert client.get(f"/alliances/{alliance.slug}").status_code == 404


def test_a_member_leaves(client, session):
    alliance = make_alliance(name="Leaving Alliance")
    member = add_member(alliance, role=Role.SERVICE_USER).user
    login_as(client, member)
    assert "Are you sure you want to leave Leaving Alliance?" in text(client.get(f"/alliances/{alliance.slug}/leave"))
    response = client.post(f"/alliances/{alliance.slug}/leave")
    assert response.status_code == 303
    assert response.headers["Location"] == "/alliances"
    assert "You have left Leaving Alliance." in text(client.get("/alliances"))
    assert client.get(f"/alliances/{alliance.slug}").status_code == 404
