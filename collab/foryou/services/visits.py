"""Visits: when each person last looked at their items, overall or in one alliance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.foryou.models import AttentionVisit

#: Requests closer together than this are one sitting: reloading the page, or coming back to it
#: after acting on an item, keeps showing what changed since the visit before.
SITTING_GAP = timedelta(minutes=30)

#: A visit is written at most this often (a page reloaded within it writes nothing).
WRITE_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Visit:
    #: The end of the person's previous sitting (None: they never looked before).
    previous: datetime | None
    #: Whether anything was written (the route commits only then).
    written: bool


def scope_for(alliance: Alliance | None) -> str:
    """"all" for the For you page, "alliance:<id>" for one alliance's panel."""
    return "all" if alliance is None else f"alliance:{alliance.id}"


def record_visit(
    session: Session, user: User, alliance: Alliance | None = None, *, now: datetime | None = None
) -> Visit:
    """Note that ``user`` is looking now, and say when their previous sitting ended.

    Two requests at the same moment both find no row: the unique constraint keeps one, and the
    other reads it back.
    """
    now = now or utcnow()
    scope = scope_for(alliance)

    def find() -> AttentionVisit | None:
        return session.scalar(select(AttentionVisit).where(AttentionVisit.user_id == user.id, AttentionVisit.scope == scope))

    visit = find()
    if visit is None:
        try:
            with session.begin_nested():
                session.add(AttentionVisit(
                    user_id=user.id, scope=scope, alliance_id=alliance.id if alliance is not None else None,
                    seen_at=now, sitting_started_at=now, previous_seen_at=None,
                ))
            return Visit(previous=None, written=True)
        except IntegrityError:
            visit = find()
            if visit is None:  # pragma: no cover - the row that won the race is there
                return Visit(previous=None, written=False)
    if now - visit.seen_at < WRITE_EVERY:
        return Visit(previous=visit.previous_seen_at, written=False)
    if now - visit.seen_at > SITTING_GAP:
        visit.previous_seen_at = visit.seen_at
        visit.sitting_started_at = now
    visit.seen_at = now
    session.flush()
    return Visit(previous=visit.previous_seen_at, written=True)


def peek_visit(session: Session, user: User, alliance: Alliance | None = None, *, now: datetime | None = None) -> Visit:
    """What ``record_visit`` would say, without writing (when the database is too busy to note the visit)."""
    now = now or utcnow()
    visit = session.scalar(
        select(AttentionVisit).where(AttentionVisit.user_id == user.id, AttentionVisit.scope == scope_for(alliance))
    )
    if visit is None:
        return Visit(previous=None, written=False)
    if now - visit.seen_at > SITTING_GAP:  # a new sitting would start now: the last one ended then
        return Visit(previous=visit.seen_at, written=False)
    return Visit(previous=visit.previous_seen_at, written=False)
