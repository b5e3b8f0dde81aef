"""Booking: requests (once or weekly), approval, declining, cancelling, and no double booking.

Every decision that makes a booking count (an auto-approved request, an approval) first locks
the resource (``lock_resource``), then counts the approved bookings that overlap, so two
requests for the same slot are decided one after the other and the second sees the first.
On PostgreSQL an exclusion constraint also refuses overlapping approved bookings of a
single-unit resource (migration 0015).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab import audit
from collab.db import utcnow
from collab.errors import DomainError, NotAllowed
from collab.notifications.services import notify
from collab.resources.models import Booking, BookingStatus, Resource
from collab.resources.services._common import (
    check_text,
    local_datetime,
    lock_resource,
    membership_of,
    representatives,
    to_local,
)
from collab.resources.services.availability import outside_hours
from collab.resources.services.booking_queries import (  # noqa: F401  (re-exported: one place to import bookings from)
    as_utc,
    bookings_between,
    bookings_of_person,
    get_booking,
    waiting_for,
)

MAX_REPEATS = 52
MAX_PURPOSE = 2000
#: How far either side of a refused time to look for free ones.
SEARCH_DAYS = 14
SEARCH_STEP = timedelta(minutes=30)

Link = Callable[[Booking], str]


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime

    def label(self) -> str:
        return when_label(self.starts_at, self.ends_at)


@dataclass
class Problem:
    """One occurrence that cannot be booked, why, and the nearest free times."""

    starts_at: datetime
    ends_at: datetime
    reason: str
    free: list[Slot] = field(default_factory=list)

    def label(self) -> str:
        return when_label(self.starts_at, self.ends_at)


class BookingConflict(DomainError):
    """The time is taken or the resource is not open then; ``problems`` says so per occurrence."""

    status = 409

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message, field=None)
        self.problems = problems


@dataclass
class RequestResult:
    bookings: list[Booking]
    skipped: list[Problem]

    @property
    def approved(self) -> bool:
        return bool(self.bookings) and all(b.status == BookingStatus.APPROVED for b in self.bookings)


def when_label(starts_at: datetime, ends_at: datetime) -> str:
    """"Tuesday 3 March 2026, 10am to 12pm" in UK time."""
    start, end = to_local(starts_at), to_local(ends_at)

    def clock(at: datetime) -> str:
        hour = at.hour % 12 or 12
        suffix = "am" if at.hour < 12 else "pm"
        return f"{hour}{suffix}" if at.minute == 0 else f"{hour}:{at.minute:02d}{suffix}"

    day = f"{start:%A} {start.day} {start:%B %Y}"
    if end.date() == start.date() or (end - start <= timedelta(days=1) and end.time() == time(0)):
        return f"{day}, {clock(start)} to {clock(end)}"
    return f"{day}, {clock(start)} to {end:%A} {end.day} {end:%B %Y}, {clock(end)}"


def peak_use(bookings: Sequence[Booking], starts_at: datetime, ends_at: datetime) -> int:
    """The most units in use at any moment between the two times by these bookings."""
    events: list[tuple[datetime, int]] = []
    for b in bookings:
        if b.starts_at < ends_at and b.ends_at > starts_at:
            events.append((max(b.starts_at, starts_at), b.quantity))
            events.append((min(b.ends_at, ends_at), -b.quantity))
    events.sort(key=lambda e: (e[0], e[1]))  # ends before starts at the same instant
    peak = running = 0
    for _moment, change in events:
        running += change
        peak = max(peak, running)
    return peak


def approved_between(session: Session, resource: Resource, starts_at: datetime, ends_at: datetime) -> list[Booking]:
    return list(
        session.scalars(
            select(Booking).where(
                Booking.resource_id == resource.id,
                Booking.status == BookingStatus.APPROVED,
                Booking.starts_at < ends_at,
                Booking.ends_at > starts_at,
            )
        )
    )


def _fits(resource: Resource, approved: Sequence[Booking], starts_at: datetime, ends_at: datetime,
          quantity: int) -> str | None:
    reason = outside_hours(resource, starts_at, ends_at)
    if reason:
        return f"{resource.title} is not available then. {reason}"
    in_use = peak_use(approved, starts_at, ends_at)
    if in_use + quantity > resource.units:
        if resource.units == 1:
            return f"{resource.title} is already booked then"
        free = max(resource.units - in_use, 0)
        return f"Only {free} of {resource.units} can be booked then" if free else f"All {resource.units} are booked then"
    return None


def nearest_free(resource: Resource, approved: Sequence[Booking], starts_at: datetime, ends_at: datetime,
                 quantity: int, now: datetime, limit: int = 3) -> list[Slot]:
    """The free times of the same length nearest to the one asked for (before or after, not past)."""
    length = ends_at - starts_at
    found: list[Slot] = []
    steps = int(timedelta(days=SEARCH_DAYS) / SEARCH_STEP)
    for k in range(1, steps + 1):
        for sign in (1, -1):
            start = starts_at + sign * k * SEARCH_STEP
            if start <= now:
                continue
            try:
                fits = _fits(resource, approved, start, start + length, quantity) is None
            except DomainError:
                fits = False
            if fits:
                found.append(Slot(start, start + length))
                if len(found) == limit:
                    return sorted(found, key=lambda s: s.starts_at)
    return sorted(found, key=lambda s: s.starts_at)


def plan(on: date, starts: time, ends_on: date | None, ends: time, repeat_weeks: int) -> list[tuple[datetime, datetime]]:
    """Each weekly occurrence as UTC times: the same UK clock time every week, whatever the clocks do."""
    ends_on = ends_on or on
    if not 1 <= repeat_weeks <= MAX_REPEATS:
        raise DomainError(f"Enter how many weeks, from 1 to {MAX_REPEATS}", field="repeat_weeks")
    first_start = local_datetime(on, starts, "starts")
    first_end = local_datetime(ends_on, ends, "ends")
    if first_end <= first_start:
        raise DomainError("The end must be after the start", field="ends")
    if first_end - first_start > timedelta(days=31):
        raise DomainError("A booking can last at most 31 days", field="ends_on")
    found = [(first_start, first_end)]
    for week in range(1, repeat_weeks):
        shift = timedelta(weeks=week)
        try:
            found.append((local_datetime(on + shift, starts, "starts"), local_datetime(ends_on + shift, ends, "ends")))
        except DomainError as error:
            raise DomainError(f"Week {week + 1}: {error.message}", field="starts") from None
    return found


def request_booking(
    session: Session,
    actor: Any,
    resource: Resource,
    *,
    on: date,
    starts: time,
    ends: time,
    ends_on: date | None = None,
    quantity: int = 1,
    purpose: str,
    repeat_weeks: int = 1,
    skip_conflicts: bool = False,
    link: Link | None = None,
    now: datetime | None = None,
) -> RequestResult:
    """Ask to book a resource once or weekly; approved at once if it is auto-approve and free.

    Occurrences that are taken or outside the opening hours are reported one by one with the
    nearest free times: nothing is booked (``BookingConflict``) unless ``skip_conflicts`` says
    to book the others.
    """
    now = now or utcnow()
    if not resource.is_active:
        raise DomainError(f"{resource.title} is {resource.status.label.lower()}, so it cannot be booked just now")
    membership = membership_of(session, actor, resource.alliance)
    if membership is None:
        raise NotAllowed("Only members of the alliance can book")
    purpose = check_text(purpose, "what it is for", "purpose", MAX_PURPOSE)
    if quantity is None or quantity < 1:
        raise DomainError("Enter how many you need, 1 or more", field="quantity")
    if quantity > resource.units:
        raise DomainError(f"There {'is' if resource.units == 1 else 'are'} only {resource.units} to book",
                          field="quantity")
    occurrences = plan(on, starts, ends_on, ends, repeat_weeks)
    if occurrences[0][0] <= now:
        raise DomainError("The start must be in the future", field="on")

    lock_resource(session, resource)
    span_start = occurrences[0][0] - timedelta(days=SEARCH_DAYS)
    span_end = occurrences[-1][1] + timedelta(days=SEARCH_DAYS)
    approved = approved_between(session, resource, span_start, span_end)
    series = secrets.token_hex(8) if len(occurrences) > 1 else None
    status = BookingStatus.APPROVED if resource.auto_approve else BookingStatus.REQUESTED
    made: list[Booking] = []
    problems: list[Problem] = []
    for starts_at, ends_at in occurrences:
        reason = _fits(resource, approved, starts_at, ends_at, quantity)
        if reason:
            problems.append(Problem(starts_at, ends_at, reason,
                                    nearest_free(resource, approved, starts_at, ends_at, quantity, now)))
            continue
        booking = Booking(
            resource=resource, alliance_id=resource.alliance_id, organisation_id=membership.organisation_id,
            requested_by_id=actor.id, starts_at=starts_at, ends_at=ends_at, quantity=quantity, purpose=purpose,
            status=status, exclusive=resource.units == 1, series=series, rate=resource.rate,
            rate_unit=resource.rate_unit, created_at=now,
        )
        if status == BookingStatus.APPROVED:
            booking.decided_at = now
            approved.append(booking)  # later occurrences of a long weekly booking count it too
        made.append(booking)
    if problems and (not skip_conflicts or not made):
        count = len(problems)
        if len(occurrences) == 1:
            message = problems[0].reason
        elif count == len(occurrences):
            message = f"None of the {count} dates can be booked"
        else:
            message = f"{count} of the {len(occurrences)} dates cannot be booked"
        raise BookingConflict(message, problems)
    session.add_all(made)
    session.flush()
    audit.record(session, actor, "resource.booking_requested" if status == BookingStatus.REQUESTED
                 else "resource.booked", resource, alliance=resource.alliance, label=resource.title,
                 detail={"when": made[0].starts_at.isoformat(), "occurrences": len(made),
                         "skipped": len(problems)})
    _tell_owner(session, actor, resource, made, link)
    return RequestResult(made, problems)


def _borrower_name(session: Session, actor: Any, booking: Booking) -> str:
    return booking.organisation.name if booking.organisation is not None else actor.display_name


def _tell_owner(session: Session, actor: Any, resource: Resource, made: list[Booking], link: Link | None) -> None:
    first = made[0]
    who = _borrower_name(session, actor, first)
    times = f" ({len(made)} weeks)" if len(made) > 1 else ""
    if first.status == BookingStatus.REQUESTED:
        title = f"{who} asked to book {resource.title}: {when_label(first.starts_at, first.ends_at)}{times}"
        kind = "resource_booking_requested"
    else:
        title = f"{who} booked {resource.title}: {when_label(first.starts_at, first.ends_at)}{times}"
        kind = "resource_booking_made"
    people = [m.user for m in representatives(session, resource.alliance_id, resource.organisation_id)]
    notify(session, people, kind, title, body=first.purpose, url=link(first) if link else "",
           alliance=resource.alliance, exclude=actor)


def _series_members(session: Session, booking: Booking, whole_series: bool,
                    statuses: tuple[BookingStatus, ...], now: datetime) -> list[Booking]:
    if not whole_series or booking.series is None:
        return [booking]
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.series == booking.series, Booking.status.in_(statuses), Booking.ends_at > now)
            .order_by(Booking.starts_at)
        )
    )


def _lock_and_reload(session: Session, booking: Booking) -> None:
    """Take the resource's lock, then read the booking's status again: a decision made by
    someone else while we waited is seen, never overwritten."""
    lock_resource(session, booking.resource)
    session.refresh(booking, ["status"])


def approve(session: Session, actor: Any, booking: Booking, *, note: str = "", whole_series: bool = False,
            link: Link | None = None, now: datetime | None = None) -> tuple[list[Booking], list[Problem]]:
    """Approve a request (or every waiting date of its weekly series) if the time is still free.

    A single request that now clashes raises ``BookingConflict``; for a series, the free dates
    are approved and the clashing ones stay waiting and are returned.
    """
    now = now or utcnow()
    note = check_text(note, "a note", "note", MAX_PURPOSE, required=False)
    if booking.status != BookingStatus.REQUESTED:
        raise DomainError(f"This booking is already {booking.status.label.lower()}")
    resource = booking.resource
    _lock_and_reload(session, booking)
    if booking.status != BookingStatus.REQUESTED:  # someone decided it while we waited for the lock
        raise DomainError(f"This booking is already {booking.status.label.lower()}")
    targets = _series_members(session, booking, whole_series, (BookingStatus.REQUESTED,), now)
    span_start = min(b.starts_at for b in targets) - timedelta(days=SEARCH_DAYS)
    span_end = max(b.ends_at for b in targets) + timedelta(days=SEARCH_DAYS)
    approved = approved_between(session, resource, span_start, span_end)
    done: list[Booking] = []
    problems: list[Problem] = []
    for target in targets:
        in_use = peak_use(approved, target.starts_at, target.ends_at)
        if in_use + target.quantity > resource.units:
            reason = (f"{resource.title} is already booked then" if resource.units == 1
                      else f"Only {max(resource.units - in_use, 0)} of {resource.units} are free then")
            problems.append(Problem(target.starts_at, target.ends_at, reason,
                                    nearest_free(resource, approved, target.starts_at, target.ends_at,
                                                 target.quantity, now)))
            continue
        target.status = BookingStatus.APPROVED
        target.decided_by_id = actor.id
        target.decided_at = now
        target.decision_reason = note
        approved.append(target)
        done.append(target)
    if not done:
        raise BookingConflict(problems[0].reason if len(problems) == 1 else
                              f"None of the {len(problems)} dates can be approved", problems)
    session.flush()
    audit.record(session, actor, "resource.booking_approved", resource, alliance=resource.alliance,
                 label=resource.title, detail={"when": done[0].starts_at.isoformat(), "occurrences": len(done)})
    _tell_requester(session, actor, done, "approved", note, link)
    return done, problems


def decline(session: Session, actor: Any, booking: Booking, *, reason: str, whole_series: bool = False,
            link: Link | None = None, now: datetime | None = None) -> list[Booking]:
    """Say no to a request, with a reason the requester sees."""
    now = now or utcnow()
    reason = check_text(reason, "the reason", "reason", MAX_PURPOSE)
    _lock_and_reload(session, booking)
    if booking.status != BookingStatus.REQUESTED:
        raise DomainError(f"This booking is already {booking.status.label.lower()}")
    targets = _series_members(session, booking, whole_series, (BookingStatus.REQUESTED,), now)
    for target in targets:
        target.status = BookingStatus.DECLINED
        target.decided_by_id = actor.id
        target.decided_at = now
        target.decision_reason = reason
    session.flush()
    audit.record(session, actor, "resource.booking_declined", booking.resource, alliance=booking.resource.alliance,
                 label=booking.resource.title, detail={"when": booking.starts_at.isoformat(),
                                                       "occurrences": len(targets)})
    _tell_requester(session, actor, targets, "declined", reason, link)
    return targets


def cancel(session: Session, actor: Any, booking: Booking, *, reason: str, whole_series: bool = False,
           link: Link | None = None, now: datetime | None = None) -> list[Booking]:
    """Cancel a booking (or the rest of its series) that has not ended, with a reason; the other side is told."""
    now = now or utcnow()
    reason = check_text(reason, "the reason", "reason", MAX_PURPOSE)
    _lock_and_reload(session, booking)
    if not booking.is_open:
        raise DomainError(f"This booking is already {booking.status.label.lower()}")
    if booking.ends_at <= now:
        raise DomainError("This booking has already happened, so it cannot be cancelled")
    targets = _series_members(session, booking, whole_series, (BookingStatus.REQUESTED, BookingStatus.APPROVED), now)
    for target in targets:
        target.status = BookingStatus.CANCELLED
        target.cancelled_by_id = actor.id
        target.cancelled_at = now
        target.cancel_reason = reason
    session.flush()
    resource = booking.resource
    audit.record(session, actor, "resource.booking_cancelled", resource, alliance=resource.alliance,
                 label=resource.title, detail={"when": booking.starts_at.isoformat(), "occurrences": len(targets)})
    times = f" ({len(targets)} dates)" if len(targets) > 1 else ""
    title = f"A booking of {resource.title} was cancelled: {when_label(booking.starts_at, booking.ends_at)}{times}"
    owners = [m.user for m in representatives(session, resource.alliance_id, resource.organisation_id)]
    borrowers = [m.user for m in representatives(session, resource.alliance_id, booking.organisation_id)]
    if booking.requested_by is not None:
        borrowers.append(booking.requested_by)
    notify(session, [*owners, *borrowers], "resource_booking_cancelled", title, body=f"Reason: {reason}",
           url=link(booking) if link else "", alliance=resource.alliance, exclude=actor)
    return targets


def _tell_requester(session: Session, actor: Any, bookings: list[Booking], outcome: str, reason: str,
                    link: Link | None) -> None:
    first = bookings[0]
    times = f" ({len(bookings)} dates)" if len(bookings) > 1 else ""
    title = f"Your booking of {first.resource.title} was {outcome}: {when_label(first.starts_at, first.ends_at)}{times}"
    people = [m.user for m in representatives(session, first.alliance_id, first.organisation_id)]
    if first.requested_by is not None:
        people.append(first.requested_by)
    notify(session, people, "resource_booking_decided", title,
           body=(f"Reason: {reason}" if outcome == "declined" else reason),
           url=link(first) if link else "", alliance=first.resource.alliance, exclude=actor)


#: What a list of bookings shows (loaded with the list, not one query per row).
