"""The value of sharing: totals equal the sum of completed bookings x rates (property-based)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab.alliances.models import SizeBand
from collab.db import db
from collab.resources import services
from collab.resources.models import Booking, BookingStatus, RateUnit, Resource, ResourceKind
from tests.factories import add_member, make_alliance, make_organisation, make_user
from tests.resources.helpers import NOW

booking_specs = st.lists(
    st.tuples(
        st.sampled_from(list(RateUnit)),
        st.decimals(min_value=Decimal("0"), max_value=Decimal("9999.99"), places=2, allow_nan=False,
                    allow_infinity=False),
        st.integers(min_value=15, max_value=60 * 24 * 5),  # minutes
        st.integers(min_value=1, max_value=12),  # quantity
        st.sampled_from([BookingStatus.APPROVED, BookingStatus.APPROVED, BookingStatus.REQUESTED,
                         BookingStatus.DECLINED, BookingStatus.CANCELLED]),
        st.integers(min_value=-400, max_value=30),  # days from now (future ones are not completed)
        st.integers(min_value=0, max_value=2),  # borrower
        st.sampled_from(list(ResourceKind)),
    ),
    max_size=25,
)


def _expected(unit: RateUnit, rate: Decimal, minutes: int, quantity: int) -> Decimal:
    """Worked out independently, with exact fractions."""
    if unit == RateUnit.HOUR:
        exact = Fraction(rate) * Fraction(minutes, 60) * quantity
    elif unit == RateUnit.DAY:
        days = -(-minutes // (60 * 24))
        exact = Fraction(rate) * days * quantity
    else:
        exact = Fraction(rate) * quantity
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=booking_specs)
def test_totals_are_the_sum_of_completed_bookings_times_rates(session, specs):
    nested = session.begin_nested()
    try:
        alliance = make_alliance()
        owner = add_member(alliance, make_user(), organisation=make_organisation(size_band=SizeBand.LARGE))
        borrowers = [
            add_member(alliance, make_user(), organisation=make_organisation(size_band=band)).organisation
            for band in (SizeBand.MICRO, SizeBand.SMALL, SizeBand.MEDIUM)
        ]
        expected_total = Decimal("0")
        expected_small = Decimal("0")
        expected_received: dict[str, Decimal] = {}
        expected_kind: dict[str, Decimal] = {}
        completed = 0
        for unit, rate, minutes, quantity, status, days, borrower_index, kind in specs:
            resource = Resource(alliance_id=alliance.id, organisation_id=owner.organisation_id, kind=kind, title="R",
                                units=50, rate=rate, rate_unit=unit)
            db.session.add(resource)
            db.session.flush()
            starts = NOW + timedelta(days=days)
            ends = starts + timedelta(minutes=minutes)
            borrower = borrowers[borrower_index]
            db.session.add(Booking(resource_id=resource.id, alliance_id=alliance.id, organisation_id=borrower.id,
                                   starts_at=starts, ends_at=ends, quantity=quantity, status=status, rate=rate,
                                   rate_unit=unit, exclusive=False, purpose="x"))
            if status == BookingStatus.APPROVED and ends <= NOW:
                amount = _expected(unit, rate, minutes, quantity)
                completed += 1
                expected_total += amount
                expected_received[borrower.name] = expected_received.get(borrower.name, Decimal(0)) + amount
                expected_kind[kind.label] = expected_kind.get(kind.label, Decimal(0)) + amount
                if borrower.size_band in (SizeBand.MICRO, SizeBand.SMALL):
                    expected_small += amount
        db.session.flush()
        report = services.value_report(db.session, alliance, now=NOW)
        assert report.bookings == completed
        assert report.total == expected_total
        assert isinstance(report.total, Decimal)
        assert report.to_small == expected_small
        assert sum(report.given.values(), Decimal(0)) == expected_total
        assert report.received == expected_received
        assert report.by_kind == expected_kind
        assert sum(report.by_month.values(), Decimal(0)) == expected_total
        rows = list(services.csv_rows(report))
        assert sum(Decimal(r[-1]) for r in rows) == expected_total
    finally:
        nested.rollback()


def test_a_completed_booking_is_valued_from_the_rate_it_was_made_at(session):
    alliance = make_alliance()
    owner = add_member(alliance, make_user(), organisation=make_organisation())
    resource = Resource(alliance_id=alliance.id, organisation_id=owner.organisation_id, kind=ResourceKind.ROOM,
                        title="Hall", units=1, rate=Decimal("12.50"), rate_unit=RateUnit.HOUR)
    session.add(resource)
    session.flush()
    start = datetime(2026, 11, 3, 10, tzinfo=UTC)
    borrower = add_member(alliance, make_user(), organisation=make_organisation())
    booking = Booking(resource_id=resource.id, alliance_id=alliance.id, organisation_id=borrower.organisation_id,
                      starts_at=start, ends_at=start + timedelta(minutes=90), status=BookingStatus.APPROVED,
                      rate=Decimal("12.50"), rate_unit=RateUnit.HOUR, purpose="x")
    # The owner using its own room shares nothing: it does not count.
    own_use = Booking(resource_id=resource.id, alliance_id=alliance.id, organisation_id=owner.organisation_id,
                      starts_at=start + timedelta(days=1), ends_at=start + timedelta(days=1, hours=2),
                      status=BookingStatus.APPROVED, rate=Decimal("12.50"), rate_unit=RateUnit.HOUR, purpose="x")
    session.add_all([booking, own_use])
    session.flush()
    resource.rate = Decimal("99.00")  # a later change of value does not rewrite history
    assert services.booking_value(booking) == Decimal("18.75")
    report = services.value_report(session, alliance, now=NOW)
    assert report.total == Decimal("18.75")
    assert report.by_month == {"2026-11": Decimal("18.75")}


def test_the_alliance_value_page_counts_what_bookings_produced_as_in_kind_value(session):
    """Issue 13: in-kind value on the value page equals the shared-resources value of completed bookings."""
    from collab.value.services.totals import value_totals

    alliance = make_alliance()
    owner = add_member(alliance, make_user(), organisation=make_organisation(name="Owner Trust"))
    borrower = add_member(alliance, make_user(), organisation=make_organisation())
    resource = Resource(alliance_id=alliance.id, organisation_id=owner.organisation_id, kind=ResourceKind.ROOM,
                        title="Quiet room", units=1, rate=Decimal("20.00"), rate_unit=RateUnit.HOUR)
    session.add(resource)
    session.flush()
    start = datetime(2026, 10, 6, 9, tzinfo=UTC)
    for week in range(3):
        at = start + timedelta(weeks=week)
        session.add(Booking(resource_id=resource.id, alliance_id=alliance.id, organisation_id=borrower.organisation_id,
                            starts_at=at, ends_at=at + timedelta(hours=2), status=BookingStatus.APPROVED,
                            rate=Decimal("20.00"), rate_unit=RateUnit.HOUR, purpose="Peer group"))
    session.flush()
    shared = services.value_report(session, alliance)
    totals = value_totals(session, alliance)
    assert shared.total == Decimal("120.00")
    assert totals.in_kind_total == shared.total
    assert {line.organisation_name for line in totals.in_kind} == {"Owner Trust"}
    assert all(isinstance(line.value, Decimal) for line in totals.in_kind)
