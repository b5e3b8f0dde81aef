"""Proposal rules: reserved-power decisions, closing dates, new clauses, the decision register, notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.agreements import services
from collab.agreements.models import ProposalStatus
from collab.db import utcnow
from collab.errors import DomainError
from collab.notifications.models import Notification
from tests.agreements.helpers import first_clause, make_cast, propose_change, soon, start


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
