"""Signing rules: one signature per organisation, coming into force, accession, two-step sign-in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collab.agreements import services
from collab.agreements.models import ImmutableRecord
from collab.alliances.models import Role
from collab.errors import DomainError, NotAllowed
from collab.notifications.models import Notification
from tests.agreements.helpers import first_clause, make_cast, publish_and_sign_all, start
from tests.factories import PASSWORD, add_member, enable_two_step, make_organisation, make_user


def test_signing_until_in_force_then_accession(session):
    cast = make_cast()
    agreement = start(cast)
    version = services.publish(session, cast.commissioner, agreement)
    with pytest.raises(DomainError, match="password"):
        services.sign(session, cast.provider_a, version, password="wrong", typed_name="Ann Provider", confirmed=True)
    with pytest.raises(DomainError, match="Tick"):
        services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Ann Provider", confirmed=False)
    with pytest.raises(NotAllowed):
        services.sign(session, cast.service_user, version, password=PASSWORD, typed_name="Cleo", confirmed=True)
    first = services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Ann Provider",
                          confirmed=True, ip_address="203.0.113.9", user_agent="Test browser")
    assert first.statement == (
        f"I sign version 1 of the {cast.alliance.name} agreement on behalf of {cast.org_a.name}, "
        f"whose SHA-256 is {version.sha256}."
    )
    assert first.record_hash == first.compute_hash() and first.version_sha256 == version.sha256
    assert first.role == Role.PROVIDER and first.ip_address == "203.0.113.9" and not first.is_accession
    with pytest.raises(services.AlreadySigned):
        services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Ann Provider", confirmed=True)
    status = services.signature_status(session, version)
    assert (status.k, status.n) == (1, 3)
    assert services.signature_count(session, version) == services.SignatureCount(k=1, n=3)
    services.sign(session, cast.commissioner, version, password=PASSWORD, typed_name="Cara Commissioner", confirmed=True)
    assert version.in_force_at is None
    services.sign(session, cast.provider_b, version, password=PASSWORD, typed_name="Ben Provider", confirmed=True)
    assert version.in_force_at is not None
    assert services.version_in_force(session, agreement).id == version.id
    # A new organisation joins later and signs the version in force: an accession.
    newcomer_org = make_organisation(name="Newcomer CIC")
    newcomer = add_member(cast.alliance, make_user(display_name="New Person"), Role.PROVIDER, newcomer_org).user
    enable_two_step(newcomer)
    joined = services.sign(session, newcomer, version, password=PASSWORD, typed_name="New Person", confirmed=True)
    assert joined.is_accession
    status = services.signature_status(session, version)
    assert services.signature_count(session, version) == services.SignatureCount(k=status.k, n=status.n) == (
        services.SignatureCount(k=4, n=4))


def test_the_count_of_signatures_is_per_organisation_and_only_of_members(session):
    """The "k of n" the agreement page prints, counted by the database, agrees with the full status."""
    cast = make_cast()
    agreement = start(cast)
    version = services.publish(session, cast.commissioner, agreement)
    # A second person for provider A's organisation: still one organisation to sign.
    add_member(cast.alliance, make_user(display_name="Second Provider"), Role.PROVIDER, cast.org_a)
    # A service user and an observer do not sign for an organisation.
    add_member(cast.alliance, make_user(display_name="Olive Observer"), Role.OBSERVER)
    services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Ann Provider", confirmed=True)
    status = services.signature_status(session, version)
    assert (status.k, status.n) == (1, 3)
    assert services.signature_count(session, version) == services.SignatureCount(k=1, n=3)
    assert not services.signature_count(session, version).complete


def test_an_organisation_that_joins_later_is_asked_to_sign_the_version_in_force(session):
    from collab.alliances import services as alliances

    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    newcomer_org = make_organisation(name="Late Joiners CIC")
    invitation, _token = alliances.invite(
        session, cast.commissioner, cast.alliance, email="late@example.org", role=Role.PROVIDER,
        organisation=newcomer_org,
    )
    newcomer = make_user(email="late@example.org")
    alliances.accept_invitation(session, invitation, newcomer)
    asked = session.scalars(
        select(Notification).where(
            Notification.user_id == newcomer.id, Notification.kind == "agreement_signature_needed"
        )
    ).all()
    assert [n.title for n in asked] == [
        f"Sign version {version.number} of the {cast.alliance.name} agreement to join it"
    ]
    # Someone joining for an organisation that has already signed is not asked again.
    second = add_member(cast.alliance, make_user(), Role.SERVICE_USER).user
    invitation, _token = alliances.invite(
        session, cast.commissioner, cast.alliance, email="colleague@example.org", role=Role.PROVIDER,
        organisation=cast.org_a,
    )
    colleague = make_user(email="colleague@example.org")
    alliances.accept_invitation(session, invitation, colleague)
    assert session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id.in_([colleague.id, second.id]))
    ) == 0


def test_signatures_cannot_be_changed_or_deleted_through_the_orm(session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    signature = version.signatures[0]
    signature.typed_name = "Someone else"
    with pytest.raises(ImmutableRecord):
        session.flush()
    session.rollback()


def test_a_later_version_replaces_the_earlier_one_for_signing(session):
    cast = make_cast()
    agreement = start(cast)
    v1 = publish_and_sign_all(cast, agreement)
    services.open_drafting(session, cast.commissioner, agreement)
    clause = first_clause(agreement)
    services.edit_clause(session, cast.provider_a, clause, heading="x", body="y", lock_version=clause.lock_version)
    v2 = services.publish(session, cast.commissioner, agreement)
    assert services.version_in_force(session, agreement).id == v1.id  # until v2 is signed by all
    services.open_drafting(session, cast.commissioner, agreement)
    services.edit_clause(session, cast.provider_a, clause, heading="x", body="z", lock_version=clause.lock_version)
    services.publish(session, cast.commissioner, agreement)  # v3
    with pytest.raises(DomainError, match="replaced"):
        services.sign(session, cast.provider_a, v2, password=PASSWORD, typed_name="Ann Provider", confirmed=True)


def test_signing_for_an_organisation_needs_two_step_sign_in(session):
    """Issue 7: a password alone is not enough to sign on an organisation's behalf."""
    from collab.accounts import two_step

    cast = make_cast()
    version = services.publish(session, cast.commissioner, start(cast))
    two_step.disable(session, cast.provider_a)
    with pytest.raises(services.TwoStepRequired, match=f"Turn on two-step sign-in before you sign for {cast.org_a.name}"):
        services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Ann", confirmed=True)
    # The demo seed may sign without it.
    signature = services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Ann Provider",
                              confirmed=True, require_two_step=False)
    assert signature.organisation_id == cast.org_a.id
