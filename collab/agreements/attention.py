"""The agreement's items on "For you": proposals waiting for your seat, versions waiting for
your organisation's signature, and what changed (new versions, versions in force, decisions).

Registered in ``collab.agreements.init_app``. A fixed number of queries, however many
alliances the person belongs to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from collab.agreements import links
from collab.agreements.models import Agreement, AgreementVersion, Proposal, ProposalResponse, ProposalStatus, Signature
from collab.agreements.services._common import ORGANISATION_ROLES
from collab.alliances.models import Membership, Role
from collab.attention import Item, due_on
from collab.db import utcnow
from collab.permissions import Permission, permissions_for_role

AREA = "agreements"


def seat_key(membership: Membership) -> str | None:
    """The seat this membership answers proposals for (the same rule as ``services.seats``)."""
    if Permission.AGREEMENT_PROPOSAL_RESPOND not in permissions_for_role(membership.role):
        return None
    if membership.role in ORGANISATION_ROLES and membership.organisation_id is not None:
        return f"org:{membership.organisation_id}"
    if membership.role == Role.SERVICE_USER:
        return f"person:{membership.user_id}"
    return None


def _seat_label(membership: Membership) -> str:
    return membership.organisation.name if membership.organisation is not None else "you"


def agreement_items(session: Session, person: Any, memberships: Sequence[Membership], since: datetime | None) -> Iterable[Item]:
    """Every agreement item for this person."""
    by_alliance = {m.alliance_id: m for m in memberships}
    yield from _proposals_to_answer(session, by_alliance)
    yield from _versions_to_sign(session, by_alliance)
    if since is not None:
        viewing = [m.alliance_id for m in memberships if Permission.AGREEMENT_VIEW in permissions_for_role(m.role)]
        yield from _changes(session, person, by_alliance, viewing, since)


def _item(membership: Membership, **fields: Any) -> Item:
    alliance = membership.alliance
    return Item(alliance_id=alliance.id, alliance_name=alliance.name, alliance_slug=alliance.slug, area=AREA, **fields)


def _proposals_to_answer(session: Session, by_alliance: dict[int, Membership]) -> Iterable[Item]:
    seats = {alliance_id: key for alliance_id, m in by_alliance.items() if (key := seat_key(m)) is not None}
    if not seats:
        return
    today = utcnow().date()
    rows = session.execute(
        select(Proposal, Agreement.alliance_id)
        .join(Agreement, Agreement.id == Proposal.agreement_id)
        .where(
            Agreement.alliance_id.in_(list(seats)),
            Proposal.status == ProposalStatus.OPEN,
            Proposal.closes_on >= today,
        )
        .order_by(Proposal.closes_on, Proposal.id)
    ).all()
    if not rows:
        return
    answered = {
        (proposal_id, key) for proposal_id, key in session.execute(
            select(ProposalResponse.proposal_id, ProposalResponse.seat_key)
            .join(Proposal, Proposal.id == ProposalResponse.proposal_id)
            .where(
                ProposalResponse.proposal_id.in_([p.id for p, _ in rows]),
                ProposalResponse.revision == Proposal.revision,
                ProposalResponse.seat_key.in_(set(seats.values())),
            )
        )
    }
    for proposal, alliance_id in rows:
        if (proposal.id, seats[alliance_id]) in answered:
            continue
        membership = by_alliance[alliance_id]
        seat = _seat_label(membership)
        detail = (
            "You have not answered yet: agree, stand aside or object."
            if seat == "you"
            else f"Nobody has answered for {seat} yet: agree, stand aside or object."
        )
        yield _item(
            membership,
            title=f"Respond to the proposal “{proposal.heading}”",
            url=links.proposal_url_for(membership.alliance.slug, proposal.id),
            due=due_on(proposal.closes_on),
            detail=detail,
            extra={"kind": "proposal", "proposal_id": proposal.id},
        )


def _versions_to_sign(session: Session, by_alliance: dict[int, Membership]) -> Iterable[Item]:
    signing = {
        alliance_id: m for alliance_id, m in by_alliance.items()
        if m.organisation_id is not None and m.role in ORGANISATION_ROLES
        and Permission.AGREEMENT_SIGN in permissions_for_role(m.role)
    }
    if not signing:
        return
    mine = select(Agreement.id).where(Agreement.alliance_id.in_(list(signing)))
    newest = (
        select(AgreementVersion.agreement_id.label("agreement_id"), func.max(AgreementVersion.number).label("number"))
        .where(AgreementVersion.agreement_id.in_(mine))
        .group_by(AgreementVersion.agreement_id)
        .subquery()
    )
    in_force = (
        select(AgreementVersion.agreement_id.label("agreement_id"), func.max(AgreementVersion.number).label("number"))
        .where(AgreementVersion.agreement_id.in_(mine), AgreementVersion.in_force_at.is_not(None))
        .group_by(AgreementVersion.agreement_id)
        .subquery()
    )
    rows = session.execute(
        select(AgreementVersion.id, AgreementVersion.number, AgreementVersion.in_force_at, Agreement.alliance_id,
               newest.c.number)
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .join(newest, newest.c.agreement_id == AgreementVersion.agreement_id)
        .outerjoin(in_force, in_force.c.agreement_id == AgreementVersion.agreement_id)
        .where(or_(AgreementVersion.number == newest.c.number, AgreementVersion.number == in_force.c.number))
        .order_by(Agreement.alliance_id, AgreementVersion.number)
    ).all()
    if not rows:
        return
    signed = {
        (version_id, organisation_id) for version_id, organisation_id in session.execute(
            select(Signature.version_id, Signature.organisation_id).where(
                Signature.version_id.in_([row[0] for row in rows]),
                Signature.organisation_id.in_({m.organisation_id for m in signing.values()}),
            )
        )
    }
    for version_id, number, in_force_at, alliance_id, newest_number in rows:
        membership = signing[alliance_id]
        if (version_id, membership.organisation_id) in signed:
            continue
        organisation = membership.organisation.name if membership.organisation else "your organisation"
        if in_force_at is not None:
            title = f"Sign version {number} of the agreement to join it"
            detail = f"Version {number} is in force. {organisation} joins it when someone who represents it signs."
        else:
            title = f"Sign version {number} of the agreement"
            detail = f"Nobody has signed for {organisation} yet. It comes into force when every member organisation has signed."
        if number != newest_number and in_force_at is not None:
            detail += f" A newer version, {newest_number}, is being signed too."
        yield _item(
            membership,
            title=title,
            url=links.sign_url(membership.alliance, number),
            detail=detail,
            extra={"kind": "signature", "version_id": version_id},
        )


_DECIDED = {
    ProposalStatus.CARRIED: "was carried",
    ProposalStatus.WITHDRAWN: "was closed as withdrawn",
    ProposalStatus.RESERVED: "was decided by a commissioner's reserved power",
}


def _changes(
    session: Session, person: Any, by_alliance: dict[int, Membership], viewing: list[int], since: datetime
) -> Iterable[Item]:
    if not viewing:
        return
    versions = session.execute(
        select(AgreementVersion.number, AgreementVersion.published_at, AgreementVersion.in_force_at,
               AgreementVersion.published_by_id, Agreement.alliance_id)
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .where(
            Agreement.alliance_id.in_(viewing),
            or_(AgreementVersion.published_at > since, AgreementVersion.in_force_at > since),
        )
    ).all()
    for number, published_at, in_force_at, published_by_id, alliance_id in versions:
        membership = by_alliance[alliance_id]
        url = links.version_url(membership.alliance, number)
        if published_at > since and published_by_id != person.id:
            yield _item(membership, title=f"Version {number} of the agreement was published", url=url,
                        needs_you=False, happened_at=published_at)
        if in_force_at is not None and in_force_at > since:
            yield _item(membership, title=f"Version {number} of the agreement is in force", url=url,
                        needs_you=False, happened_at=in_force_at, detail="Every member organisation has signed it.")
    proposals = session.execute(
        select(Proposal.id, Proposal.heading, Proposal.status, Proposal.created_at, Proposal.decided_at,
               Proposal.proposer_id, Agreement.alliance_id)
        .join(Agreement, Agreement.id == Proposal.agreement_id)
        .where(Agreement.alliance_id.in_(viewing), or_(Proposal.created_at > since, Proposal.decided_at > since))
    ).all()
    for proposal_id, heading, status, created_at, decided_at, proposer_id, alliance_id in proposals:
        membership = by_alliance[alliance_id]
        url = links.proposal_url_for(membership.alliance.slug, proposal_id)
        if decided_at is not None and decided_at > since and status in _DECIDED:
            yield _item(membership, title=f"The proposal “{heading}” {_DECIDED[status]}", url=url,
                        needs_you=False, happened_at=decided_at)
        elif created_at > since and proposer_id != person.id and seat_key(membership) is None:
            # People with a seat see it under "needs you" instead.
            yield _item(membership, title=f"New proposal: “{heading}”", url=url, needs_you=False, happened_at=created_at)
