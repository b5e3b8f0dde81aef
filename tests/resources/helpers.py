"""Resources, opening hours and bookings for the resource tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from collab.alliances.models import Alliance, Membership, Organisation, Role, SizeBand
from collab.db import db
from collab.resources import services
from collab.resources.models import Resource
from tests.factories import add_member, make_alliance, make_organisation, make_user

#: A fixed "now" for service tests: Friday 1 January 2027, noon UTC.
NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
WEEKDAYS_9_TO_5 = [(d, time(9), time(17)) for d in range(5)]


def next_weekday(weekday: int, after: date = NOW.date()) -> date:
    """The first date after ``after`` that falls on ``weekday`` (Monday is 0)."""
    days = (weekday - after.weekday()) % 7 or 7
    return after + timedelta(days=days)


def owner_member(alliance: Alliance, *, size: SizeBand = SizeBand.SMALL, name: str | None = None) -> Membership:
    """A provider representing a new organisation in the alliance."""
    return add_member(alliance, make_user(), Role.PROVIDER, make_organisation(size_band=size, name=name))


def make_resource(owner: Membership, *, title: str = "Community room", units: int = 1, rate: str = "20",
                  rate_unit: str = "hour", auto_approve: bool = False, hours: Any = WEEKDAYS_9_TO_5,
                  kind: str = "room", location: str = "12 Brook Street") -> Resource:
    resource = services.create_resource(db.session, owner.user, owner.alliance, services.ResourceDetails(
        kind=kind, title=title, location=location, units=units, rate=Decimal(rate), rate_unit=rate_unit,
        auto_approve=auto_approve,
    ))
    if hours:
        services.set_weekly_pattern(db.session, owner.user, resource, hours)
    return resource


def world() -> dict[str, Any]:
    """An alliance with an owner organisation (small charity) and a borrowing provider (large)."""
    alliance = make_alliance()
    owner = owner_member(alliance, size=SizeBand.MICRO)
    borrower = owner_member(alliance, size=SizeBand.LARGE)
    return {"alliance": alliance, "owner": owner, "borrower": borrower}


def org_of(membership: Membership) -> Organisation:
    assert membership.organisation is not None
    return membership.organisation
