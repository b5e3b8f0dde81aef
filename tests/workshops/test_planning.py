"""Scheduling workshops: times in UK local time (across clock changes), places, access, the agenda."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from collab.alliances.models import Role
from collab.audit import AuditEntry
from collab.db import db
from collab.errors import DomainError
from collab.workshops import services
from tests.factories import commissioner_of, make_alliance, member
from tests.specs.helpers import make_spec
from tests.workshops.helpers import make_workshop, plan


def test_a_workshop_is_stored_in_utc_and_shown_in_uk_time(session):
    alliance = make_alliance()
    summer = make_workshop(alliance, day=date(2030, 7, 3), start=time(10, 0), end=time(12, 30))
    winter = make_workshop(alliance, day=date(2030, 1, 9), start=time(10, 0), end=time(12, 0))
    assert summer.starts_at == datetime(2030, 7, 3, 9, 0, tzinfo=UTC)  # BST is UTC+1
    assert winter.starts_at == datetime(2030, 1, 9, 10, 0, tzinfo=UTC)  # GMT
    assert summer.local_start.strftime("%H:%M") == winter.local_start.strftime("%H:%M") == "10:00"
    assert summer.time_zone == "Europe/London"


def test_a_time_the_clocks_skip_is_refused(session):
    alliance = make_alliance()
    with pytest.raises(DomainError, match="clocks go forward") as caught:
        make_workshop(alliance, day=date(2030, 3, 31), start=time(1, 30), end=time(3, 0))
    assert caught.value.field == "start"


@pytest.mark.parametrize(("changes", "field"), [
    ({"end": time(9, 0)}, "end"),
    ({"in_person": False, "online": False}, "in_person"),
    ({"online": True, "meeting_link": "zoom.example/123"}, "meeting_link"),
    ({"capacity": 0}, "capacity"),
    ({"title": " "}, "title"),
    ({"address": ""}, "address"),
    ({"day": date(2001, 1, 1)}, "day"),
])
def test_bad_plans_are_refused_with_the_field_to_fix(session, changes, field):
    alliance = make_alliance()
    with pytest.raises(DomainError) as caught:
        make_workshop(alliance, **changes)
    assert caught.value.field == field


def test_scheduling_is_in_the_audit_trail(session):
    alliance = make_alliance()
    workshop = make_workshop(alliance)
    entry = db.session.query(AuditEntry).filter_by(action="workshop.scheduled", subject_id=workshop.id).one()
    assert entry.alliance_id == alliance.id


def test_rescheduling_bumps_the_calendar_sequence_only_when_time_or_place_changes(session):
    alliance = make_alliance()
    workshop = make_workshop(alliance)
    actor = commissioner_of(alliance)
    assert services.reschedule(db.session, actor, workshop, plan(title="A new title")) == []
    assert workshop.sequence == 0
    assert services.reschedule(db.session, actor, workshop, plan(start=time(11, 0))) == ["time"]
    assert workshop.sequence == 1


def test_the_agenda_links_to_this_alliance_s_spec_sections_only(session):
    alliance = make_alliance()
    other = make_alliance()
    spec = make_spec(alliance)
    foreign = make_spec(other)
    workshop = make_workshop(alliance)
    actor = commissioner_of(alliance)
    item = services.add_agenda_item(db.session, actor, workshop, title="Welcome", minutes=15)
    linked = services.add_agenda_item(db.session, actor, workshop, title="Who is it for", minutes=45,
                                      spec_section_id=spec.sections[1].id)
    assert linked.spec_section.heading == spec.sections[1].heading
    with pytest.raises(DomainError, match="specifications"):
        services.add_agenda_item(db.session, actor, workshop, title="Theirs", minutes=5,
                                 spec_section_id=foreign.sections[0].id)
    times = services.agenda_times(workshop)
    assert [(i.title, at.strftime("%H:%M")) for i, at in times] == [("Welcome", "10:00"), ("Who is it for", "10:15")]
    services.move_agenda_item(db.session, actor, linked, "up")
    db.session.refresh(workshop)
    assert [i.title for i in workshop.agenda] == ["Who is it for", "Welcome"]
    services.remove_agenda_item(db.session, actor, item)
    assert [(i.title, i.position) for i in workshop.agenda] == [("Who is it for", 1)]


def test_upcoming_and_past(session):
    from tests.workshops.helpers import make_past

    alliance = make_alliance()
    soon = make_workshop(alliance)
    done = make_past(make_workshop(alliance, title="Last month"))
    member(alliance, Role.OBSERVER)
    upcoming, past = services.workshops_for(db.session, alliance)
    assert upcoming == [soon] and past == [done]
