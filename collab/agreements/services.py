"""Agreement rules: drafting, proposals and consent, versions, signatures and verification.

Plain functions: no request, no templates, no commit. They raise DomainError (or Conflict)
when a rule is broken; routes commit once and send notifications after the commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts import two_step  # two-step sign-in before signing (issue 7)
from collab.accounts.models import User
from collab.agreements.models import (
    Agreement,
    AgreementVersion,
    Clause,
    ClauseRevision,
    Proposal,
    ProposalKind,
    ProposalResponse,
    ProposalStatus,
    ResponseKind,
    RevisionSource,
    Signature,
    VersionClause,
)
from collab.agreements.template import STARTER_CLAUSES
from collab.alliances.models import Alliance, Membership, Organisation, Role
from collab.alliances.signals import representation_started
from collab.audit import AuditEntry
from collab.db import utcnow
from collab.documents.canonical import Section, canonical_markdown, sha256_hex
from collab.documents.diff import summarise, word_diff
from collab.documents.locking import EditConflict, save_if_unchanged
from collab.errors import Conflict, DomainError, NotAllowed
from collab.notifications import notify, register_kind
from collab.security import verify_password

MAX_HEADING = 200
MAX_BODY = 20_000

register_kind(
    "agreement_response_needed",
    "Your response to a proposal is needed",
    "When someone proposes a change to the agreement and your seat needs to respond.",
)
register_kind(
    "agreement_proposal_outcome",
    "A proposal you made was carried or objected to",
    "When someone objects to your proposal, or it is carried or decided.",
)
register_kind(
    "agreement_signature_needed",
    "A version is ready for your signature",
    "When a commissioner publishes a new version of the agreement that your organisation should sign.",
)
register_kind(
    "agreement_in_force",
    "The agreement is in force",
    "When every member organisation has signed a version of the agreement.",
)

#: Roles whose organisation holds a seat and signs.
ORGANISATION_ROLES = (Role.COMMISSIONER, Role.PROVIDER)


# Loading ------------------------------------------------------------------------------


def get_agreement(session: Session, alliance: Alliance) -> Agreement | None:
    return session.scalar(select(Agreement).where(Agreement.alliance_id == alliance.id))


def active_clauses(session: Session, agreement: Agreement) -> list[Clause]:
    """The clauses in force in the working draft, in order (one query)."""
    return list(
        session.scalars(
            select(Clause)
            .where(Clause.agreement_id == agreement.id, Clause.retired_at.is_(None))
            .order_by(Clause.position, Clause.id)
        )
    )


def clause_number(session: Session, clause: Clause) -> int | None:
    """The clause's number among the clauses that are not retired."""
    if clause.is_retired:
        return None
    return (
        session.scalar(
            select(func.count(Clause.id)).where(
                Clause.agreement_id == clause.agreement_id,
                Clause.retired_at.is_(None),
                (Clause.position < clause.position) | ((Clause.position == clause.position) & (Clause.id < clause.id)),
            )
        )
        or 0
    ) + 1


def _check_text(heading: str, body: str) -> tuple[str, str]:
    heading = " ".join((heading or "").split())
    body = (body or "").strip()
    if not heading:
        raise DomainError("Enter a heading for the clause", field="heading")
    if len(heading) > MAX_HEADING:
        raise DomainError(f"The heading must be {MAX_HEADING} characters or fewer", field="heading")
    if not body:
        raise DomainError("Enter the text of the clause", field="body")
    if len(body) > MAX_BODY:
        raise DomainError(f"The text must be {MAX_BODY:,} characters or fewer", field="body")
    return heading, body


# Drafting ---------------------------------------------------------------------------------


def start_agreement(session: Session, actor: User, alliance: Alliance, *, use_template: bool) -> Agreement:
    """Start the alliance's agreement, from the built-in template or blank."""
    if get_agreement(session, alliance) is not None:
        raise Conflict("This alliance already has an agreement")
    agreement = Agreement(alliance_id=alliance.id, title=f"{alliance.name} agreement", created_by_id=actor.id)
    try:
        with session.begin_nested():
            session.add(agreement)
    except IntegrityError:
        raise Conflict("This alliance already has an agreement") from None
    agreement.alliance = alliance
    if use_template:
        for position, (heading, body) in enumerate(STARTER_CLAUSES, start=1):
            _new_clause(session, actor, agreement, position, heading, body)
    audit.record(
        session, actor, "agreement.started", agreement, alliance=alliance, label=agreement.title,
        detail={"template": use_template},
    )
    return agreement


def _new_clause(
    session: Session, actor: User, agreement: Agreement, position: int, heading: str, body: str,
    proposal: Proposal | None = None,
) -> Clause:
    now = utcnow()
    clause = Clause(
        agreement_id=agreement.id, position=position, heading=heading, body=body, lock_version=1,
        created_at=now, updated_at=now, updated_by_id=actor.id,
    )
    session.add(clause)
    session.flush()
    session.add(
        ClauseRevision(
            clause_id=clause.id, lock_version=1, heading=heading, body=body,
            source=RevisionSource.PROPOSAL if proposal else RevisionSource.CREATED,
            proposal_id=proposal.id if proposal else None, author_id=actor.id, created_at=now,
        )
    )
    session.flush()
    return clause


def _require_drafting(agreement: Agreement) -> None:
    if not agreement.drafting:
        raise DomainError(
            "The agreement is not open for drafting. Propose a change instead, "
            "or ask a commissioner to open the next version for drafting."
        )


def _next_position(session: Session, agreement: Agreement) -> int:
    return (session.scalar(select(func.max(Clause.position)).where(Clause.agreement_id == agreement.id)) or 0) + 1


def add_clause(session: Session, actor: User, agreement: Agreement, *, heading: str, body: str) -> Clause:
    """Add a clause at the end of the draft."""
    _require_drafting(agreement)
    heading, body = _check_text(heading, body)
    clause = _new_clause(session, actor, agreement, _next_position(session, agreement), heading, body)
    audit.record(session, actor, "clause.added", clause, alliance=agreement.alliance, label=heading)
    return clause


def edit_clause(
    session: Session, actor: User, clause: Clause, *, heading: str, body: str, lock_version: int
) -> Clause:
    """Save an edit made on the copy at ``lock_version``; EditConflict if someone saved first."""
    agreement = clause.agreement
    _require_drafting(agreement)
    if clause.is_retired:
        raise DomainError("This clause has been retired, so it cannot be changed")
    heading, body = _check_text(heading, body)
    before_heading, before_body = clause.heading, clause.body
    saved = save_if_unchanged(
        session, Clause, clause.id, lock_version,
        heading=heading, body=body, updated_at=utcnow(), updated_by_id=actor.id,
    )
    session.add(
        ClauseRevision(
            clause_id=saved.id, lock_version=saved.lock_version, heading=heading, body=body,
            source=RevisionSource.EDIT, author_id=actor.id, created_at=utcnow(),
        )
    )
    session.flush()
    summary = summarise(word_diff(before_body, body))
    audit.record(
        session, actor, "clause.edited", saved, alliance=agreement.alliance, label=heading,
        detail={
            "revision": saved.lock_version,
            "added_words": summary.added_words,
            "removed_words": summary.removed_words,
            "heading_changed": before_heading != heading,
        },
    )
    return saved


def move_clause(session: Session, actor: User, clause: Clause, direction: str) -> bool:
    """Swap the clause with the one above or below it; False if it is already at that end."""
    _require_drafting(clause.agreement)
    if clause.is_retired:
        raise DomainError("This clause has been retired, so it cannot be moved")
    if direction not in ("up", "down"):
        raise DomainError("Choose to move the clause up or down")
    clauses = active_clauses(session, clause.agreement)
    index = next(i for i, c in enumerate(clauses) if c.id == clause.id)
    other_index = index - 1 if direction == "up" else index + 1
    if other_index < 0 or other_index >= len(clauses):
        return False
    other = clauses[other_index]
    # Renumber the whole list so equal or sparse positions cannot confuse the order.
    clauses[index], clauses[other_index] = other, clause
    for position, item in enumerate(clauses, start=1):
        item.position = position
    session.flush()
    audit.record(
        session, actor, "clause.moved", clause, alliance=clause.agreement.alliance, label=clause.heading,
        detail={"direction": direction, "to": other_index + 1},
    )
    return True


def retire_clause(session: Session, actor: User, clause: Clause) -> None:
    """Take a clause out of the draft (its history stays)."""
    _require_drafting(clause.agreement)
    if clause.is_retired:
        raise DomainError("This clause is already retired")
    saved = save_if_unchanged(session, Clause, clause.id, clause.lock_version, retired_at=utcnow(), updated_by_id=actor.id)
    session.add(
        ClauseRevision(
            clause_id=saved.id, lock_version=saved.lock_version, heading=saved.heading, body=saved.body,
            source=RevisionSource.RETIRED, author_id=actor.id, created_at=utcnow(),
        )
    )
    session.flush()
    audit.record(session, actor, "clause.retired", saved, alliance=clause.agreement.alliance, label=saved.heading)


def open_drafting(session: Session, actor: User, agreement: Agreement) -> None:
    """Let drafters edit clauses directly again, for the next version."""
    if agreement.drafting:
        raise DomainError("The agreement is already open for drafting")
    agreement.drafting = True
    session.flush()
    number = (latest_version(session, agreement).number + 1) if latest_version(session, agreement) else 1
    audit.record(
        session, actor, "agreement.drafting_opened", agreement, alliance=agreement.alliance,
        label=agreement.title, detail={"next_version": number},
    )


def clause_history(session: Session, clause: Clause) -> list[ClauseRevision]:
    return list(
        session.scalars(
            select(ClauseRevision)
            .where(ClauseRevision.clause_id == clause.id)
            .options(selectinload(ClauseRevision.author))
            .order_by(ClauseRevision.lock_version.desc())
        )
    )


# Seats: who responds to proposals ----------------------------------------------------------


@dataclass
class Seat:
    #: "org:<id>" or "person:<id>"
    key: str
    label: str
    organisation: Organisation | None = None
    #: The people who may respond for this seat.
    people: list[User] = field(default_factory=list)

    @property
    def is_organisation(self) -> bool:
        return self.organisation is not None


def _memberships(session: Session, alliance: Alliance, organisations_only: bool = False) -> list[Membership]:
    stmt = (
        select(Membership)
        .where(Membership.alliance_id == alliance.id)
        .options(selectinload(Membership.user), selectinload(Membership.organisation))
        .order_by(Membership.id)
    )
    if organisations_only:
        stmt = stmt.where(Membership.role.in_(ORGANISATION_ROLES), Membership.organisation_id.is_not(None))
    else:
        stmt = stmt.where(Membership.role.in_([*ORGANISATION_ROLES, Role.SERVICE_USER]))
    return list(session.scalars(stmt))


def seats(session: Session, alliance: Alliance, organisations_only: bool = False) -> list[Seat]:
    """One seat per member organisation (commissioners' too) and one per service user or carer."""
    by_key: dict[str, Seat] = {}
    people_seats: list[Seat] = []
    for m in _memberships(session, alliance, organisations_only):
        if m.role in ORGANISATION_ROLES and m.organisation is not None:
            key = f"org:{m.organisation_id}"
            seat = by_key.get(key)
            if seat is None:
                seat = by_key[key] = Seat(key, m.organisation.name, organisation=m.organisation)
            seat.people.append(m.user)
        elif m.role == Role.SERVICE_USER:
            people_seats.append(Seat(f"person:{m.user_id}", m.user.display_name, people=[m.user]))
    orgs = sorted(by_key.values(), key=lambda s: s.label.lower())
    return orgs + people_seats


def seat_for(session: Session, alliance: Alliance, user: User) -> Seat | None:
    for seat in seats(session, alliance):
        if any(p.id == user.id for p in seat.people):
            return seat
    return None


def member_organisations(session: Session, alliance: Alliance) -> list[Seat]:
    """The organisations that sign the agreement."""
    return seats(session, alliance, organisations_only=True)


# Proposals and consent -------------------------------------------------------------------


def _check_proposal(heading: str, body: str, reason: str, closes_on: date | None, today: date) -> tuple[str, str, str]:
    heading, body = _check_text(heading, body)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why you want this change", field="reason")
    if len(reason) > 5000:
        raise DomainError("The reason must be 5,000 characters or fewer", field="reason")
    if closes_on is None:
        raise DomainError("Enter a closing date", field="closes_on")
    if closes_on < today:
        raise DomainError("The closing date must be today or in the future", field="closes_on")
    return heading, body, reason


def proposal_url(proposal: Proposal) -> str:
    return url_for("agreements.show_proposal", slug=proposal.agreement.alliance.slug, proposal_id=proposal.id)


def _seat_people(session: Session, alliance: Alliance) -> list[User]:
    return [person for seat in seats(session, alliance) for person in seat.people]


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
    heading, body, reason = _check_proposal(heading, body, reason, closes_on, today or utcnow().date())
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
    notify(
        session, _seat_people(session, agreement.alliance), "agreement_response_needed",
        f"Your response is needed: {heading}",
        body=f"{actor.display_name} proposed a change to the agreement. Please agree, stand aside or object "
        f"by {closes_on.day} {closes_on:%B %Y}.",
        url=proposal_url(proposal), alliance=agreement.alliance, exclude=actor,
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
) -> Proposal:
    """The proposer changes their proposal; every seat must respond again."""
    if not proposal.is_open:
        raise DomainError("This proposal is closed, so it cannot be changed")
    if proposal.proposer_id != actor.id:
        raise NotAllowed("Only the person who made the proposal can change it")
    heading, body, reason = _check_proposal(heading, body, reason, closes_on, today or utcnow().date())
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
    notify(
        session, _seat_people(session, proposal.alliance), "agreement_response_needed",
        f"A proposal changed, so your response is needed again: {heading}",
        body="The proposer revised it, so all earlier responses were cleared.",
        url=proposal_url(proposal), alliance=proposal.alliance, exclude=actor,
    )
    return proposal


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
) -> ProposalResponse:
    """Record (or change) the response of the actor's seat; carry the proposal if that settles it."""
    if not proposal.is_open:
        raise DomainError("This proposal is closed, so responses can no longer change")
    if (today or utcnow().date()) > proposal.closes_on:
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
            url=proposal_url(proposal), alliance=proposal.alliance,
        )
    if consent_state(session, proposal).carried:
        _carry(session, actor, proposal)
    return row


def _apply(session: Session, actor: User, proposal: Proposal) -> Clause:
    """Put the proposal's text into the working draft and record it in the clause's history."""
    agreement = proposal.agreement
    if proposal.kind == ProposalKind.NEW_CLAUSE:
        clause = _new_clause(
            session, actor, agreement, _next_position(session, agreement), proposal.heading, proposal.body, proposal
        )
        proposal.clause_id = clause.id
        return clause
    clause = proposal.clause
    if clause is None or clause.is_retired:
        raise DomainError("The clause this proposal changes has been retired, so it cannot be applied")
    session.refresh(clause)
    try:
        saved = save_if_unchanged(
            session, Clause, clause.id, clause.lock_version,
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


def _close(session: Session, actor: User | None, proposal: Proposal, status: ProposalStatus, reason: str | None) -> None:
    proposal.status = status
    proposal.decided_at = utcnow()
    proposal.decided_by_id = actor.id if actor is not None else None
    proposal.decision_reason = reason
    session.flush()


def _carry(session: Session, actor: User, proposal: Proposal) -> None:
    # The accepted text is the proposer's, so the clause history names them.
    clause = _apply(session, proposal.proposer or actor, proposal)
    proposal.applied = True
    _close(session, None, proposal, ProposalStatus.CARRIED, None)
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
            url=proposal_url(proposal), alliance=proposal.alliance,
        )


def withdraw_proposal(session: Session, actor: User, proposal: Proposal, reason: str = "") -> None:
    """Close a proposal without changing the agreement (commissioners)."""
    if not proposal.is_open:
        raise DomainError("This proposal is already closed")
    reason = (reason or "").strip() or None
    _close(session, actor, proposal, ProposalStatus.WITHDRAWN, reason)
    audit.record(
        session, actor, "proposal.withdrawn", proposal, alliance=proposal.alliance, label=proposal.heading,
        detail={"reason": reason},
    )
    if proposal.proposer is not None:
        notify(
            session, [proposal.proposer], "agreement_proposal_outcome",
            f"Your proposal was closed as withdrawn: {proposal.heading}",
            body=f"Reason: {reason}" if reason else "", url=proposal_url(proposal), alliance=proposal.alliance,
            exclude=actor,
        )


def decide_reserved(session: Session, actor: User, proposal: Proposal, *, apply: bool, reason: str) -> None:
    """A commissioner decides a proposal under the commissioners' reserved powers, giving a reason."""
    if not proposal.is_open:
        raise DomainError("This proposal is already closed")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for this reserved-power decision. Everyone in the alliance will see it.", field="reason")
    if len(reason) > 5000:
        raise DomainError("The reason must be 5,000 characters or fewer", field="reason")
    if apply:
        _apply(session, actor, proposal)
    proposal.applied = apply
    _close(session, actor, proposal, ProposalStatus.RESERVED, reason)
    audit.record(
        session, actor, "proposal.reserved_decision", proposal, alliance=proposal.alliance, label=proposal.heading,
        detail={"applied": apply, "reason": reason},
    )
    if proposal.proposer is not None:
        notify(
            session, [proposal.proposer], "agreement_proposal_outcome",
            f"A commissioner decided your proposal: {proposal.heading}",
            body=("The change was applied. " if apply else "The change was not applied. ") + f"Reason: {reason}",
            url=proposal_url(proposal), alliance=proposal.alliance, exclude=actor,
        )


def proposals(session: Session, agreement: Agreement, *, open_only: bool = False) -> list[Proposal]:
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
    return dict(rows.all())  # (key, value) rows; a Result itself looks like a mapping to dict()


# Versions -------------------------------------------------------------------------------------


def versions(session: Session, agreement: Agreement) -> list[AgreementVersion]:
    return list(
        session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.agreement_id == agreement.id)
            .options(selectinload(AgreementVersion.signatures), selectinload(AgreementVersion.published_by))
            .order_by(AgreementVersion.number.desc())
        )
    )


def latest_version(session: Session, agreement: Agreement) -> AgreementVersion | None:
    return session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.agreement_id == agreement.id)
        .order_by(AgreementVersion.number.desc())
        .limit(1)
    )


def version_in_force(session: Session, agreement: Agreement) -> AgreementVersion | None:
    """The newest version every member organisation signed."""
    return session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.agreement_id == agreement.id, AgreementVersion.in_force_at.is_not(None))
        .order_by(AgreementVersion.number.desc())
        .limit(1)
    )


def get_version(session: Session, agreement: Agreement, number: int) -> AgreementVersion | None:
    return session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.agreement_id == agreement.id, AgreementVersion.number == number)
        .options(selectinload(AgreementVersion.clauses))
    )


def version_text(
    title: str, alliance_name: str, number: int, clauses: Iterable[tuple[int, str, str]], reference: str | None = None
) -> str:
    """The canonical Markdown of a version (rules in collab.documents.canonical).

    ``reference`` is the version's random reference: with it in the text, the SHA-256
    cannot be worked out from a guess of the words (versions published before it have none).
    """
    metadata = [("Alliance", alliance_name), ("Version", str(number))]
    if reference:
        metadata.append(("Reference", reference))
    return canonical_markdown(title, metadata, [Section(n, heading, body) for n, heading, body in clauses])


def frozen_text(version: AgreementVersion) -> str:
    """Rebuild a version's canonical text from what was frozen into it when it was published."""
    return version_text(
        version.title, version.alliance_name, version.number,
        [(c.number, c.heading, c.body) for c in version.clauses], version.reference,
    )


def publish(session: Session, actor: User, agreement: Agreement) -> AgreementVersion:
    """Freeze the current clauses into version N with its canonical text and SHA-256."""
    clauses = active_clauses(session, agreement)
    if not clauses:
        raise DomainError("Add at least one clause before you publish a version")
    latest = latest_version(session, agreement)
    number = (latest.number + 1) if latest is not None else 1
    alliance = agreement.alliance
    frozen = [(n, c.heading, c.body) for n, c in enumerate(clauses, start=1)]
    if latest is not None:
        previous = version_text(latest.title, alliance.name, number, [(c.number, c.heading, c.body) for c in latest.clauses])
        if previous == version_text(agreement.title, alliance.name, number, frozen):
            raise DomainError(f"Nothing has changed since version {latest.number}, so there is nothing new to publish")
    reference = secrets.token_hex(16)
    text = version_text(agreement.title, alliance.name, number, frozen, reference)
    version = AgreementVersion(
        agreement_id=agreement.id, number=number, public_id=secrets.token_urlsafe(24), title=agreement.title,
        canonical_text=text, sha256=sha256_hex(text), published_at=utcnow(), published_by_id=actor.id,
        alliance_name=alliance.name, reference=reference, audit_head=audit.current_head(session) or None,
    )
    version.clauses = [
        VersionClause(number=n, clause_id=c.id, heading=c.heading, body=c.body)
        for n, c in enumerate(clauses, start=1)
    ]
    try:
        with session.begin_nested():
            session.add(version)
    except IntegrityError:
        raise Conflict("Someone published a version at the same moment. Reload the page to see it.") from None
    agreement.drafting = False
    session.flush()
    audit.record(
        session, actor, "agreement.published", version, alliance=alliance, label=f"Version {number}",
        detail={"number": number, "sha256": version.sha256, "clauses": len(clauses), "audit_head": version.audit_head},
    )
    signatories = [p for seat in member_organisations(session, alliance) for p in seat.people]
    notify(
        session, signatories, "agreement_signature_needed",
        f"Version {number} of the {alliance.name} agreement is ready for your signature",
        body="Every member organisation signs it before it comes into force. One person signs for each organisation.",
        url=url_for("agreements.sign", slug=alliance.slug, number=number), alliance=alliance,
    )
    return version


@dataclass
class SignatureStatus:
    required: list[Seat]
    signed: dict[int, Signature]

    @property
    def n(self) -> int:
        return len(self.required)

    @property
    def k(self) -> int:
        return sum(1 for seat in self.required if seat.organisation and seat.organisation.id in self.signed)

    @property
    def waiting(self) -> list[Seat]:
        return [s for s in self.required if s.organisation and s.organisation.id not in self.signed]

    @property
    def complete(self) -> bool:
        return self.n > 0 and self.k == self.n


def signature_status(session: Session, version: AgreementVersion) -> SignatureStatus:
    signatures = session.scalars(select(Signature).where(Signature.version_id == version.id)).all()
    return SignatureStatus(
        member_organisations(session, version.agreement.alliance), {s.organisation_id: s for s in signatures}
    )


def signing_organisation(session: Session, alliance: Alliance, user: User) -> Membership | None:
    """The membership through which the user signs for an organisation, if any."""
    return session.scalar(
        select(Membership).where(
            Membership.alliance_id == alliance.id,
            Membership.user_id == user.id,
            Membership.role.in_(ORGANISATION_ROLES),
            Membership.organisation_id.is_not(None),
        )
    )


def statement_for(version: AgreementVersion, organisation: Organisation) -> str:
    """The exact words a signatory confirms (with the alliance's name as the version says it)."""
    return (
        f"I sign version {version.number} of the {version.alliance_name} agreement on behalf of "
        f"{organisation.name}, whose SHA-256 is {version.sha256}."
    )


def name_matches(typed: str, account_name: str) -> bool:
    """The typed name is the account's name, ignoring case and spacing."""
    def norm(value: str) -> str:
        return " ".join((value or "").split()).casefold()

    return bool(norm(typed)) and norm(typed) == norm(account_name)


class AlreadySigned(Conflict):
    pass


class TwoStepRequired(DomainError):
    """Signing on an organisation's behalf needs two-step sign-in on (issue 7)."""


def can_be_signed(session: Session, version: AgreementVersion) -> bool:
    """Only the newest version and the version in force can be signed."""
    latest = latest_version(session, version.agreement)
    in_force = version_in_force(session, version.agreement)
    return version.id in {getattr(latest, "id", None), getattr(in_force, "id", None)}


def sign(
    session: Session,
    actor: User,
    version: AgreementVersion,
    *,
    password: str,
    typed_name: str,
    confirmed: bool,
    ip_address: str = "",
    user_agent: str = "",
    require_two_step: bool = True,
) -> Signature:
    """Sign a published version for the actor's organisation: exactly one signature per organisation."""
    alliance = version.agreement.alliance
    membership = signing_organisation(session, alliance, actor)
    if membership is None or membership.organisation is None:
        raise NotAllowed("Only someone who represents a member organisation can sign")
    # Two-step sign-in (issue 7): signing for an organisation needs more than a password.
    # Only the demo seed passes require_two_step=False.
    if require_two_step and not two_step.is_enabled(session, actor):
        raise TwoStepRequired(
            f"Turn on two-step sign-in before you sign for {membership.organisation.name}. "
            "You can do this from your account page."
        )
    if not verify_password(actor.password_hash, password or ""):
        raise DomainError("The password is not right", field="password")
    typed_name = " ".join((typed_name or "").split())
    if not typed_name:
        raise DomainError("Type your full name", field="typed_name")
    if len(typed_name) > 200:
        raise DomainError("Your name must be 200 characters or fewer", field="typed_name")
    if not name_matches(typed_name, actor.display_name):
        raise DomainError(
            f"Type your name as it is on your account: {actor.display_name}. "
            "If that is not your full name, change your display name first",
            field="typed_name",
        )
    if not confirmed:
        raise DomainError("Tick the box to confirm the statement", field="confirm")
    # One signer per version at a time (PostgreSQL); the unique constraint is the backstop.
    session.execute(
        select(AgreementVersion.id).where(AgreementVersion.id == version.id).with_for_update()
    )
    if not can_be_signed(session, version):
        raise DomainError("This version has been replaced by a newer one, so it can no longer be signed")
    organisation = membership.organisation

    def already() -> Signature | None:
        return session.scalar(
            select(Signature).where(Signature.version_id == version.id, Signature.organisation_id == organisation.id)
        )

    if already() is not None:
        raise AlreadySigned(f"{organisation.name} has already signed version {version.number}")
    session.refresh(version)
    signature = Signature(
        version_id=version.id,
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        user_id=actor.id,
        role=membership.role,
        typed_name=typed_name,
        account_name=actor.display_name,
        statement=statement_for(version, organisation),
        signed_at=utcnow(),
        ip_address=(ip_address or "")[:64],
        user_agent=(user_agent or "")[:400],
        version_sha256=version.sha256,
        is_accession=version.in_force_at is not None,
    )
    signature.record_hash = signature.compute_hash()
    try:
        with session.begin_nested():
            session.add(signature)
    except IntegrityError:
        raise AlreadySigned(f"{organisation.name} has already signed version {version.number}") from None
    audit.record(
        session, actor, "agreement.signed", signature, alliance=alliance, label=f"Version {version.number}",
        detail={
            "number": version.number, "organisation": organisation.name, "typed_name": typed_name,
            "sha256": version.sha256, "record_hash": signature.record_hash, "accession": signature.is_accession,
            "account_name": actor.display_name, "version_id": version.id,
        },
    )
    if version.in_force_at is None and signature_status(session, version).complete:
        version.in_force_at = utcnow()
        session.flush()
        audit.record(
            session, None, "agreement.in_force", version, alliance=alliance, label=f"Version {version.number}",
            detail={"number": version.number, "sha256": version.sha256},
        )
        notify(
            session, [m.user for m in _memberships(session, alliance)], "agreement_in_force",
            f"Version {version.number} of the {alliance.name} agreement is in force",
            body="Every member organisation has signed it.",
            url=url_for("agreements.show_version", slug=alliance.slug, number=version.number), alliance=alliance,
        )
    return signature


# Comparing versions -------------------------------------------------------------------------


@dataclass
class ClauseComparison:
    before: VersionClause | None
    after: VersionClause | None

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        if (self.before.heading, self.before.body) == (self.after.heading, self.after.body):
            return "unchanged"
        return "changed"


def compare_versions(older: AgreementVersion, newer: AgreementVersion) -> list[ClauseComparison]:
    """Pair clauses across two versions (by the working clause they came from), in the newer order."""
    before_by_clause = {c.clause_id: c for c in older.clauses if c.clause_id is not None}
    used: set[int] = set()
    rows: list[ClauseComparison] = []
    for after in newer.clauses:
        before = before_by_clause.get(after.clause_id) if after.clause_id is not None else None
        if before is not None:
            used.add(before.id)
        rows.append(ClauseComparison(before, after))
    for before in older.clauses:
        if before.id not in used:
            rows.append(ClauseComparison(before, None))
    return rows


# Verification -----------------------------------------------------------------------------


@dataclass
class SignatureCheck:
    signature: Signature
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def legacy(self) -> bool:
        """Made before signature hashes were keyed: checked the older, weaker way."""
        return self.signature.is_legacy


@dataclass
class VersionCheck:
    version: AgreementVersion
    problems: list[str]
    signatures: list[SignatureCheck]

    @property
    def ok(self) -> bool:
        return not self.problems and all(s.ok for s in self.signatures)

    @property
    def all_problems(self) -> list[str]:
        found = list(self.problems)
        for check in self.signatures:
            found.extend(f"signature of {check.signature.organisation_name}: {p}" for p in check.problems)
        return found


def verify_version(session: Session, version: AgreementVersion, published_hashes: dict[int, str] | None = None) -> VersionCheck:
    """Re-hash the stored text and every signature; anything that does not match is a problem."""
    problems: list[str] = []
    if sha256_hex(version.canonical_text) != version.sha256:
        problems.append("the stored text no longer matches the published SHA-256")
    if frozen_text(version) != version.canonical_text:
        problems.append("the stored clauses no longer match the published text")
    if published_hashes is None:
        published_hashes = publication_hashes(session, [version.id])
    recorded = published_hashes.get(version.id)
    if recorded is None:
        problems.append("the audit trail has no record of this version being published")
    elif recorded != version.sha256:
        problems.append("the SHA-256 differs from the one recorded in the audit trail when it was published")
    if version.audit_head:
        head = audit.parse_head(version.audit_head)
        stored = session.scalar(select(AuditEntry.entry_hash).where(AuditEntry.id == head[0])) if head else None
        if head is None or stored != head[1]:
            problems.append("the audit trail no longer holds the entry recorded when this version was published")
    entries = signing_entries(session, version)
    checks = []
    for signature in version.signatures:
        sig_problems = []
        if signature.compute_hash() != signature.record_hash:
            sig_problems.append("the signature record was changed after it was made")
        if signature.version_sha256 != version.sha256:
            sig_problems.append("it was made for a different SHA-256")
        entry = entries.pop(signature.id, None)
        if entry is None:
            sig_problems.append("the audit trail has no record of this signature")
        elif entry.get("record_hash") != signature.record_hash:
            sig_problems.append("it differs from the signature recorded in the audit trail")
        checks.append(SignatureCheck(signature, sig_problems))
    for detail in entries.values():
        problems.append(
            f"the audit trail records a signature for {detail.get('organisation', 'an organisation')} "
            "that is no longer stored"
        )
    return VersionCheck(version, problems, checks)


def signing_entries(session: Session, version: AgreementVersion) -> dict[int, dict[str, Any]]:
    """Signature id -> the detail the audit trail recorded when this version was signed."""
    rows = session.execute(
        select(AuditEntry.subject_id, AuditEntry.detail).where(
            AuditEntry.action == "agreement.signed",
            AuditEntry.subject_type == "signature",
            AuditEntry.alliance_id == version.agreement.alliance_id,
        )
    )
    found: dict[int, dict[str, Any]] = {}
    for subject_id, detail in rows:
        detail = detail or {}
        same = detail.get("version_id") == version.id if "version_id" in detail else detail.get("number") == version.number
        if same and subject_id is not None:
            found[subject_id] = detail
    return found


def publication_hashes(session: Session, version_ids: list[int]) -> dict[int, str]:
    """The SHA-256 recorded in the audit trail for each version's publication."""
    if not version_ids:
        return {}
    rows = session.execute(
        select(AuditEntry.subject_id, AuditEntry.detail).where(
            AuditEntry.action == "agreement.published",
            AuditEntry.subject_type == "agreementversion",
            AuditEntry.subject_id.in_(version_ids),
        )
    )
    return {subject_id: (detail or {}).get("sha256", "") for subject_id, detail in rows}


def verify_all(session: Session) -> list[str]:
    """Problems with any published version or signature (for flask verify-audit)."""
    found: list[str] = []
    last_id = 0
    while True:
        batch = session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.id > last_id)
            .options(
                selectinload(AgreementVersion.clauses),
                selectinload(AgreementVersion.signatures),
                selectinload(AgreementVersion.agreement).selectinload(Agreement.alliance),
            )
            .order_by(AgreementVersion.id)
            .limit(200)
        ).all()
        if not batch:
            return found
        hashes = publication_hashes(session, [v.id for v in batch])
        for version in batch:
            check = verify_version(session, version, hashes)
            where = f"{version.agreement.alliance.name} agreement version {version.number}"
            found.extend(f"{where}: {problem}" for problem in check.all_problems)
            last_id = version.id


def find_by_hash(session: Session, sha256: str) -> list[AgreementVersion]:
    return list(
        session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.sha256 == sha256)
            .options(selectinload(AgreementVersion.signatures), selectinload(AgreementVersion.clauses))
        )
    )


def record_export(session: Session, actor: User | None, version: AgreementVersion, fmt: str) -> None:
    audit.record(
        session, actor, "agreement.exported", version, alliance=version.agreement.alliance,
        label=f"Version {version.number}", detail={"number": version.number, "format": fmt},
    )


def find_version_by_public_id(session: Session, public_id: str) -> AgreementVersion | None:
    return session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.public_id == public_id)
        .options(selectinload(AgreementVersion.clauses), selectinload(AgreementVersion.signatures))
    )


def participant_summary(state: ConsentState) -> dict[str, Any]:
    return {
        "agree": state.count(ResponseKind.AGREE),
        "stand_aside": state.count(ResponseKind.STAND_ASIDE),
        "object": state.count(ResponseKind.OBJECT),
        "waiting": len(state.waiting),
        "seats": len(state.seats),
    }


@representation_started.connect
def _ask_new_organisation_to_sign(session: Session, membership: Membership) -> None:
    """Someone newly represents an organisation: if the agreement in force has no signature
    from it, they are asked to sign it (an accession)."""
    if membership.role not in ORGANISATION_ROLES or membership.organisation_id is None:
        return
    alliance = membership.alliance
    agreement = get_agreement(session, alliance)
    version = version_in_force(session, agreement) if agreement is not None else None
    if version is None:
        return
    signed = session.scalar(
        select(Signature.id).where(
            Signature.version_id == version.id, Signature.organisation_id == membership.organisation_id
        )
    )
    if signed is not None:
        return
    notify(
        session, [membership.user], "agreement_signature_needed",
        f"Sign version {version.number} of the {alliance.name} agreement to join it",
        body=(
            f"Version {version.number} is in force. {membership.organisation.name} joins the agreement "
            "when someone who represents it signs (an accession)."
        ),
        url=url_for("agreements.sign", slug=alliance.slug, number=version.number), alliance=alliance,
    )
