"""Seats: who responds to proposals (one seat per member organisation, one per service user
or carer) and which organisations sign.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab.accounts.models import User
from collab.agreements.services._common import ORGANISATION_ROLES
from collab.alliances.models import Alliance, Membership, Organisation, Role


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


def memberships(session: Session, alliance: Alliance, organisations_only: bool = False) -> list[Membership]:
    """Members who hold a seat (or, with ``organisations_only``, who sign for an organisation)."""
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
    for m in memberships(session, alliance, organisations_only):
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
    """The seat the user responds for, or None."""
    for seat in seats(session, alliance):
        if any(p.id == user.id for p in seat.people):
            return seat
    return None


def member_organisations(session: Session, alliance: Alliance) -> list[Seat]:
    """The organisations that sign the agreement."""
    return seats(session, alliance, organisations_only=True)
