"""Agreement rules: drafting, optimistic locking, consent, versions, signatures, verification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from collab.agreements import services
from collab.agreements.models import (
    Clause,
    ClauseRevision,
    ImmutableRecord,
    ProposalStatus,
    RevisionSource,
)
from collab.agreements.template import STARTER_CLAUSES
from collab.alliances.models import Role
from collab.audit import AuditEntry
from collab.db import utcnow
from collab.documents.canonical import sha256_hex
from collab.documents.locking import EditConflict
from collab.errors import Conflict, DomainError, NotAllowed
from collab.notifications.models import Notification
from tests.agreements.helpers import first_clause, make_cast, propose_change, publish_and_sign_all, soon, start
from tests.databases import allow_tampering
from tests.factories import PASSWORD, add_member, enable_two_step, make_organisation, make_user

# Starting and drafting ------------------------------------------------------------------------


def test_start_from_template_gives_the_twelve_starter_clauses_with_history(session):
    cast = make_cast()
    agreement = start(cast)
    clauses = services.active_clauses(session, agreement)
    assert [c.heading for c in clauses] == [heading for heading, _ in STARTER_CLAUSES]
    assert len(clauses) == 12
    assert session.scalar(select(func.count(ClauseRevision.id)).join(Clause).where(Clause.agreement_id == agreement.id)) == 12
    assert agreement.drafting


def test_start_blank_and_only_once(session):
    cast = make_cast()
    agreement = start(cast, template=False)
    assert services.active_clauses(session, agreement) == []
    with pytest.raises(Conflict):
        start(cast)


def test_starter_text_is_short_and_plain():
    from collab.specs.readability import score  # the specs area's offline scorer

    for heading, body in STARTER_CLAUSES:
        result = score(body)
        assert result.passes, (heading, result.reasons())


def test_edit_records_a_revision_and_bumps_the_lock_version(session):
    cast = make_cast()
    clause = first_clause(start(cast))
    saved = services.edit_clause(session, cast.provider_a, clause, heading="Purpose", body="Wholly different text.", lock_version=1)
    assert saved.lock_version == 2 and saved.body == "Wholly different text."
    revisions = services.clause_history(session, saved)
    assert [(r.lock_version, r.source, r.author_id) for r in revisions] == [
        (2, RevisionSource.EDIT, cast.provider_a.id),
        (1, RevisionSource.CREATED, cast.commissioner.id),
    ]
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "clause.edited"))
    assert entry.detail["added_words"] == 3


def test_a_stale_edit_is_refused_with_the_current_text_and_nothing_is_lost(session):
    cast = make_cast()
    clause = first_clause(start(cast))
    services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body="First saver's text", lock_version=1)
    with pytest.raises(EditConflict) as caught:
        services.edit_clause(session, cast.provider_b, clause, heading=clause.heading, body="Second saver's text", lock_version=1)
    assert caught.value.current.body == "First saver's text"
    assert caught.value.status == 409
    session.refresh(clause)
    assert clause.body == "First saver's text" and clause.lock_version == 2


def test_add_move_and_retire_clauses(session):
    cast = make_cast()
    agreement = start(cast, template=False)
    a = services.add_clause(session, cast.commissioner, agreement, heading="A", body="Text A")
    b = services.add_clause(session, cast.provider_a, agreement, heading="B", body="Text B")
    c = services.add_clause(session, cast.facilitator, agreement, heading="C", body="Text C")
    assert services.move_clause(session, cast.commissioner, c, "up")
    assert [x.heading for x in services.active_clauses(session, agreement)] == ["A", "C", "B"]
    assert not services.move_clause(session, cast.commissioner, a, "up")  # already first
    services.retire_clause(session, cast.commissioner, a)
    assert [x.heading for x in services.active_clauses(session, agreement)] == ["C", "B"]
    assert services.clause_number(session, b) == 2
    with pytest.raises(DomainError):
        services.edit_clause(session, cast.commissioner, a, heading="A", body="again", lock_version=a.lock_version)
    with pytest.raises(DomainError):
        services.add_clause(session, cast.commissioner, agreement, heading="", body="x")


def test_no_direct_edits_after_publishing_until_drafting_reopens(session):
    cast = make_cast()
    agreement = start(cast)
    services.publish(session, cast.commissioner, agreement)
    clause = first_clause(agreement)
    with pytest.raises(DomainError, match="not open for drafting"):
        services.edit_clause(session, cast.provider_a, clause, heading="x", body="y", lock_version=clause.lock_version)
    services.open_drafting(session, cast.commissioner, agreement)
    services.edit_clause(session, cast.provider_a, clause, heading="x", body="y", lock_version=clause.lock_version)


# Seats and consent -----------------------------------------------------------------------------


def test_one_seat_per_organisation_and_per_service_user(session):
    cast = make_cast()
    # A second person for charity A shares its seat; facilitators and observers hold none.
    second = add_member(cast.alliance, make_user(), Role.PROVIDER, cast.org_a).user
    seats = services.seats(session, cast.alliance)
    keys = {s.key for s in seats}
    assert keys == {f"org:{cast.council.id}", f"org:{cast.org_a.id}", f"org:{cast.org_b.id}", f"person:{cast.service_user.id}"}
    seat_a = next(s for s in seats if s.key == f"org:{cast.org_a.id}")
    assert {u.id for u in seat_a.people} == {cast.provider_a.id, second.id}
    assert services.seat_for(session, cast.alliance, cast.facilitator) is None


def test_carried_only_when_every_seat_responds_and_no_one_objects(session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    proposal = propose_change(cast, agreement, clause)
    services.respond(session, cast.commissioner, proposal, response="agree")
    services.respond(session, cast.provider_a, proposal, response="agree")
    services.respond(session, cast.service_user, proposal, response="stand_aside", reason="Not sure, but fine")
    assert proposal.is_open, "one seat has not responded"
    assert [s.label for s in services.consent_state(session, proposal).waiting] == [cast.org_b.name]
    services.respond(session, cast.provider_b, proposal, response="agree")
    assert proposal.status == ProposalStatus.CARRIED
    session.refresh(clause)
    assert clause.body == proposal.body
    last = services.clause_history(session, clause)[0]
    assert last.source == RevisionSource.PROPOSAL and last.proposal_id == proposal.id
    assert last.author_id == cast.provider_a.id


def test_an_objection_keeps_it_open_until_withdrawn(session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement))
    services.respond(session, cast.provider_b, proposal, response="object", reason="Too often")
    for user in (cast.commissioner, cast.provider_a, cast.service_user):
        services.respond(session, user, proposal, response="agree")
    assert proposal.is_open
    # Anyone from the same organisation may answer for its seat, and change the answer.
    services.respond(session, cast.provider_b, proposal, response="agree")
    assert proposal.status == ProposalStatus.CARRIED


def test_objecting_and_standing_aside_need_a_reason(session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement))
    with pytest.raises(DomainError, match="why you object"):
        services.respond(session, cast.provider_b, proposal, response="object", reason=" ")
    with pytest.raises(DomainError, match="standing aside"):
        services.respond(session, cast.provider_b, proposal, response="stand_aside")
    with pytest.raises(DomainError):
        services.respond(session, cast.provider_b, proposal, response="maybe")


def test_people_without_a_seat_cannot_respond(session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement))
    with pytest.raises(NotAllowed):
        services.respond(session, cast.facilitator, proposal, response="agree")


def test_revision_resets_every_response(session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    proposal = propose_change(cast, agreement, clause)
    services.respond(session, cast.provider_b, proposal, response="object", reason="Too often")
    services.respond(session, cast.commissioner, proposal, response="agree")
    with pytest.raises(NotAllowed):
        services.revise_proposal(session, cast.provider_b, proposal, heading=clause.heading, body="x", reason="y", closes_on=soon())
    services.revise_proposal(
        session, cast.provider_a, proposal, heading=clause.heading, body=clause.body + "\n\nWe meet every two months.",
        reason="A compromise", closes_on=soon(),
    )
    state = services.consent_state(session, proposal)
    assert proposal.revision == 2 and state.responses == {} and len(state.waiting) == 4
    for user in (cast.commissioner, cast.provider_a, cast.provider_b, cast.service_user):
        services.respond(session, user, proposal, response="agree")
    assert proposal.status == ProposalStatus.CARRIED
    assert "every two months" in clause.body


def test_reserved_power_needs_a_reason_and_is_recorded(session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    proposal = propose_change(cast, agreement, clause)
    with pytest.raises(DomainError, match="reason"):
        services.decide_reserved(session, cast.commissioner, proposal, apply=True, reason="  ")
    assert proposal.is_open
    services.decide_reserved(session, cast.commissioner, proposal, apply=True, reason="The budget envelope is fixed")
    assert proposal.status == ProposalStatus.RESERVED and proposal.applied
    assert clause.body == proposal.body
    with pytest.raises(DomainError):
        services.respond(session, cast.provider_b, proposal, response="agree")


def test_closing_date_and_validation(session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    with pytest.raises(DomainError, match="closing date"):
        services.propose(session, cast.provider_a, agreement, clause=clause, heading="x", body="y", reason="z",
                         closes_on=utcnow().date() - timedelta(days=1))
    with pytest.raises(DomainError, match="same as the current"):
        services.propose(session, cast.provider_a, agreement, clause=clause, heading=clause.heading, body=clause.body,
                         reason="z", closes_on=soon())
    proposal = propose_change(cast, agreement, clause)
    with pytest.raises(DomainError, match="closing date"):
        services.respond(session, cast.provider_b, proposal, response="agree", today=proposal.closes_on + timedelta(days=1))


def test_new_clause_proposal_adds_a_clause_when_carried(session):
    cast = make_cast()
    agreement = start(cast)
    proposal = services.propose(session, cast.service_user, agreement, clause=None, heading="Paying people for their time",
                                body="We pay people who use services for the time they give.", reason="Fairness", closes_on=soon())
    for user in cast.seat_holders:
        services.respond(session, user, proposal, response="agree")
    clauses = services.active_clauses(session, agreement)
    assert clauses[-1].heading == "Paying people for their time" and proposal.clause_id == clauses[-1].id


def test_the_register_lists_every_decision_with_its_responses(session):
    cast = make_cast()
    agreement = start(cast)
    clauses = services.active_clauses(session, agreement)
    carried = propose_change(cast, agreement, clauses[0])
    for user in cast.seat_holders:
        services.respond(session, user, carried, response="agree")
    withdrawn = propose_change(cast, agreement, clauses[1])
    services.withdraw_proposal(session, cast.commissioner, withdrawn, "Overtaken by events")
    reserved = propose_change(cast, agreement, clauses[2])
    services.respond(session, cast.provider_b, reserved, response="object", reason="No")
    services.decide_reserved(session, cast.commissioner, reserved, apply=False, reason="Budget")
    still_open = propose_change(cast, agreement, clauses[3])
    register = services.decisions(session, agreement)
    assert {p.id for p in register} == {carried.id, withdrawn.id, reserved.id}
    assert still_open.id not in {p.id for p in register}
    assert len(next(p for p in register if p.id == carried.id).current_responses()) == 4
    assert next(p for p in register if p.id == reserved.id).current_responses()[0].reason == "No"


def test_proposals_notify_every_seat_but_the_proposer(session):
    cast = make_cast()
    agreement = start(cast)
    propose_change(cast, agreement, first_clause(agreement))
    told = set(session.scalars(select(Notification.user_id).where(Notification.kind == "agreement_response_needed")))
    assert told == {cast.commissioner.id, cast.provider_b.id, cast.service_user.id}


# Versions, signatures, verification ------------------------------------------------------------


def test_publish_freezes_a_canonical_text_and_its_hash(session):
    cast = make_cast()
    agreement = start(cast)
    version = services.publish(session, cast.commissioner, agreement)
    assert version.number == 1 and not agreement.drafting
    assert version.sha256 == sha256_hex(version.canonical_text)
    assert version.canonical_text.startswith(f"# {cast.alliance.name} agreement\n\nAlliance: {cast.alliance.name}\nVersion: 1\nReference: {version.reference}\n\n## 1. Purpose and shared outcomes\n")
    assert len(version.clauses) == 12
    with pytest.raises(DomainError, match="Nothing has changed"):
        services.publish(session, cast.commissioner, agreement)
    services.open_drafting(session, cast.commissioner, agreement)
    clause = first_clause(agreement)
    services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body="New words", lock_version=clause.lock_version)
    second = services.publish(session, cast.commissioner, agreement)
    assert second.number == 2 and second.sha256 != version.sha256
    rows = services.compare_versions(version, second)
    assert [r.status for r in rows].count("changed") == 1 and rows[0].status == "changed"


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


def test_verification_passes_then_fails_when_text_or_a_signature_is_tampered_with(session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    assert services.verify_version(session, version).ok
    assert not [p for p in services.verify_all(session) if cast.alliance.name in p]

    session.execute(text("UPDATE agreement_version SET canonical_text = replace(canonical_text, 'equal say', 'bigger say') WHERE id = :id"), {"id": version.id})
    session.expire_all()
    check = services.verify_version(session, version)
    assert not check.ok
    assert "the stored text no longer matches the published SHA-256" in check.problems

    # Even rewriting the hash to fit is caught: the audit trail recorded the published hash.
    session.execute(text("UPDATE agreement_version SET sha256 = :h WHERE id = :id"),
                    {"h": sha256_hex(version.canonical_text), "id": version.id})
    session.expire_all()
    problems = services.verify_version(session, version).all_problems
    assert any("audit trail" in p for p in problems)
    assert any("different SHA-256" in p for p in problems)


def test_tampering_with_a_signature_row_is_found(session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    target = version.signatures[1]
    allow_tampering(session)
    session.execute(text("UPDATE signature SET typed_name = 'Mallory' WHERE id = :id"), {"id": target.id})
    session.expire_all()
    check = services.verify_version(session, version)
    assert not check.ok
    bad = [c for c in check.signatures if not c.ok]
    assert [c.signature.id for c in bad] == [target.id]
    assert any(target.organisation_name in p for p in services.verify_all(session))


def test_find_by_hash(session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    assert [v.id for v in services.find_by_hash(session, version.sha256)] == [version.id]
    assert services.find_by_hash(session, "0" * 64) == []


def test_every_step_is_in_the_audit_trail_with_a_readable_sentence(session):
    from collab.audit import describe

    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body="Changed", lock_version=1)
    proposal = propose_change(cast, agreement, clause)
    services.respond(session, cast.provider_b, proposal, response="object", reason="No")
    services.decide_reserved(session, cast.commissioner, proposal, apply=False, reason="Budget")
    version = publish_and_sign_all(cast, agreement)
    services.record_export(session, cast.provider_a, version, "pdf")
    entries = session.scalars(select(AuditEntry).where(AuditEntry.alliance_id == cast.alliance.id).order_by(AuditEntry.id)).all()
    actions = [e.action for e in entries]
    for action in ("agreement.started", "clause.edited", "proposal.made", "proposal.responded",
                   "proposal.reserved_decision", "agreement.published", "agreement.signed", "agreement.in_force",
                   "agreement.exported"):
        assert action in actions
    sentences = [describe(e) for e in entries]
    assert "Ann Provider changed the clause “Purpose and shared outcomes”" in sentences
    assert f"Ben Provider (for {cast.org_b.name}) objected to the proposal “Purpose and shared outcomes”" in sentences
    assert "Ann Provider downloaded version 1 as PDF" in sentences


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
