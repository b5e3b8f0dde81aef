"""Shared by every agreement sub-domain: loading the agreement and its clauses, the text rules,
the notification kinds, and the clause-creating helper drafting and proposals both use.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.agreements.models import Agreement, Clause, ClauseRevision, Proposal, RevisionSource
from collab.alliances.models import Alliance, Role
from collab.db import utcnow
from collab.errors import DomainError

MAX_HEADING = 200
MAX_BODY = 20_000


#: Roles whose organisation holds a seat and signs.
ORGANISATION_ROLES = (Role.COMMISSIONER, Role.PROVIDER)


# Loading ------------------------------------------------------------------------------


def get_agreement(session: Session, alliance: Alliance) -> Agreement | None:
    """The alliance's agreement, or None if it has not been started."""
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


def check_text(heading: str, body: str) -> tuple[str, str]:
    """A clause's heading and text, tidied; DomainError on the field that is empty or too long."""
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


def new_clause(
    session: Session, actor: User, agreement: Agreement, position: int, heading: str, body: str,
    proposal: Proposal | None = None,
) -> Clause:
    """Add a clause with its first revision (created, or from a carried proposal)."""
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


def next_position(session: Session, agreement: Agreement) -> int:
    """The position after the last clause (retired ones included)."""
    return (session.scalar(select(func.max(Clause.position)).where(Clause.agreement_id == agreement.id)) or 0) + 1
