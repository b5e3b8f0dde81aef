"""The workshops' items on the "For you" page: invitations to answer, workshops soon, actions due."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.attention import Item
from collab.db import utcnow
from collab.workshops.models import Action, ActionStatus, Invitee, Reply, Workshop

#: Workshops you are coming to show this many days ahead; actions this many days before they are due.
SOON = timedelta(days=14)
ACTION_WARNING = timedelta(days=7)


def _when(workshop: Workshop) -> str:
    start = workshop.local_start
    return f"{start:%A} {start.day} {start:%B}, {start:%H:%M}"


def workshop_items(session: Session, person: Any, memberships: Sequence[Any], since: datetime | None) -> Iterable[Item]:
    """Three queries whatever the number of alliances."""
    alliances = {m.alliance_id: m.alliance for m in memberships}
    now = utcnow()
    items: list[Item] = []
    rows = session.execute(
        select(Invitee, Workshop).join(Workshop, Workshop.id == Invitee.workshop_id).where(
            Invitee.user_id == person.id, Workshop.alliance_id.in_(alliances), Workshop.cancelled_at.is_(None),
            Workshop.ends_at > now,
        ).order_by(Workshop.starts_at)
    ).all()
    for invitee, workshop in rows:
        alliance = alliances[workshop.alliance_id]
        url = url_for("workshops.show", slug=alliance.slug, workshop_id=workshop.id)
        base = {"alliance_id": alliance.id, "alliance_name": alliance.name, "alliance_slug": alliance.slug, "url": url,
                    "area": "workshops"}
        if invitee.reply in (Reply.PENDING, Reply.MAYBE):
            items.append(Item(title=f"Say if you can come to {workshop.title}", due=workshop.starts_at,
                              detail=f"{_when(workshop)}. "
                              + ("You said maybe." if invitee.reply == Reply.MAYBE else "You have not replied yet."),
                              **base))
        elif invitee.reply == Reply.YES and workshop.starts_at - now <= SOON:
            items.append(Item(title=f"You are going to {workshop.title}", due=workshop.starts_at,
                              detail=_when(workshop), **base))
    actions = session.execute(
        select(Action, Workshop).join(Workshop, Workshop.id == Action.workshop_id).where(
            Action.owner_id == person.id, Action.status == ActionStatus.OPEN, Workshop.alliance_id.in_(alliances),
        ).order_by(Action.due_on)
    ).all()
    today = now.date()
    for action, workshop in actions:
        if action.due_on - today > ACTION_WARNING:
            continue
        alliance = alliances[workshop.alliance_id]
        overdue = action.due_on < today
        items.append(Item(
            alliance_id=alliance.id, alliance_name=alliance.name, alliance_slug=alliance.slug,
            title=f"{'Overdue: ' if overdue else ''}{action.text}",
            url=url_for("workshops.outcomes", slug=alliance.slug, workshop_id=workshop.id) + f"#action-{action.id}",
            area="workshops", due=datetime.combine(action.due_on, datetime.min.time(), tzinfo=now.tzinfo),
            detail=f"Action from {workshop.title}, due {action.due_on.day} {action.due_on:%B %Y}",
        ))
    return items
