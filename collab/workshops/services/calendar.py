"""Workshops in people's calendars: one .ics file per workshop, and a secret feed per person.

Times are written with ``TZID=Europe/London`` (the workshop's zone) and the zone's
VTIMEZONE, so a calendar app shows 10:00 on both sides of a clock change.
"""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event, Timezone
from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.db import utcnow
from collab.security import hash_token, new_token
from collab.workshops.models import CalendarFeed, Invitee, Reply, Workshop

PRODID = "-//Collab//Co-production workshops//EN"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _event(workshop: Workshop, url: str, *, host: str) -> Event:
    event = Event()
    event.add("uid", f"workshop-{workshop.id}@{host}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", workshop.local_start)
    event.add("dtend", workshop.local_end)
    event.add("summary", workshop.title)
    event.add("sequence", workshop.sequence)
    where = []
    if workshop.in_person and workshop.address:
        where.append(workshop.address.replace("\n", ", "))
    if workshop.online and workshop.meeting_link:
        where.append(f"Online: {workshop.meeting_link}")
    if where:
        event.add("location", " / ".join(where))
    lines = [workshop.purpose]
    if workshop.access_features:
        lines.append("Access: " + ", ".join(workshop.access_features))
    if workshop.access_notes:
        lines.append(workshop.access_notes)
    if url:
        lines.append(f"Details and your reply: {url}")
        event.add("url", url)
    event.add("description", "\n\n".join(line for line in lines if line))
    event.add("status", "CANCELLED" if workshop.is_cancelled else "CONFIRMED")
    return event


def _add_zones(cal: Calendar, workshops: list[Workshop]) -> None:
    zones = sorted({w.time_zone for w in workshops})
    if not workshops:
        return
    first = min(w.starts_at for w in workshops) - timedelta(days=366)
    last = max(w.ends_at for w in workshops) + timedelta(days=366)
    for name in zones:
        cal.add_component(Timezone.from_tzid(name, first_date=first.date(), last_date=last.date()))


def workshop_ics(workshop: Workshop, url: str, *, host: str) -> bytes:
    """One workshop as an iCalendar file."""
    cal = _calendar(workshop.title)
    _add_zones(cal, [workshop])
    cal.add_component(_event(workshop, url, host=host))
    return bytes(cal.to_ical())


def feed_ics(session: Session, user: User, url_for_workshop: dict[int, str] | None = None, *, host: str) -> bytes:
    """Every workshop the person has a place at, is waiting for, or may come to (including past ones)."""
    rows = list(session.scalars(
        select(Workshop).join(Invitee, Invitee.workshop_id == Workshop.id)
        .where(Invitee.user_id == user.id, Invitee.reply.in_([Reply.YES, Reply.WAITING, Reply.MAYBE, Reply.PENDING]))
        .order_by(Workshop.starts_at)
    ))
    cal = _calendar("Collab workshops")
    _add_zones(cal, rows)
    for workshop in rows:
        cal.add_component(_event(workshop, (url_for_workshop or {}).get(workshop.id, ""), host=host))
    return bytes(cal.to_ical())


def new_feed_token(session: Session, user: User) -> str:
    """Make (or replace) the person's secret feed address; returns the token, shown once."""
    token, token_hash = new_token()
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        session.add(feed)
    feed.token_hash = token_hash
    feed.created_at = utcnow()
    session.flush()
    return token


def has_feed(session: Session, user: User) -> bool:
    return session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id)) is not None


def stop_feed(session: Session, user: User) -> None:
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is not None:
        session.delete(feed)
        session.flush()


def feed_owner(session: Session, token: str) -> User | None:
    """The person whose feed this token opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(token)))
    if feed is None or not feed.user.is_active_account:
        return None
    return feed.user
