"""Proposals: proposing and revising a change, withdrawing it or deciding it under reserved
powers, the lists of proposals and the decision register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.agreements import links
from collab.agreements.models import (
    Agreement,
    Clause,
    ClauseRevision,
    Proposal,
    ProposalKind,
    ProposalResponse,
    ProposalStatus,
    ResponseKind,
    RevisionSource,
)
from collab.agreements.services._common import check_text, new_clause, next_position
from collab.agreements.services.seats import seats
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.documents.locking import EditConflict, save_if_unchanged
from collab.errors import Conflict, DomainError, NotAllowed
from collab.notifications.services import notify, resolve
from collab.timezone import today_in_london


def _check_proposal(
    heading: str, body: str, reason: str, closes_on: date | None, today: date
) -> tuple[str, str, str, date]:
    heading, body = check_text(heading, body)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why you want this change", field="reason")
    if len(reason) > 5000:
        raise DomainError("The reason must be 5,000 characters or fewer", field="reason")
    if closes_on is None:
        raise DomainError("Enter a closing date", field="closes_on")
    if closes_on < today:
        raise DomainError("The closing date must be today or in the future", field="closes_on")
    return heading, body, reason, closes_on


def _seat_people(session: Session, alliance: Alliance) -> tuple[list[User], dict[int, str]]:
    """Everyone who answers for a seat, and each one's seat key."""
    people, keys = [], {}
    for seat in seats(session, alliance):
        for person in seat.people:
            people.append(person)
            keys[person.id] = seat.key
    return people, keys


def response_action(proposal: Proposal, seat_key: str) -> str:
    """The action key of "your seat's response is needed" (settled when anyone answers for the seat)."""
    return f"proposal:{proposal.id}:seat:{seat_key}"


def _ask_seats(session: Session, actor: User, proposal: Proposal, title: str, body: str, url: str) -> None:
    people, keys = _seat_people(session, proposal.agreement.alliance)
    notify(
        session, people, "agreement_response_needed", title, body=body, url=url,
        alliance=proposal.agreement.alliance, exclude=actor,
        action_key=lambda person: response_action(proposal, keys[person.id]),
    )


def propose(
    session: Session,
    actor: User,
    agreement: Agreement,
    *,
    clause: Clause | None,
    heading: str,
    body: str,
    reason: str,
    closes_on: date | None,
    today: date | None = None,
) -> Proposal:
    """Propose a change to a clause (or a new clause when ``clause`` is None)."""
    heading, body, reason, closes_on = _check_proposal(heading, body, reason, closes_on, today or today_in_london())
    if clause is not None:
        if clause.agreement_id != agreement.id or clause.is_retired:
            raise DomainError("You can only propose changes to a clause that is in the agreement")
        if clause.heading == heading and clause.body.strip() == body:
            raise DomainError("Your proposal is the same as the current text. Change the text first.", field="body")
    proposal = Proposal(
        agreement_id=agreement.id,
        kind=ProposalKind.AMEND if clause is not None else ProposalKind.NEW_CLAUSE,
        clause_id=clause.id if clause is not None else None,
        heading=heading,
        body=body,
        reason=reason,
        base_heading=clause.heading if clause is not None else "",
        base_body=clause.body if clause is not None else "",
        closes_on=closes_on,
        status=ProposalStatus.OPEN,
        revision=1,
        proposer_id=actor.id,
        created_at=utcnow(),
    )
    session.add(proposal)
    session.flush()
    proposal.agreement = agreement
    audit.record(
        session, actor, "proposal.made", proposal, alliance=agreement.alliance, label=heading,
        detail={"kind": proposal.kind.value, "clause_id": proposal.clause_id, "closes_on": closes_on.isoformat()},
    )
    _ask_seats(
        session, actor, proposal, f"Your response is needed: {heading}",
        f"{actor.display_name} proposed a change to the agreement. Please agree, stand aside or object "
        f"by {closes_on.day} {closes_on:%B %Y}.",
        links.proposal_url(proposal),
    )
    return proposal


def revise_proposal(
    session: Session,
    actor: User,
    proposal: Proposal,
    *,
    heading: str,
    body: str,
    reason: str,
    closes_on: date | None,
    today: date | None = None,
    url: str | None = None,
) -> Proposal:
    """The proposer changes their proposal; every seat must respond again.

    ``url`` is the proposal's page for the notifications (the route passes it).
    """
    if not proposal.is_open:
        raise DomainError("This proposal is closed, so it cannot be changed")
    if proposal.proposer_id != actor.id:
        raise NotAllowed("Only the person who made the proposal can change it")
    heading, body, reason, closes_on = _check_proposal(heading, body, reason, closes_on, today or today_in_london())
    clause = proposal.clause
    proposal.heading, proposal.body, proposal.reason, proposal.closes_on = heading, body, reason, closes_on
    if clause is not None:
        proposal.base_heading, proposal.base_body = clause.heading, clause.body
    proposal.revision += 1
    session.flush()
    audit.record(
        session, actor, "proposal.revised", proposal, alliance=proposal.alliance, label=heading,
        detail={"revision": proposal.revision},
    )
    # The earlier requests are answered or out of date: each seat is asked again below.
    resolve(session, f"proposal:{proposal.id}:", prefix=True)
    _ask_seats(
        session, actor, proposal, f"A proposal changed, so your response is needed again: {heading}",
        "The proposer revised it, so all earlier responses were cleared.",
        url or links.proposal_url(proposal),
    )
    return proposal


def apply_proposal(session: Session, actor: User, proposal: Proposal) -> Clause:
    """Put the proposal's text into the working draft and record it in the clause's history."""
    agreement = proposal.agreement
    if proposal.kind == ProposalKind.NEW_CLAUSE:
        clause = new_clause(
            session, actor, agreement, next_position(session, agreement), proposal.heading, proposal.body, proposal
        )
        proposal.clause_id = clause.id
        return clause
    changing = proposal.clause
    if changing is None or changing.is_retired:
        raise DomainError("The clause this proposal changes has been retired, so it cannot be applied")
    session.refresh(changing)
    try:
        saved = save_if_unchanged(
            session, Clause, changing.id, changing.lock_version,
            heading=proposal.heading, body=proposal.body, updated_at=utcnow(), updated_by_id=actor.id,
        )
    except EditConflict:
        raise Conflict("Someone changed the clause at the same moment. Please try again.") from None
    session.add(
        ClauseRevision(
            clause_id=saved.id, lock_version=saved.lock_version, heading=saved.heading, body=saved.body,
            source=RevisionSource.PROPOSAL, proposal_id=proposal.id, author_id=actor.id, created_at=utcnow(),
        )
    )
    session.flush()
    return saved


def close_proposal(session: Session, actor: User | None, proposal: Proposal, status: ProposalStatus, reason: str | None) -> None:
    """Close the proposal with this outcome, who decided it (None when carried) and why.

    The seats that had not answered are kept with it (the decision register lists them), and
    nobody is asked to respond any more.
    """
    answered = set(
        session.scalars(
            select(ProposalResponse.seat_key).where(
                ProposalResponse.proposal_id == proposal.id, ProposalResponse.revision == proposal.revision
            )
        )
    )
    proposal.unanswered_seats = [
        {"key": seat.key, "label": seat.label}
        for seat in seats(session, proposal.agreement.alliance) if seat.key not in answered
    ]
    resolve(session, f"proposal:{proposal.id}:", prefix=True)
    proposal.status = status
    proposal.decided_at = utcnow()
    proposal.decided_by_id = actor.id if actor is not None else None
    proposal.decision_reason = reason
    session.flush()


def withdraw_proposal(
    session: Session, actor: User, proposal: Proposal, reason: str = "", *, url: str | None = None
) -> None:
    """Close a proposal without changing the agreement (commissioners); ``url`` is the proposal's page."""
    if not proposal.is_open:
        raise DomainError("This proposal is already closed")
    note = (reason or "").strip() or None
    close_proposal(session, actor, proposal, ProposalStatus.WITHDRAWN, note)
    audit.record(
        session, actor, "proposal.withdrawn", proposal, alliance=proposal.alliance, label=proposal.heading,
        detail={"reason": note},
    )
    if proposal.proposer is not None:
        notify(
            session, [proposal.proposer], "agreement_proposal_outcome",
            f"Your proposal was closed as withdrawn: {proposal.heading}",
            body=f"Reason: {note}" if note else "", url=url or links.proposal_url(proposal), alliance=proposal.alliance,
            exclude=actor,
        )


@dataclass
class ReservedImpact:
    """Who a reserved-power decision would overrule or cut out, shown before it is confirmed."""

    #: (seat label, their reason) for each seat that objects to the current revision.
    objections: list[tuple[str, str]]
    #: Labels of the seats that have not responded to the current revision.
    waiting: list[str]
    #: Days until the proposal's closing date (0 when it has passed).
    days_left: int


def reserved_impact(session: Session, proposal: Proposal, today: date | None = None) -> ReservedImpact:
    """The objections, the seats still to answer and the days left that a reserved power would override."""
    responses = {r.seat_key: r for r in proposal.current_responses()}
    objections: list[tuple[str, str]] = []
    waiting: list[str] = []
    for seat in seats(session, proposal.alliance):
        response = responses.get(seat.key)
        if response is None:
            waiting.append(seat.label)
        elif response.response == ResponseKind.OBJECT:
            objections.append((seat.label, response.reason))
    left = max(0, (proposal.closes_on - (today or utcnow().date())).days + 1)
    return ReservedImpact(objections, waiting, left)


def check_reserved_reason(reason: str | None) -> str:
    """The reason for a reserved-power decision, required and at most 5,000 characters."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for this reserved-power decision. Everyone in the alliance will see it.", field="reason")
    if len(reason) > 5000:
        raise DomainError("The reason must be 5,000 characters or fewer", field="reason")
    return reason


def decide_reserved(
    session: Session, actor: User, proposal: Proposal, *, apply: bool, reason: str, url: str | None = None
) -> None:
    """A commissioner decides a proposal under the commissioners' reserved powers, giving a reason.

    It overrules consent, so every seat is told (and the proposer), with the reason; the audit
    trail keeps what it overrode. ``url`` is the proposal's page for the notifications.
    """
    if not proposal.is_open:
        raise DomainError("This proposal is already closed")
    reason = check_reserved_reason(reason)
    impact = reserved_impact(session, proposal)
    if apply:
        apply_proposal(session, actor, proposal)
    proposal.applied = apply
    close_proposal(session, actor, proposal, ProposalStatus.RESERVED, reason)
    audit.record(
        session, actor, "proposal.reserved_decision", proposal, alliance=proposal.alliance, label=proposal.heading,
        detail={"applied": apply, "reason": reason, "objections": len(impact.objections),
                "waiting": len(impact.waiting), "days_left": impact.days_left},
    )
    url = url or links.proposal_url(proposal)
    outcome = "The change was applied. " if apply else "The change was not applied. "
    if proposal.proposer is not None:
        notify(
            session, [proposal.proposer], "agreement_proposal_outcome",
            f"A commissioner decided your proposal: {proposal.heading}",
            body=outcome + f"Reason: {reason}", url=url, alliance=proposal.alliance, exclude=actor,
        )
    overruled = []
    if impact.objections:
        overruled.append(f"{len(impact.objections)} objection{'' if len(impact.objections) == 1 else 's'}")
    if impact.waiting:
        overruled.append(f"{len(impact.waiting)} seat{' that has' if len(impact.waiting) == 1 else 's that have'} not answered")
    notify(
        session, [p for p in _seat_people(session, proposal.alliance)[0] if p.id != proposal.proposer_id],
        "agreement_reserved_power",
        f"{proposal.alliance.name}: a commissioner used a reserved power on \u201c{proposal.heading}\u201d",
        body=f"{actor.display_name} decided it without everyone's consent"
        + (f", over {' and '.join(overruled)}" if overruled else "") + f". {outcome}Reason: {reason}",
        url=url, alliance=proposal.alliance, exclude=actor,
    )


def proposals(session: Session, agreement: Agreement, *, open_only: bool = False) -> list[Proposal]:
    """The agreement's proposals, newest first (only the open ones if asked)."""
    stmt = (
        select(Proposal)
        .where(Proposal.agreement_id == agreement.id)
        .options(selectinload(Proposal.proposer), selectinload(Proposal.clause))
        .order_by(Proposal.id.desc())
    )
    if open_only:
        stmt = stmt.where(Proposal.status == ProposalStatus.OPEN)
    return list(session.scalars(stmt))


def decisions(session: Session, agreement: Agreement) -> list[Proposal]:
    """Every decided proposal, newest first, with the responses that counted (a fixed number of queries)."""
    return list(
        session.scalars(
            select(Proposal)
            .where(Proposal.agreement_id == agreement.id, Proposal.status != ProposalStatus.OPEN)
            .options(
                selectinload(Proposal.proposer),
                selectinload(Proposal.decided_by),
                selectinload(Proposal.clause),
                selectinload(Proposal.responses).selectinload(ProposalResponse.responder),
                selectinload(Proposal.responses).selectinload(ProposalResponse.organisation),
            )
            .order_by(Proposal.decided_at.desc(), Proposal.id.desc())
        )
    )


def open_proposal_counts(session: Session, agreement: Agreement) -> dict[int, int]:
    """Open proposals per clause id (one query)."""
    rows = session.execute(
        select(Proposal.clause_id, func.count(Proposal.id))
        .where(Proposal.agreement_id == agreement.id, Proposal.status == ProposalStatus.OPEN, Proposal.clause_id.is_not(None))
        .group_by(Proposal.clause_id)
    )
    # Row by row, not dict(rows): SQLAlchemy 2.1's Result has keys(), so dict() would misread it.
    return {clause_id: count for clause_id, count in rows if clause_id is not None}
