"""Workshops in calendars: a valid .ics per workshop and a secret per-person feed, right across clock changes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from collab.alliances.models import Role
from collab.db import db
from collab.workshops import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.workshops.helpers import invite_all, make_workshop

LONDON = ZoneInfo("Europe/London")


def _events(body: bytes) -> list:
    cal = Calendar.from_ical(body)
    return list(cal.walk("VEVENT"))


def test_an_ics_file_parses_and_carries_the_uk_time_zone(session):
    alliance = make_alliance()
    workshop = make_workshop(alliance, day=date(2030, 7, 3), start=time(10, 0), end=time(12, 30), online=True,
                             meeting_link="https://meet.example/crisis-cafe")
    body = services.workshop_ics(workshop, "https://collab.example/w/1", host="collab.example")
    text = body.decode()
    assert "DTSTART;TZID=Europe/London:20300703T100000" in text
    assert "DTEND;TZID=Europe/London:20300703T123000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    (event,) = _events(body)
    assert event["SUMMARY"] == "Shaping the crisis café"
    assert event.decoded("DTSTART") == datetime(2030, 7, 3, 10, 0, tzinfo=LONDON)
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2030, 7, 3, 9, 0, tzinfo=UTC)
    assert "Online: https://meet.example/crisis-cafe" in str(event["LOCATION"])
    assert "Step-free access" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == f"workshop-{workshop.id}@collab.example"


def test_times_are_right_on_both_sides_of_the_clocks_going_forward_and_back(session):
    alliance = make_alliance()
    person = member(alliance, Role.SERVICE_USER)
    days = [date(2030, 3, 30), date(2030, 4, 1), date(2030, 10, 26), date(2030, 10, 28)]
    workshops = [make_workshop(alliance, title=f"On {d}", day=d, start=time(10, 0), end=time(11, 0)) for d in days]
    for w in workshops:
        invite_all(w, [person])
    body = services.feed_ics(db.session, person, host="collab.example")
    events = {str(e["SUMMARY"]): e for e in _events(body)}
    utc_hours = [events[f"On {d}"].decoded("DTSTART").astimezone(UTC).hour for d in days]
    # 10:00 in London is 10:00 UTC in winter (GMT) and 09:00 UTC in summer (BST).
    assert utc_hours == [10, 9, 9, 10]
    assert all(events[f"On {d}"].decoded("DTSTART").astimezone(LONDON).hour == 10 for d in days)
    assert all(f"DTSTART;TZID=Europe/London:{d:%Y%m%d}T100000" in body.decode() for d in days)
    # The zone definition holds both the summer and winter rules.
    text = body.decode()
    assert "BEGIN:DAYLIGHT" in text and "BEGIN:STANDARD" in text


def test_the_feed_needs_its_secret_address_and_shows_only_your_workshops(client, session):
    alliance = make_alliance()
    person = member(alliance, Role.SERVICE_USER)
    other = member(alliance, Role.SERVICE_USER)
    mine = make_workshop(alliance, title="Mine")
    make_workshop(alliance, title="Not mine")
    invite_all(mine, [person])
    login_as(client, person)
    page = client.post("/workshops/calendar").get_data(as_text=True)
    assert "/workshops/calendar/" in page
    url = re.search(r'id="feed-url" type="text" value="([^"]+)"', page).group(1)
    path = url.split("localhost", 1)[-1]
    login_as(client, None)  # calendar apps send no cookies
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert [str(e["SUMMARY"]) for e in _events(response.data)] == ["Mine"]
    # A new address stops the old one working.
    login_as(client, person)
    client.post("/workshops/calendar")
    login_as(client, None)
    assert client.get(path).status_code == 404
    assert services.feed_owner(db.session, "") is None
    assert other.id


def test_a_cancelled_workshop_is_marked_cancelled_in_calendars(session):
    alliance = make_alliance()
    workshop = make_workshop(alliance)
    services.cancel(db.session, commissioner_of(alliance), workshop, "The venue flooded")
    (event,) = _events(services.workshop_ics(workshop, "", host="collab.example"))
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_workshop_ics_download(client, session):
    alliance = make_alliance()
    workshop = make_workshop(alliance)
    login_as(client, commissioner_of(alliance))
    response = client.get(f"/alliances/{alliance.slug}/workshops/{workshop.id}/workshop.ics")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = _events(response.data)
    assert f"/alliances/{alliance.slug}/workshops/{workshop.id}" in str(event["URL"])
