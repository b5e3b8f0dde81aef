"""Page assembly for shared resources: calendars, the value chart, and the "For you" items."""

from __future__ import annotations

import calendar as calendar_module
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from collab.attention import Item
from collab.db import utcnow
from collab.resources import services
from collab.resources.models import Booking, BookingStatus, Need, NeedOffer, NeedStatus, Resource


def booking_url(booking: Booking) -> str:
    return url_for("resources.booking", slug=booking.alliance.slug, resource_id=booking.resource_id,
                   booking_id=booking.id)


# Calendars ---------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    windows: list[services.Window]
    bookings: list[Booking] = field(default_factory=list)
    in_month: bool = True

    @property
    def closed(self) -> bool:
        return not self.windows


@dataclass
class CalendarPage:
    view: str
    anchor: date
    title: str
    weeks: list[list[Day]]
    previous: date
    next: date
    bookings: list[Booking]


def _days(resource: Resource, first: date, last: date, bookings: Sequence[Booking], month: int | None) -> list[Day]:
    days = []
    current = first
    while current <= last:
        start, end = services.day_bounds(current)
        days.append(Day(current, services.windows_on(resource, current),
                        [b for b in bookings if b.starts_at < end and b.ends_at > start],
                        in_month=month is None or current.month == month))
        current += timedelta(days=1)
    return days


def calendar_page(session: Session, resource: Resource, view: str, anchor: date) -> CalendarPage:
    """A week (Monday to Sunday), a month (whole weeks), or a list of the next 8 weeks."""
    if view == "month":
        first_of_month = anchor.replace(day=1)
        last_of_month = first_of_month.replace(day=calendar_module.monthrange(anchor.year, anchor.month)[1])
        first = first_of_month - timedelta(days=first_of_month.weekday())
        last = last_of_month + timedelta(days=6 - last_of_month.weekday())
        previous = (first_of_month - timedelta(days=1)).replace(day=1)
        following = last_of_month + timedelta(days=1)
        title = f"{first_of_month:%B %Y}"
        month: int | None = anchor.month
    elif view == "list":
        first, last = anchor, anchor + timedelta(days=55)
        previous, following = anchor - timedelta(days=56), anchor + timedelta(days=56)
        title = f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"
        month = None
    else:
        view = "week"
        first = anchor - timedelta(days=anchor.weekday())
        last = first + timedelta(days=6)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
        title = f"Week of {first.day} {first:%B %Y}"
        month = None
    start, _ = services.day_bounds(first)
    _, end = services.day_bounds(last)
    bookings = services.bookings_between(session, resource, start, end)
    days = _days(resource, first, last, bookings, month)
    weeks = [days[i:i + 7] for i in range(0, len(days), 7)]
    return CalendarPage(view, anchor, title, weeks, previous, following, bookings)


# The value chart -----------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: Decimal
    y: int
    width: int

    @property
    def short(self) -> str:
        """The label as it fits beside its bar (the table beside the chart has it in full)."""
        return self.label if len(self.label) <= 30 else self.label[:29] + "…"


@dataclass
class Chart:
    """A horizontal bar chart drawn on the server as SVG, with a table of the same numbers beside it."""

    title: str
    bars: list[Bar]
    height: int
    label_width: int = 220
    bar_space: int = 360
    row: int = 32


def bar_chart(title: str, values: dict[str, Decimal]) -> Chart:
    top = max(values.values(), default=Decimal(0))
    bars = []
    for index, (label, value) in enumerate(values.items()):
        width = int(value / top * 360) if top > 0 else 0
        bars.append(Bar(label, value, 8 + index * 32, max(width, 1)))
    return Chart(title, bars, height=16 + 32 * max(len(bars), 1))


def month_label(key: str) -> str:
    year, month = key.split("-")
    return f"{calendar_module.month_name[int(month)]} {year}"


def money(value: Decimal | int | None) -> str:
    """£1,234.50 (pence only when there are some)."""
    amount = Decimal(value or 0)
    text = f"£{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


# "For you" -----------------------------------------------------------------------------------


def attention_items(session: Session, person: Any, memberships: Sequence[Any], since: datetime | None) -> list[Item]:
    """Requests waiting for your organisation, your bookings in the next week, offers on your needs."""
    now = utcnow()
    by_alliance = {m.alliance_id: m for m in memberships}
    orgs = [(m.alliance_id, m.organisation_id) for m in memberships if m.organisation_id is not None]
    items: list[Item] = []
    if orgs:
        waiting = session.scalars(
            select(Booking)
            .join(Resource, Resource.id == Booking.resource_id)
            .where(Booking.status == BookingStatus.REQUESTED, Booking.ends_at > now,
                   or_(*[(Resource.alliance_id == a) & (Resource.organisation_id == o) for a, o in orgs]))
            .options(selectinload(Booking.resource), selectinload(Booking.organisation),
                     selectinload(Booking.requested_by))
            .order_by(Booking.starts_at).limit(50)
        )
        for booking in waiting:
            alliance = by_alliance[booking.alliance_id].alliance
            who = booking.organisation.name if booking.organisation else (
                booking.requested_by.display_name if booking.requested_by else "Someone")
            items.append(Item(
                alliance.id, alliance.name, alliance.slug,
                title=f"Approve or decline: {who} asked to book {booking.resource.title}",
                url=url_for("resources.booking", slug=alliance.slug, resource_id=booking.resource_id,
                            booking_id=booking.id),
                area="resources", needs_you=True, due=booking.starts_at,
                detail=services.when_label(booking.starts_at, booking.ends_at),
            ))
    mine = [Booking.requested_by_id == person.id]
    mine += [(Booking.alliance_id == a) & (Booking.organisation_id == o) for a, o in orgs]
    upcoming = session.scalars(
        select(Booking)
        .where(Booking.alliance_id.in_(list(by_alliance)), Booking.status == BookingStatus.APPROVED,
               Booking.ends_at > now, Booking.starts_at < now + timedelta(days=7), or_(*mine))
        .options(selectinload(Booking.resource))
        .order_by(Booking.starts_at).limit(20)
    )
    for booking in upcoming:
        alliance = by_alliance[booking.alliance_id].alliance
        items.append(Item(
            alliance.id, alliance.name, alliance.slug,
            title=f"Booked: {booking.resource.title}",
            url=url_for("resources.booking", slug=alliance.slug, resource_id=booking.resource_id,
                        booking_id=booking.id),
            area="resources", needs_you=False, happened_at=booking.decided_at or booking.created_at,
            detail=services.when_label(booking.starts_at, booking.ends_at),
        ))
    offers = select(NeedOffer).join(Need, Need.id == NeedOffer.need_id).where(
        Need.posted_by_id == person.id, Need.status == NeedStatus.OPEN,
        Need.alliance_id.in_(list(by_alliance)))
    if since is not None:
        offers = offers.where(NeedOffer.created_at > since)
    for offer in session.scalars(offers.options(selectinload(NeedOffer.need), selectinload(NeedOffer.organisation))
                                 .order_by(NeedOffer.created_at.desc()).limit(20)):
        alliance = by_alliance[offer.need.alliance_id].alliance
        items.append(Item(
            alliance.id, alliance.name, alliance.slug,
            title=f"{offer.organisation.name} offered help with your need: {offer.need.title}",
            url=url_for("resources.need", slug=alliance.slug, need_id=offer.need_id),
            area="resources", needs_you=False, happened_at=offer.created_at,
        ))
    return items
