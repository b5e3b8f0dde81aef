"""Drafting: starting the agreement, adding, editing, moving and retiring clauses, and each
clause's history. Direct edits are allowed only while the agreement is open for drafting.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.agreements.models import Agreement, Clause, ClauseRevision, RevisionSource
from collab.agreements.services._common import active_clauses, check_text, get_agreement, new_clause, next_position
from collab.agreements.services.versions import latest_version
from collab.agreements.template import STARTER_CLAUSES
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.documents.diff import summarise, word_diff
from collab.documents.locking import save_if_unchanged
from collab.errors import Conflict, DomainError


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
            new_clause(session, actor, agreement, position, heading, body)
    audit.record(
        session, actor, "agreement.started", agreement, alliance=alliance, label=agreement.title,
        detail={"template": use_template},
    )
    return agreement


def _require_drafting(agreement: Agreement) -> None:
    if not agreement.drafting:
        raise DomainError(
            "The agreement is not open for drafting. Propose a change instead, "
            "or ask a commissioner to open the next version for drafting."
        )


def add_clause(session: Session, actor: User, agreement: Agreement, *, heading: str, body: str) -> Clause:
    """Add a clause at the end of the draft."""
    _require_drafting(agreement)
    heading, body = check_text(heading, body)
    clause = new_clause(session, actor, agreement, next_position(session, agreement), heading, body)
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
    heading, body = check_text(heading, body)
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
        # A conflict (409): someone else opened it first, or the page was out of date.
        raise Conflict("The agreement is already open for drafting")
    agreement.drafting = True
    session.flush()
    latest = latest_version(session, agreement)
    number = latest.number + 1 if latest is not None else 1
    audit.record(
        session, actor, "agreement.drafting_opened", agreement, alliance=agreement.alliance,
        label=agreement.title, detail={"next_version": number},
    )


def clause_revisions(clause: Clause) -> Select[Any]:
    """Every revision of the clause, newest first, with its author (for paging)."""
    return (
        select(ClauseRevision)
        .where(ClauseRevision.clause_id == clause.id)
        .options(selectinload(ClauseRevision.author))
        .order_by(ClauseRevision.lock_version.desc())
    )


def clause_history(session: Session, clause: Clause, limit: int | None = None) -> list[ClauseRevision]:
    """The clause's revisions, newest first (the latest ``limit`` of them, if given)."""
    stmt = clause_revisions(clause)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def with_previous(
    session: Session, clause: Clause, revisions: list[ClauseRevision]
) -> list[tuple[ClauseRevision, ClauseRevision | None]]:
    """Each revision (newest first) with the one before it, to show what it changed.

    The oldest on the list is paired with the revision before it, even when that one is on
    another page (one query).
    """
    before = session.scalar(
        select(ClauseRevision)
        .where(ClauseRevision.clause_id == clause.id, ClauseRevision.lock_version < revisions[-1].lock_version)
        .order_by(ClauseRevision.lock_version.desc())
        .limit(1)
    ) if revisions else None
    return [(rev, revisions[i + 1] if i + 1 < len(revisions) else before) for i, rev in enumerate(revisions)]


def current_clause(session: Session, clause: Clause) -> Clause:
    """The clause as it is stored now (after someone else saved it first)."""
    current = session.get(Clause, clause.id, populate_existing=True)
    assert current is not None
    return current
