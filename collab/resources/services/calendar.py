"""Calendar feeds: a secret address per person, and their bookings as iCalendar (.ics)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab.accounts.models import User
from collab.alliances.models import Membership
from collab.db import utcnow
from collab.resources.models import Booking, BookingStatus, CalendarFeed, Resource
from collab.security import hash_token, new_token


def new_feed_address(session: Session, user: User) -> str:
    """Make (or replace) the person's secret calendar token; returns the token, shown once."""
    token, token_hash = new_token()
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        session.add(CalendarFeed(user_id=user.id, token_hash=token_hash, created_at=utcnow()))
    else:
        feed.token_hash = token_hash
        feed.created_at = utcnow()
        feed.last_used_at = None
    session.flush()
    return token


def stop_feed(session: Session, user: User) -> None:
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is not None:
        session.delete(feed)
        session.flush()


def feed_of(session: Session, user: User) -> CalendarFeed | None:
    return session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def user_for_token(session: Session, token: str) -> User | None:
    """The active account the token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token)))
    if feed is None or not feed.user.is_active_account:
        return None
    now = utcnow()
    # Calendar apps ask every few minutes: note the use at most once an hour (fewer writes).
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(hours=1):
        feed.last_used_at = now
    return feed.user


def feed_bookings(session: Session, user: User) -> list[Booking]:
    """The person's bookings and their organisations' (in alliances they still belong to), approved or waiting."""
    memberships = list(session.scalars(select(Membership).where(Membership.user_id == user.id)))
    conditions: list[Any] = []
    for m in memberships:
        mine = Booking.requested_by_id == user.id
        if m.organisation_id is not None:
            mine = mine | (Booking.organisation_id == m.organisation_id)
            # What others booked of your organisation's resources.
            mine = mine | Booking.resource_id.in_(select(Resource.id).where(
                Resource.organisation_id == m.organisation_id, Resource.alliance_id == m.alliance_id))
        conditions.append((Booking.alliance_id == m.alliance_id) & mine)
    if not conditions:
        return []
    from sqlalchemy import or_

    return list(
        session.scalars(
            select(Booking)
            .where(or_(*conditions), Booking.status.in_([BookingStatus.APPROVED, BookingStatus.REQUESTED]))
            .options(selectinload(Booking.resource), selectinload(Booking.organisation))
            .order_by(Booking.starts_at)
        )
    )


def ics(bookings: list[Booking], *, host: str, link: Any, now: datetime | None = None) -> bytes:
    """The bookings as an iCalendar file; ``link(booking)`` gives each one's address."""
    calendar = Calendar()
    calendar.add("prodid", "-//Collab//Shared resources//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Collab bookings")
    stamp = now or utcnow()
    for booking in bookings:
        event = Event()
        event.add("uid", f"booking-{booking.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        waiting = booking.status == BookingStatus.REQUESTED
        event.add("summary", f"{booking.resource.title}{' (waiting for approval)' if waiting else ''}")
        if booking.resource.location:
            event.add("location", booking.resource.location)
        event.add("description", booking.purpose)
        event.add("status", "TENTATIVE" if waiting else "CONFIRMED")
        event.add("url", link(booking))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
