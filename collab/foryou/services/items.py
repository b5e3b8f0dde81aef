"""Gathering a person's items from every area's provider (``collab.attention``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Organisation
from collab.attention import Item, items_for
from collab.db import utcnow

#: On a first visit, "what changed" looks back this far.
FIRST_VISIT_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Gathered:
    """What one list shows: what needs you, what changed, and since when."""

    needs: list[Item]
    changed: list[Item]
    #: The moment "what changed" starts from.
    since: datetime
    #: True when the person had never looked before (``since`` is then FIRST_VISIT_WINDOW ago).
    first_visit: bool


def memberships_of(session: Session, user: User) -> list[Membership]:
    """Every membership of the person, with its alliance and organisation (one query)."""
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.user_id == user.id)
            .options(joinedload(Membership.alliance), joinedload(Membership.organisation))
            .join(Alliance, Alliance.id == Membership.alliance_id)
            .order_by(Alliance.name)
        ).unique()
    )


def with_organisations(session: Session, memberships: list[Membership]) -> list[Membership]:
    """The memberships, with the organisations they are held for loaded in one statement (none
    when there are none), so that reading ``membership.organisation`` runs no query."""
    wanted = {m.organisation_id for m in memberships if m.organisation_id is not None}
    if wanted:
        found = {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_(wanted)))}
        for m in memberships:  # set on each membership (the session keeps loaded rows only weakly)
            set_committed_value(m, "organisation", found.get(m.organisation_id) if m.organisation_id else None)
    return memberships


def gather(
    session: Session,
    user: User,
    previous_visit: datetime | None,
    *,
    alliance: Alliance | None = None,
    memberships: list[Membership] | None = None,
    now: datetime | None = None,
) -> Gathered:
    """The person's items from every area, in every alliance or in one.

    ``previous_visit`` is when they last looked (``record_visit``); None means never, and then
    "what changed" covers the last FIRST_VISIT_WINDOW.
    """
    now = now or utcnow()
    since = previous_visit or now - FIRST_VISIT_WINDOW
    if memberships is None:
        memberships = memberships_of(session, user)
    needs, changed = items_for(
        session, user, memberships, since, alliance_id=alliance.id if alliance is not None else None
    )
    return Gathered(needs=needs, changed=changed, since=since, first_visit=previous_visit is None)
