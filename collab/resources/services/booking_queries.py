"""Reading bookings: one booking, a resource's bookings in a period, what waits for a decision, a person's bookings."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab.db import utcnow
from collab.resources.models import Booking, BookingStatus, Resource

_SHOWN = (selectinload(Booking.resource), selectinload(Booking.organisation), selectinload(Booking.requested_by))


def get_booking(session: Session, resource: Resource, booking_id: int) -> Booking | None:
    booking = session.get(Booking, booking_id)
    return booking if booking is not None and booking.resource_id == resource.id else None


def bookings_between(session: Session, resource: Resource, starts_at: datetime, ends_at: datetime,
                     *, include_requests: bool = True) -> list[Booking]:
    """Bookings of a resource that overlap a time, earliest first (approved, and waiting ones if asked)."""
    statuses = [BookingStatus.APPROVED, *([BookingStatus.REQUESTED] if include_requests else [])]
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.resource_id == resource.id, Booking.status.in_(statuses),
                   Booking.starts_at < ends_at, Booking.ends_at > starts_at)
            .options(*_SHOWN)
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def waiting_for(session: Session, resource: Resource) -> list[Booking]:
    """Requests waiting for the owner's answer, soonest first."""
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.resource_id == resource.id, Booking.status == BookingStatus.REQUESTED,
                   Booking.ends_at > utcnow())
            .options(*_SHOWN)
            .order_by(Booking.starts_at)
        )
    )


def bookings_of_person(session: Session, alliance_id: int | None, user: Any, organisation_id: int | None,
                       *, since: datetime | None = None) -> list[Booking]:
    """Bookings made by the person or their organisation (in one alliance, or all with None)."""
    who = Booking.requested_by_id == user.id
    if organisation_id is not None:
        who = who | (Booking.organisation_id == organisation_id)
    stmt = select(Booking).where(who).order_by(Booking.starts_at).options(*_SHOWN)
    if alliance_id is not None:
        stmt = stmt.where(Booking.alliance_id == alliance_id)
    if since is not None:
        stmt = stmt.where(Booking.ends_at > since)
    return list(session.scalars(stmt))


def as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
