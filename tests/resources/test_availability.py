"""Opening hours: the weekly pattern, closed dates, one-off openings, and clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from collab.errors import DomainError
from collab.resources import services
from tests.resources.helpers import NOW, make_resource, next_weekday, world


def _book(session, resource, who, day, start=time(10), end=time(12), **kwargs):
    return services.request_booking(session, who.user, resource, on=day, starts=start, ends=end,
                                    purpose="Group", now=kwargs.pop("now", NOW), **kwargs)


def test_outside_the_weekly_pattern_is_refused(session):
    w = world()
    room = make_resource(w["owner"])  # Monday to Friday, 9am to 5pm
    saturday = next_weekday(5)
    with pytest.raises(services.BookingConflict) as caught:
        _book(session, room, w["borrower"], saturday)
    assert "not open on Saturdays" in caught.value.problems[0].reason
    with pytest.raises(services.BookingConflict) as caught:
        _book(session, room, w["borrower"], next_weekday(1), start=time(16), end=time(18))
    assert "open 9am to 5pm" in caught.value.problems[0].reason
    # The nearest free times are inside the hours.
    for slot in caught.value.problems[0].free:
        local = slot.starts_at.astimezone(services.LOCAL)
        assert local.weekday() < 5 and time(9) <= local.time() and slot.ends_at.astimezone(services.LOCAL).time() <= time(17)


def test_closed_dates_are_refused_and_one_off_openings_allowed(session):
    w = world()
    room = make_resource(w["owner"])
    tuesday = next_weekday(1)
    services.add_exception(session, w["owner"].user, room, tuesday, closed=True, note="Staff training")
    with pytest.raises(services.BookingConflict) as caught:
        _book(session, room, w["borrower"], tuesday)
    assert "closed" in caught.value.problems[0].reason and "Staff training" in caught.value.problems[0].reason
    saturday = next_weekday(5)
    services.add_exception(session, w["owner"].user, room, saturday, closed=False, opens=time(10), closes=time(14))
    assert _book(session, room, w["borrower"], saturday, start=time(10), end=time(14)).bookings
    with pytest.raises(services.BookingConflict):
        _book(session, room, w["borrower"], saturday, start=time(13), end=time(15))


def test_filtering_by_a_date_uses_the_hours(session):
    w = world()
    room = make_resource(w["owner"])
    van = make_resource(w["owner"], title="Minibus", kind="vehicle", hours=[(5, time(9), time(17))])
    saturday, monday = next_weekday(5), next_weekday(0)
    assert [r.id for r in services.browse(session, w["alliance"], services.ResourceFilter(available_on=saturday))] == [van.id]
    assert [r.id for r in services.browse(session, w["alliance"], services.ResourceFilter(available_on=monday))] == [room.id]
    found = services.browse(session, w["alliance"], services.ResourceFilter(kind="vehicle"))
    assert [r.id for r in found] == [van.id]
    found = services.browse(session, w["alliance"], services.ResourceFilter(location="brook"))
    assert {r.id for r in found} == {room.id, van.id}
    assert services.browse(session, w["alliance"], services.ResourceFilter(location="nowhere")) == []


def test_weekly_bookings_keep_their_clock_time_across_the_clock_change(session):
    """10am to 12pm every Tuesday stays 10am to 12pm UK time when the clocks go forward on 28 March 2027."""
    w = world()
    room = make_resource(w["owner"], auto_approve=True)
    first = date(2027, 3, 16)  # a Tuesday, GMT
    result = _book(session, room, w["borrower"], first, repeat_weeks=4)
    local = [(b.starts_at.astimezone(services.LOCAL).time(), b.ends_at.astimezone(services.LOCAL).time())
             for b in result.bookings]
    assert local == [(time(10), time(12))] * 4
    utc_hours = [b.starts_at.astimezone(UTC).hour for b in result.bookings]
    assert utc_hours == [10, 10, 9, 9]  # GMT, GMT, then British Summer Time
    # And in October, back again.
    result = _book(session, room, w["borrower"], date(2027, 10, 26), repeat_weeks=2)
    assert [b.starts_at.astimezone(UTC).hour for b in result.bookings] == [9, 10]


def test_opening_hours_are_uk_time_on_both_sides_of_the_change(session):
    w = world()
    room = make_resource(w["owner"])
    summer_tuesday = date(2027, 6, 1)
    # 9am UK time in June is 8am UTC: a booking from 9am is inside the hours.
    assert _book(session, room, w["borrower"], summer_tuesday, start=time(9), end=time(10)).bookings
    with pytest.raises(services.BookingConflict):
        _book(session, room, w["borrower"], summer_tuesday, start=time(8), end=time(9))


def test_a_time_that_does_not_exist_is_refused():
    with pytest.raises(DomainError, match="clocks go forward"):
        services.local_datetime(date(2027, 3, 28), time(1, 30))
    # The hour that happens twice means the first (summer time).
    assert services.local_datetime(date(2027, 10, 31), time(1, 30)) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_the_weekly_pattern_is_checked(session):
    w = world()
    room = make_resource(w["owner"], hours=None)
    with pytest.raises(DomainError, match="after the opening"):
        services.set_weekly_pattern(session, w["owner"].user, room, [(0, time(17), time(9))])
    with pytest.raises(DomainError, match="overlap"):
        services.set_weekly_pattern(session, w["owner"].user, room, [(0, time(9), time(12)), (0, time(11), time(14))])
    # No pattern: any time.
    assert _book(session, room, w["borrower"], next_weekday(6), start=time(20), end=time(22)).bookings
    assert services.pattern_summary(room) == []
    day = next_weekday(6) + timedelta(days=7)
    assert services.is_open_on(room, day)
