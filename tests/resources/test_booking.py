"""Booking rules: requests, approval, units, repeats reported per occurrence, nearest free times."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from collab.errors import DomainError
from collab.notifications.models import Notification
from collab.resources import services
from collab.resources.models import BookingStatus, ResourceStatus
from tests.resources.helpers import NOW, make_resource, next_weekday, world


def _book(resource, who, day, start=time(10), end=time(12), **kwargs):
    kwargs.setdefault("purpose", "Peer support group")
    return services.request_booking(kwargs.pop("session"), who.user, resource, on=day, starts=start, ends=end,
                                    now=NOW, **kwargs)


def test_a_request_waits_for_the_owner_and_the_owner_is_told(session):
    w = world()
    room = make_resource(w["owner"])
    result = _book(room, w["borrower"], next_weekday(1), session=session)
    [booking] = result.bookings
    assert booking.status == BookingStatus.REQUESTED
    assert booking.organisation_id == w["borrower"].organisation_id
    assert booking.rate == room.rate
    notes = session.query(Notification).filter_by(user_id=w["owner"].user.id).all()
    assert [n.kind for n in notes] == ["resource_booking_requested"]
    assert room.title in notes[0].title


def test_auto_approve_books_at_once_and_the_same_slot_then_conflicts_with_nearest_free_times(session):
    w = world()
    room = make_resource(w["owner"], auto_approve=True)
    tuesday = next_weekday(1)
    first = _book(room, w["borrower"], tuesday, session=session)
    assert first.approved
    with pytest.raises(services.BookingConflict) as caught:
        _book(room, w["borrower"], tuesday, start=time(11), end=time(13), session=session)
    [problem] = caught.value.problems
    assert "already booked" in problem.reason
    labels = [slot.label() for slot in problem.free]
    # The nearest free two hours: straight after the first booking, or before it.
    assert any("12pm to 2pm" in label for label in labels), labels
    assert all(tuesday.strftime("%B") in label for label in labels)
    assert caught.value.status == 409


def test_units_are_counted(session):
    w = world()
    laptops = make_resource(w["owner"], title="Laptops", units=5, auto_approve=True, kind="equipment")
    tuesday = next_weekday(1)
    _book(laptops, w["borrower"], tuesday, quantity=3, session=session)
    _book(laptops, w["borrower"], tuesday, start=time(11), end=time(15), quantity=2, session=session)
    with pytest.raises(services.BookingConflict) as caught:
        _book(laptops, w["borrower"], tuesday, start=time(11, 30), end=time(12), quantity=1, session=session)
    assert "All 5 are booked" in caught.value.problems[0].reason
    # After the first booking ends, three are free again.
    _book(laptops, w["borrower"], tuesday, start=time(12), end=time(13), quantity=3, session=session)
    with pytest.raises(DomainError, match="only 5"):
        _book(laptops, w["borrower"], tuesday, quantity=6, session=session)


def test_weekly_repeats_that_collide_are_reported_one_by_one(session):
    w = world()
    room = make_resource(w["owner"], auto_approve=True)
    tuesday = next_weekday(1)
    _book(room, w["owner"], tuesday + timedelta(weeks=1), session=session)
    _book(room, w["owner"], tuesday + timedelta(weeks=3), start=time(11), end=time(12), session=session)
    with pytest.raises(services.BookingConflict) as caught:
        _book(room, w["borrower"], tuesday, repeat_weeks=5, session=session)
    assert caught.value.message == "2 of the 5 dates cannot be booked"
    clashes = [p.starts_at.date() for p in caught.value.problems]
    assert clashes == [tuesday + timedelta(weeks=1), tuesday + timedelta(weeks=3)]
    assert all(p.free for p in caught.value.problems)
    # Nothing was booked by the refused request.
    assert len(services.bookings_between(session, room, NOW, NOW + timedelta(weeks=8))) == 2
    # Asked to book the others, the three free weeks are booked and the two clashes reported.
    result = _book(room, w["borrower"], tuesday, repeat_weeks=5, skip_conflicts=True, session=session)
    assert [b.starts_at.date() for b in result.bookings] == [tuesday, tuesday + timedelta(weeks=2),
                                                             tuesday + timedelta(weeks=4)]
    assert len(result.skipped) == 2
    assert len({b.series for b in result.bookings}) == 1


def test_owner_approves_only_if_still_free(session):
    w = world()
    room = make_resource(w["owner"])
    tuesday = next_weekday(1)
    a = _book(room, w["borrower"], tuesday, session=session).bookings[0]
    b = _book(room, w["owner"], tuesday, start=time(11), end=time(13), session=session).bookings[0]
    services.approve(session, w["owner"].user, a, now=NOW)
    assert a.status == BookingStatus.APPROVED
    with pytest.raises(services.BookingConflict):
        services.approve(session, w["owner"].user, b, now=NOW)
    with pytest.raises(DomainError, match="already approved"):
        services.approve(session, w["owner"].user, a, now=NOW)
    decided = session.query(Notification).filter_by(user_id=w["borrower"].user.id, kind="resource_booking_decided").one()
    assert "approved" in decided.title


def test_decline_needs_a_reason_and_cancel_tells_the_other_side(session):
    w = world()
    room = make_resource(w["owner"])
    tuesday = next_weekday(1)
    a = _book(room, w["borrower"], tuesday, session=session).bookings[0]
    with pytest.raises(DomainError, match="Enter the reason"):
        services.decline(session, w["owner"].user, a, reason=" ", now=NOW)
    services.decline(session, w["owner"].user, a, reason="We need it ourselves", now=NOW)
    assert a.status == BookingStatus.DECLINED and a.decision_reason == "We need it ourselves"
    b = _book(room, w["borrower"], tuesday, session=session).bookings[0]
    services.approve(session, w["owner"].user, b, now=NOW)
    services.cancel(session, w["owner"].user, b, reason="Boiler broken", now=NOW)
    assert b.status == BookingStatus.CANCELLED
    told = session.query(Notification).filter_by(user_id=w["borrower"].user.id, kind="resource_booking_cancelled").one()
    assert "cancelled" in told.title and told.body == "Reason: Boiler broken"
    # The slot is free again.
    assert _book(room, w["borrower"], tuesday, session=session).bookings


def test_series_can_be_approved_together(session):
    w = world()
    room = make_resource(w["owner"])
    tuesday = next_weekday(1)
    made = _book(room, w["borrower"], tuesday, repeat_weeks=4, session=session).bookings
    done, left = services.approve(session, w["owner"].user, made[0], whole_series=True, now=NOW)
    assert len(done) == 4 and not left
    assert {b.status for b in made} == {BookingStatus.APPROVED}


def test_paused_and_retired_resources_cannot_be_booked(session):
    w = world()
    room = make_resource(w["owner"])
    services.set_status(session, w["owner"].user, room, ResourceStatus.PAUSED)
    with pytest.raises(DomainError, match="paused"):
        _book(room, w["borrower"], next_weekday(1), session=session)
    services.set_status(session, w["owner"].user, room, ResourceStatus.RETIRED)
    with pytest.raises(DomainError, match="retired"):
        services.set_status(session, w["owner"].user, room, ResourceStatus.ACTIVE)


def test_past_times_are_refused(session):
    w = world()
    room = make_resource(w["owner"])
    with pytest.raises(DomainError, match="future"):
        _book(room, w["borrower"], NOW.date() - timedelta(days=3), session=session)
