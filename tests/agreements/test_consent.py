"""Consent: responses from every seat, objections, and carrying a proposal."""

from __future__ import annotations

import pytest

from collab.agreements import services
from collab.agreements.models import ProposalStatus, RevisionSource
from collab.errors import DomainError, NotAllowed
from tests.agreements.helpers import first_clause, make_cast, propose_change, soon, start


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
