"""Consent: each seat agrees, stands aside or objects; a proposal is carried when every seat
has responded and no one objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.agreements import links
from collab.agreements.models import Proposal, ProposalResponse, ProposalStatus, ResponseKind
from collab.agreements.services.proposals import apply_proposal, close_proposal, response_action
from collab.agreements.services.seats import Seat, seat_for, seats
from collab.db import utcnow
from collab.errors import DomainError, NotAllowed
from collab.notifications.services import notify, resolve
from collab.timezone import today_in_london


@dataclass
class ConsentState:
    seats: list[Seat]
    #: seat key -> the seat's response to the current revision
    responses: dict[str, ProposalResponse]

    @property
    def waiting(self) -> list[Seat]:
        return [s for s in self.seats if s.key not in self.responses]

    @property
    def objections(self) -> list[ProposalResponse]:
        keys = {s.key for s in self.seats}
        return [r for k, r in self.responses.items() if k in keys and r.response == ResponseKind.OBJECT]

    @property
    def carried(self) -> bool:
        return bool(self.seats) and not self.waiting and not self.objections

    def count(self, kind: ResponseKind) -> int:
        keys = {s.key for s in self.seats}
        return sum(1 for k, r in self.responses.items() if k in keys and r.response == kind)


def consent_state(session: Session, proposal: Proposal) -> ConsentState:
    """Every seat and its response to the proposal's current revision (a fixed number of queries)."""
    current = session.scalars(
        select(ProposalResponse)
        .where(ProposalResponse.proposal_id == proposal.id, ProposalResponse.revision == proposal.revision)
        .options(selectinload(ProposalResponse.responder), selectinload(ProposalResponse.organisation))
    ).all()
    return ConsentState(seats(session, proposal.alliance), {r.seat_key: r for r in current})


def respond(
    session: Session,
    actor: User,
    proposal: Proposal,
    *,
    response: ResponseKind | str,
    reason: str = "",
    today: date | None = None,
    url: str | None = None,
) -> ProposalResponse:
    """Record (or change) the response of the actor's seat; carry the proposal if that settles it.

    ``url`` is the proposal's page for the notifications (the route passes it).
    """
    if not proposal.is_open:
        raise DomainError("This proposal is closed, so responses can no longer change")
    if (today or today_in_london()) > proposal.closes_on:
        raise DomainError("The closing date for this proposal has passed. Ask a commissioner what happens next.")
    try:
        kind = ResponseKind(response)
    except ValueError:
        raise DomainError("Choose agree, stand aside or object", field="response") from None
    reason = (reason or "").strip()
    if kind == ResponseKind.OBJECT and not reason:
        raise DomainError("Say why you object, so the alliance can look for a better answer", field="reason")
    if kind == ResponseKind.STAND_ASIDE and not reason:
        raise DomainError("Say why you are standing aside", field="reason")
    if len(reason) > 5000:
        raise DomainError("The reason must be 5,000 characters or fewer", field="reason")
    seat = seat_for(session, proposal.alliance, actor)
    if seat is None:
        raise NotAllowed("You do not hold a seat that responds to proposals")
    now = utcnow()
    url = url or links.proposal_url(proposal)

    def existing() -> ProposalResponse | None:
        return session.scalar(
            select(ProposalResponse).where(
                ProposalResponse.proposal_id == proposal.id,
                ProposalResponse.revision == proposal.revision,
                ProposalResponse.seat_key == seat.key,
            )
        )

    row = existing()
    previous = row.response if row is not None else None
    if row is None:
        try:
            with session.begin_nested():
                row = ProposalResponse(
                    proposal_id=proposal.id, revision=proposal.revision, seat_key=seat.key,
                    organisation_id=seat.organisation.id if seat.organisation else None,
                    responder_id=actor.id, response=kind, reason=reason, created_at=now, updated_at=now,
                )
                session.add(row)
        except IntegrityError:  # someone else answered for the same seat at the same moment
            row = existing()
            assert row is not None
            previous = row.response
    if row.responder_id != actor.id or row.response != kind or row.reason != reason:
        row.responder_id, row.response, row.reason, row.updated_at = actor.id, kind, reason, now
    session.flush()
    # Whoever answered for the seat, nobody else there needs to be asked any more.
    resolve(session, response_action(proposal, seat.key))
    audit.record(
        session, actor, "proposal.responded", proposal, alliance=proposal.alliance, label=proposal.heading,
        detail={
            "seat": seat.label, "response": kind.value, "reason": reason,
            "previous": previous.value if previous else None, "revision": proposal.revision,
        },
    )
    if kind == ResponseKind.OBJECT and proposal.proposer is not None and proposal.proposer_id != actor.id:
        notify(
            session, [proposal.proposer], "agreement_proposal_outcome",
            f"{seat.label} objected to your proposal: {proposal.heading}",
            body=f"Their reason: {reason}. You can revise the proposal, which clears all responses.",
            url=url, alliance=proposal.alliance,
        )
    if consent_state(session, proposal).carried:
        _carry(session, actor, proposal, url)
    return row


def _carry(session: Session, actor: User, proposal: Proposal, url: str) -> None:
    # The accepted text is the proposer's, so the clause history names them.
    clause = apply_proposal(session, proposal.proposer or actor, proposal)
    proposal.applied = True
    close_proposal(session, None, proposal, ProposalStatus.CARRIED, None)
    state = consent_state(session, proposal)
    audit.record(
        session, None, "proposal.carried", proposal, alliance=proposal.alliance, label=proposal.heading,
        detail={
            "clause_id": clause.id,
            "agree": state.count(ResponseKind.AGREE),
            "stand_aside": state.count(ResponseKind.STAND_ASIDE),
            "revision": proposal.revision,
        },
    )
    if proposal.proposer is not None:
        notify(
            session, [proposal.proposer], "agreement_proposal_outcome",
            f"Your proposal was carried: {proposal.heading}",
            body="Every seat responded and no one objected, so the new text is now in the agreement.",
            url=url, alliance=proposal.alliance,
        )


def participant_summary(state: ConsentState) -> dict[str, Any]:
    """How many seats agreed, stood aside, objected or have not responded yet."""
    return {
        "agree": state.count(ResponseKind.AGREE),
        "stand_aside": state.count(ResponseKind.STAND_ASIDE),
        "object": state.count(ResponseKind.OBJECT),
        "waiting": len(state.waiting),
        "seats": len(state.seats),
    }
