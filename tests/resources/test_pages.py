"""The resource pages as people use them: listing, booking, conflicts, calendars, the feed, needs, value."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from icalendar import Calendar

from collab.attention import items_for
from collab.db import db
from collab.resources import services
from collab.resources.models import Booking, BookingStatus, Need, Resource
from tests.factories import login_as
from tests.resources.helpers import make_resource, next_weekday, world


def _tuesday():
    return next_weekday(1, services.local_today())


def test_a_small_charity_lists_a_room_and_sets_its_hours(client, session):
    w = world()
    login_as(client, w["owner"].user)
    base = f"/alliances/{w['alliance'].slug}/resources"
    page = client.post(f"{base}/new", data={"kind": "room", "title": "Quiet room", "rate": "twelve",
                                            "rate_unit": "hour", "units": "1", "contact_id": w["owner"].user.id})
    assert page.status_code == 422
    assert "Enter the value as an amount in pounds" in page.get_data(as_text=True)
    preview = client.post(f"{base}/new", data={"kind": "room", "title": "Quiet room", "rate": "1",
                                               "description": "**Calm** space", "preview": "description"})
    assert preview.status_code == 200 and "<strong>Calm</strong>" in preview.get_data(as_text=True)
    assert session.query(Resource).filter_by(title="Quiet room").count() == 0
    response = client.post(f"{base}/new", data={
        "kind": "room", "title": "Quiet room", "description": "**Calm** space", "location": "Brook Street",
        "rate": "12.50", "rate_unit": "hour", "units": "1", "capacity": "12", "contact_id": w["owner"].user.id,
        "accessibility": "Step-free", "conditions": "DBS-checked staff only",
    })
    assert response.status_code == 303
    session.expire_all()
    room = session.query(Resource).filter_by(title="Quiet room").one()
    assert room.rate == Decimal("12.50") and room.organisation_id == w["owner"].organisation_id
    assert response.headers["Location"].endswith(f"/resources/{room.id}/hours")
    hours = {f"opens_{d}": "9am" for d in range(5)} | {f"closes_{d}": "5pm" for d in range(5)}
    assert client.post(f"{base}/{room.id}/hours", data=hours | {"closes_4": ""}).status_code == 422
    assert client.post(f"{base}/{room.id}/hours", data=hours).status_code == 303
    page = client.get(f"{base}/{room.id}").get_data(as_text=True)
    assert "<strong>Calm</strong>" in page and "9am to 5pm" in page and "DBS-checked staff only" in page
    assert "Quiet room" in client.get(f"{base}?kind=room&location=brook").get_data(as_text=True)
    assert "Quiet room" not in client.get(f"{base}?kind=vehicle").get_data(as_text=True)
    saturday = next_weekday(5, services.local_today())
    assert "Quiet room" not in client.get(f"{base}?available_on={saturday.isoformat()}").get_data(as_text=True)
    assert "real date" in client.get(f"{base}?available_on=31-02").get_data(as_text=True)


def test_a_clash_says_so_with_the_nearest_free_times_and_books_nothing(client, session):
    w = world()
    room = make_resource(w["owner"], auto_approve=True)
    services.request_booking(session, w["owner"].user, room, on=_tuesday(), starts=time(10), ends=time(12), purpose="Ours")
    session.flush()
    login_as(client, w["borrower"].user)
    url = f"/alliances/{w['alliance'].slug}/resources/{room.id}/book"
    response = client.post(url, data={"on": _tuesday().isoformat(), "starts": "11am", "ends": "1pm", "quantity": "1",
                                      "purpose": "Training", "repeat_weeks": "1"})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Community room is already booked then" in body
    assert "Nearest free times" in body and "12pm to 2pm" in body
    assert "Nothing has been booked" in body
    session.expire_all()
    assert session.query(Booking).filter_by(resource_id=room.id).count() == 1
    # A time typed wrongly is a form error, not a clash.
    response = client.post(url, data={"on": _tuesday().isoformat(), "starts": "soon", "ends": "1pm", "quantity": "1",
                                      "purpose": "Training", "repeat_weeks": "1"})
    assert response.status_code == 422 and "Enter start time as a time" in response.get_data(as_text=True)


def test_weekly_request_then_owner_approves_and_both_are_told(client, session):
    w = world()
    room = make_resource(w["owner"])
    slug = w["alliance"].slug
    login_as(client, w["borrower"].user)
    response = client.post(f"/alliances/{slug}/resources/{room.id}/book", data={
        "on": _tuesday().isoformat(), "starts": "18:00", "ends": "19:00", "quantity": "1", "purpose": "Peer group",
        "repeat_weeks": "4"})
    # 6pm is after closing: every week is refused, one line each.
    assert response.status_code == 409
    assert response.get_data(as_text=True).count("It is open 9am to 5pm") == 4
    response = client.post(f"/alliances/{slug}/resources/{room.id}/book", data={
        "on": _tuesday().isoformat(), "starts": "14:00", "ends": "16:00", "quantity": "1", "purpose": "Peer group",
        "repeat_weeks": "4"})
    assert response.status_code == 303
    session.expire_all()
    made = session.query(Booking).filter_by(resource_id=room.id).order_by(Booking.starts_at).all()
    assert len(made) == 4 and {b.status for b in made} == {BookingStatus.REQUESTED}
    # The owner sees it on "For you" and approves every week at once.
    needs, _changed = items_for(session, w["owner"].user, [w["owner"]])
    assert any("asked to book Community room" in i.title for i in needs)
    login_as(client, w["owner"].user)
    page = client.get(f"/alliances/{slug}/resources/{room.id}/bookings/{made[0].id}").get_data(as_text=True)
    assert "Every week of this booking" in page and "Approve" in page
    response = client.post(f"/alliances/{slug}/resources/{room.id}/bookings/{made[0].id}/approve",
                           data={"note": "See you then", "whole_series": "y"})
    assert response.status_code == 303
    session.expire_all()
    assert {b.status for b in session.query(Booking).filter_by(resource_id=room.id)} == {BookingStatus.APPROVED}
    login_as(client, w["borrower"].user)
    notes = client.get("/notifications").get_data(as_text=True)
    assert "Your booking of Community room was approved" in notes and "(4 dates)" in notes
    # Within a week of the first date it is on the borrower's "For you" list.
    _needs, changed = items_for(session, w["borrower"].user, [w["borrower"]])
    if made[0].starts_at - datetime.now(UTC) < timedelta(days=7):
        assert any(i.title == "Booked: Community room" for i in changed)


def test_calendar_views_are_tables_with_the_bookings(client, session):
    w = world()
    room = make_resource(w["owner"], auto_approve=True)
    tuesday = _tuesday()
    services.request_booking(session, w["borrower"].user, room, on=tuesday, starts=time(10), ends=time(12),
                             purpose="Group")
    session.flush()
    login_as(client, w["borrower"].user)
    base = f"/alliances/{w['alliance'].slug}/resources/{room.id}/calendar"
    for view in ("week", "month", "list"):
        body = client.get(f"{base}?view={view}&date={tuesday.isoformat()}").get_data(as_text=True)
        assert "<table" in body and "<caption" in body, view
        assert "10am to 12pm" in body, view
    week = client.get(f"{base}?view=week&date={tuesday.isoformat()}").get_data(as_text=True)
    assert 'scope="col"' in week and "Closed" in week  # the weekend
    assert 'aria-current="page">Week' in week


def test_the_calendar_feed_needs_no_cookie_and_can_be_stopped(client, session, app):
    w = world()
    room = make_resource(w["owner"], auto_approve=True)
    services.request_booking(session, w["borrower"].user, room, on=_tuesday(), starts=time(10), ends=time(12),
                             purpose="Group")
    session.flush()
    login_as(client, w["borrower"].user)
    page = client.post("/calendar-feed", data={"action": "make"}).get_data(as_text=True)
    address = page.split('id="feed-address" type="text" readonly value="')[1].split('"')[0]
    path = address.replace("http://localhost", "")
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Community room"
    assert event.decoded("dtstart").astimezone(services.LOCAL).time() == time(10)
    # The owner's feed shows it too (bookings of their organisation's resources).
    assert client.post("/calendar-feed", data={"action": "stop"}).status_code == 303
    assert anonymous.get(path).status_code == 404


def test_needs_are_answered_with_an_offer_and_the_poster_is_told(client, session):
    w = world()
    room = make_resource(w["owner"])
    slug = w["alliance"].slug
    login_as(client, w["borrower"].user)
    response = client.post(f"/alliances/{slug}/resources/needs/new", data={
        "kind": "room", "title": "A quiet room for a peer group", "when": "Tuesdays, 6pm to 8pm"})
    assert response.status_code == 303
    session.expire_all()
    need = session.query(Need).one()
    login_as(client, w["owner"].user)
    response = client.post(f"/alliances/{slug}/resources/needs/{need.id}/offers",
                           data={"message": "Our room is free on Tuesdays", "resource_id": room.id})
    assert response.status_code == 303
    _needs, changed = items_for(session, w["borrower"].user, [w["borrower"]])
    assert any("offered help with your need" in i.title for i in changed)
    page = client.get(f"/alliances/{slug}/resources/needs/{need.id}").get_data(as_text=True)
    assert "Our room is free on Tuesdays" in page and "See Community room and book it" in page


def test_the_value_page_shows_chart_table_and_csv(client, session):
    w = world()
    room = make_resource(w["owner"], rate="20")
    past = datetime.now(UTC) - timedelta(days=10)
    session.add(Booking(resource_id=room.id, alliance_id=w["alliance"].id, organisation_id=w["borrower"].organisation_id,
                        starts_at=past, ends_at=past + timedelta(hours=3), status=BookingStatus.APPROVED,
                        rate=Decimal("20"), rate_unit=room.rate_unit, purpose="Group"))
    session.flush()
    login_as(client, w["borrower"].user)
    body = client.get(f"/alliances/{w['alliance'].slug}/resources/value").get_data(as_text=True)
    assert "£60" in body and "<svg" in body and 'role="img"' in body
    assert w["owner"].organisation.name in body
    csv = client.get(f"/alliances/{w['alliance'].slug}/resources/value.csv")
    assert csv.status_code == 200 and "60.00" in csv.get_data(as_text=True)


def test_posts_need_a_csrf_token(client, session, csrf_enabled):
    w = world()
    room = make_resource(w["owner"])
    login_as(client, w["owner"].user)
    response = client.post(f"/alliances/{w['alliance'].slug}/resources/{room.id}/status", data={"status": "retired"})
    assert response.status_code == 400
    db.session.expire_all()
