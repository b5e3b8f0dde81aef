"""The value of sharing: each completed booking is an in-kind contribution from owner to borrower.

A booking is completed when it was approved and has ended; an organisation using its own
resource shares nothing, so those bookings do not count. Its value comes from the rate
copied onto it when it was made: per hour × hours × quantity; per day × whole days (a part
day counts as one) × quantity; per unit × quantity. Money is ``Decimal``, rounded to the
penny (half up) per booking, never a float.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.alliances.models import Alliance, SizeBand
from collab.db import utcnow
from collab.resources.models import Booking, BookingStatus, RateUnit, Resource
from collab.resources.services._common import to_local

PENNY = Decimal("0.01")
SECONDS_PER_HOUR = Decimal(3600)
SECONDS_PER_DAY = 86400
NO_ORGANISATION = "People and groups without an organisation"


def booking_value(booking: Booking) -> Decimal:
    """What one booking is worth, in pounds."""
    seconds = int((booking.ends_at - booking.starts_at).total_seconds())
    rate = Decimal(booking.rate)
    if booking.rate_unit == RateUnit.HOUR:
        amount = rate * Decimal(seconds) / SECONDS_PER_HOUR * booking.quantity
    elif booking.rate_unit == RateUnit.DAY:
        days = max(1, -(-seconds // SECONDS_PER_DAY))
        amount = rate * days * booking.quantity
    else:
        amount = rate * booking.quantity
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def completed_bookings(session: Session, alliance: Alliance, now: datetime | None = None) -> list[Booking]:
    now = now or utcnow()
    return list(
        session.scalars(
            _shared(alliance).where(Booking.ends_at <= now)
            .options(selectinload(Booking.resource).selectinload(Resource.organisation),
                     selectinload(Booking.organisation))
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def next_completion(session: Session, alliance: Alliance, now: datetime) -> datetime | None:
    """When the next shared booking ends after ``now`` (it then counts in ``completed_bookings``), or None."""
    ends: datetime | None = session.scalar(
        _shared(alliance).where(Booking.ends_at > now).with_only_columns(func.min(Booking.ends_at))
    )
    return ends


def _shared(alliance: Alliance) -> Any:
    """Approved bookings of this alliance's resources by someone other than their owner."""
    return (
        select(Booking)
        .join(Resource, Resource.id == Booking.resource_id)
        .where(Booking.alliance_id == alliance.id, Booking.status == BookingStatus.APPROVED,
               # An organisation using its own resource is not a contribution to anyone.
               or_(Booking.organisation_id.is_(None), Booking.organisation_id != Resource.organisation_id))
    )


def approved_to_come(session: Session, alliance: Alliance, now: datetime | None = None) -> list[Booking]:
    now = now or utcnow()
    return list(session.scalars(_shared(alliance).where(Booking.ends_at > now)))


@dataclass
class ValueReport:
    total: Decimal = Decimal("0.00")
    bookings: int = 0
    #: Organisation name -> value given (as owner).
    given: dict[str, Decimal] = field(default_factory=dict)
    #: Organisation name -> value received (as borrower).
    received: dict[str, Decimal] = field(default_factory=dict)
    #: Kind label -> value.
    by_kind: dict[str, Decimal] = field(default_factory=dict)
    #: "2026-03" -> value, in order.
    by_month: dict[str, Decimal] = field(default_factory=dict)
    #: Value received by micro and small organisations.
    to_small: Decimal = Decimal("0.00")
    #: Approved bookings still to come: what will count once they have happened.
    upcoming: Decimal = Decimal("0.00")
    upcoming_bookings: int = 0
    rows: list[tuple[Booking, Decimal]] = field(default_factory=list)

    @property
    def small_share(self) -> int:
        """Percentage of the total that went to micro and small organisations (whole number)."""
        if not self.total:
            return 0
        return int((self.to_small * 100 / self.total).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _sorted_desc(values: dict[str, Decimal]) -> dict[str, Decimal]:
    return dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))


def value_report(session: Session, alliance: Alliance, now: datetime | None = None) -> ValueReport:
    """Totals of completed bookings: by owner, by borrower, by kind, by month, and to small organisations."""
    report = ValueReport()
    given: dict[str, Decimal] = defaultdict(Decimal)
    received: dict[str, Decimal] = defaultdict(Decimal)
    by_kind: dict[str, Decimal] = defaultdict(Decimal)
    by_month: dict[str, Decimal] = defaultdict(Decimal)
    for booking in completed_bookings(session, alliance, now):
        amount = booking_value(booking)
        report.rows.append((booking, amount))
        report.total += amount
        report.bookings += 1
        given[booking.resource.organisation.name] += amount
        borrower = booking.organisation
        received[borrower.name if borrower is not None else NO_ORGANISATION] += amount
        by_kind[booking.resource.kind.label] += amount
        by_month[to_local(booking.starts_at).strftime("%Y-%m")] += amount
        if borrower is not None and borrower.size_band in (SizeBand.MICRO, SizeBand.SMALL):
            report.to_small += amount
    for booking in approved_to_come(session, alliance, now):
        report.upcoming += booking_value(booking)
        report.upcoming_bookings += 1
    report.given = _sorted_desc(given)
    report.received = _sorted_desc(received)
    report.by_kind = _sorted_desc(by_kind)
    report.by_month = dict(sorted(by_month.items()))
    return report


CSV_HEADER = ["Date", "Resource", "Kind", "Owner", "Borrower", "Borrower size", "Quantity", "Hours",
              "Rate (£)", "Rate per", "Value (£)"]


def csv_rows(report: ValueReport) -> Iterator[list[Any]]:
    """One line per completed booking, for the CSV export."""
    for booking, amount in report.rows:
        borrower = booking.organisation
        hours = (Decimal(int((booking.ends_at - booking.starts_at).total_seconds())) / SECONDS_PER_HOUR).quantize(PENNY)
        yield [
            to_local(booking.starts_at).strftime("%Y-%m-%d %H:%M"),
            booking.resource.title,
            booking.resource.kind.label,
            booking.resource.organisation.name,
            borrower.name if borrower is not None else NO_ORGANISATION,
            borrower.size_band.short_label if borrower is not None else "",
            booking.quantity,
            str(hours),
            str(booking.rate),
            booking.rate_unit.value,
            str(amount),
        ]


def in_kind_lines(session: Session, alliance: Alliance) -> list[Any]:
    """What the alliance's value page counts as in-kind value: each completed booking, from its owner.

    Registered with ``collab.value.in_kind`` in this area's ``init_app``; the same bookings and
    values as the shared-resources value page (``value_report``), so the two always agree.
    """
    from collab.value.in_kind import InKindLine

    lines = []
    for booking in completed_bookings(session, alliance):
        owner = booking.resource.organisation
        borrower = booking.organisation
        lent_to = f" to {borrower.name}" if borrower is not None else ""
        lines.append(InKindLine(
            organisation_id=owner.id, organisation_name=owner.name,
            description=f"{booking.resource.title} lent{lent_to}", value=booking_value(booking),
            on=to_local(booking.starts_at).date(),
        ))
    return lines


def record_value_download(session: Session, actor: Any, alliance: Alliance) -> None:
    """Record in the alliance's activity that someone downloaded the value of shared resources (CSV)."""
    audit.record(session, actor, "resource.value_downloaded", alliance, alliance=alliance, label=alliance.name,
                 detail={"format": "csv"})
