"""Demo data: a dozen shared resources across Riverside's members, with past and future bookings.

Every name and place here is made up. Past bookings have happened (so the value page has
totals, by month too); future ones include a weekly booking, requests waiting for approval,
and one declined. Two needs are posted, one with an offer.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.resources import services
from collab.resources.models import Booking, BookingStatus, Resource, ResourceStatus
from collab.resources.services._common import membership_of

RIVERSIDE = "Riverside Living Well Alliance"

WEEKDAYS_9_TO_5 = [(d, time(9), time(17)) for d in range(5)]

#: (owner's email, kind, title, location, description, conditions, access, capacity, units, rate, per,
#:  auto-approve, weekly hours)
RESOURCES = [
    ("peers@riverside.example", "room", "Quiet room at the Community Hub", "Riverside Community Hub, 4 Mill Lane, RV1",
     "A small, calm room with soft chairs. Good for peer support groups and one-to-one chats.",
     "Please leave the room as you found it.", "Step-free entrance, accessible toilet on the same floor.", 8, 1,
     "15", "hour", False, [(d, time(10), time(16)) for d in range(5)]),
    ("peers@riverside.example", "volunteer_hours", "Peer volunteers for events", "Anywhere in Riverside",
     "Trained peer volunteers who can welcome people, make tea and talk about their own recovery.",
     "At least two weeks' notice, please.", "", None, 4, "12", "hour", False, []),
    ("provider@riverside.example", "room", "Group room (20 people)", "Mind in Riverside, 22 Station Road, RV2",
     "A bright group room with a projector, flip charts and a kitchen next door.",
     "No hot food in the room.", "Step-free access, hearing loop, accessible toilet.", 20, 1, "25", "hour", False,
     [*[(d, time(9), time(21)) for d in range(5)], (5, time(10), time(14))]),
    ("provider@riverside.example", "equipment", "Laptops for digital inclusion sessions", "Mind in Riverside, RV2",
     "Six laptops with headphones, for sessions that help people get online.",
     "Return them charged.", "", None, 6, "10", "day", True, WEEKDAYS_9_TO_5),
    ("opendoor@riverside.example", "vehicle", "Minibus (12 seats)", "Open Door depot, Eastgate, RV4",
     "A 12-seat minibus with a wheelchair lift. Good for trips and moving furniture.",
     "Drivers need a D1 licence or a MiDAS certificate.", "Wheelchair lift for one wheelchair user.", 12, 1,
     "120", "day", False, [(d, time(8), time(18)) for d in range(6)]),
    ("opendoor@riverside.example", "staff_time", "Housing rights advice session", "By phone or at your office",
     "An hour with one of our housing advisers, for your staff or the people you support.",
     "", "", None, 1, "35", "hour", True, []),
    ("college@riverside.example", "training_place", "Places on the 'Understanding anxiety' course",
     "Riverside Recovery College, Town Hall annexe, RV1",
     "A four-week course written and taught by people with lived experience.",
     "", "Step-free access and a quiet room for breaks.", None, 12, "60", "unit", False, WEEKDAYS_9_TO_5),
    ("college@riverside.example", "room", "Training room with hearing loop", "Town Hall annexe, RV1",
     "Seats 30 in rows or 16 round tables. Hearing loop and large screen.",
     "", "Step-free access, hearing loop, accessible toilet.", 30, 1, "30", "hour", False, WEEKDAYS_9_TO_5),
    ("trust@riverside.example", "room", "Clinic room at Weald Road", "Weald Road Health Centre, RV3",
     "A clinic room with a couch and a sink, for health checks and drop-in sessions.",
     "DBS-checked staff only.", "Step-free access, lift.", 4, 1, "40", "hour", False, WEEKDAYS_9_TO_5),
    ("trust@riverside.example", "staff_time", "Mental health first aid trainer", "At your venue",
     "A qualified trainer for a half-day mental health first aid session.",
     "", "", None, 1, "50", "hour", False, WEEKDAYS_9_TO_5),
    ("commissioner@riverside.example", "room", "Community centre main hall", "Riverside Community Centre, RV1",
     "A large hall for events of up to 120 people, with a stage and a kitchen.",
     "Events must finish by 10pm.", "Step-free access, accessible toilets, hearing loop.", 120, 1, "45", "hour",
     True, [*[(d, time(9), time(22)) for d in range(5)], (5, time(9), time(17)), (6, time(9), time(17))]),
    ("nhs.commissioner@riverside.example", "data", "Mental health A&E attendance data (anonymised)",
     "Sent by secure email",
     "Monthly counts of mental health attendances at A&E by area and age band, with no personal details.",
     "Use for service planning only. Do not publish numbers under 10.", "", None, 1, "200", "unit", False, []),
]


def _user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def _past(session: Session, resource: Resource, borrower: User, day: date, start: time, end: time,
          purpose: str, quantity: int = 1) -> None:
    """A booking that has already happened (made directly: the services refuse times in the past)."""
    membership = membership_of(session, borrower, resource.alliance)
    assert membership is not None
    starts_at = services.local_datetime(day, start)
    ends_at = services.local_datetime(day, end)
    session.add(Booking(
        resource=resource, alliance_id=resource.alliance_id, organisation_id=membership.organisation_id,
        requested_by_id=borrower.id, starts_at=starts_at, ends_at=ends_at, quantity=quantity, purpose=purpose,
        status=BookingStatus.APPROVED, exclusive=resource.units == 1, rate=resource.rate, rate_unit=resource.rate_unit,
        created_at=starts_at - timedelta(days=10), decided_at=starts_at - timedelta(days=9),
        decided_by_id=resource.contact_id,
    ))


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def seed_riverside_resources(session: Session) -> None:
    """The register, bookings and needs of the Riverside alliance."""
    alliance = session.scalar(select(Alliance).where(Alliance.name == RIVERSIDE))
    assert alliance is not None
    made: dict[str, Resource] = {}
    for (email, kind, title, location, description, conditions, access, capacity, units, rate, per, auto,
         hours) in RESOURCES:
        owner = _user(session, email)
        resource = services.create_resource(session, owner, alliance, services.ResourceDetails(
            kind=kind, title=title, location=location, description=description, conditions=conditions,
            accessibility=access, capacity=capacity, units=units, rate=Decimal(rate), rate_unit=per,
            auto_approve=auto,
        ))
        if hours:
            services.set_weekly_pattern(session, owner, resource, hours)
        made[title] = resource
    today = services.local_today()
    hub = made["Quiet room at the Community Hub"]
    group_room = made["Group room (20 people)"]
    minibus = made["Minibus (12 seats)"]
    laptops = made["Laptops for digital inclusion sessions"]
    course = made["Places on the 'Understanding anxiety' course"]
    hall = made["Community centre main hall"]
    clinic = made["Clinic room at Weald Road"]
    trainer = made["Mental health first aid trainer"]
    grace, kwame, jo, helen, amir = (
        _user(session, e) for e in ("provider@riverside.example", "opendoor@riverside.example",
                                    "peers@riverside.example", "college@riverside.example",
                                    "trust@riverside.example"))
    # Trainer time is paused while the trainer is on leave.
    services.set_status(session, amir, trainer, ResourceStatus.PAUSED)
    services.add_exception(session, jo, hub, _weekday_on_or_after(today + timedelta(days=14), 2), closed=True,
                           note="Hub deep clean")

    # What has already happened: five months of sharing.
    for weeks_ago in range(1, 21):
        tuesday = _weekday_on_or_after(today - timedelta(weeks=weeks_ago), 1)
        if tuesday >= today:
            tuesday -= timedelta(weeks=1)
        _past(session, hub, grace, tuesday, time(13), time(15), "Hearing Voices peer group")
        if weeks_ago % 4 == 0:
            _past(session, group_room, jo, tuesday + timedelta(days=1), time(18), time(20, 30), "Peer support training")
        if weeks_ago % 3 == 0:
            _past(session, minibus, jo, tuesday + timedelta(days=3), time(9), time(17), "Walking group trip")
        if weeks_ago % 5 == 0:
            _past(session, laptops, kwame, tuesday + timedelta(days=2), time(10), time(12), "Getting online session",
                  quantity=4)
            _past(session, hall, helen, tuesday + timedelta(days=2), time(18), time(21), "Recovery College open evening")
    _past(session, course, jo, _weekday_on_or_after(today - timedelta(weeks=6), 0), time(10), time(13),
          "Two peer volunteers on the course", quantity=2)
    _past(session, clinic, kwame, _weekday_on_or_after(today - timedelta(weeks=3), 3), time(9), time(12),
          "Health checks for tenants")
    session.flush()

    # What is coming up: a weekly booking, requests waiting, one declined.
    first = _weekday_on_or_after(today + timedelta(days=1), 1)
    weekly = services.request_booking(session, grace, hub, on=first, starts=time(13), ends=time(15),
                                      purpose="Hearing Voices peer group", repeat_weeks=8, skip_conflicts=True)
    services.approve(session, jo, weekly.bookings[0], whole_series=True, note="See you on Tuesdays")
    services.request_booking(session, helen, group_room, on=first + timedelta(days=2), starts=time(18),
                             ends=time(20), purpose="Course taster evening")
    services.request_booking(session, jo, minibus, on=first + timedelta(days=10), starts=time(9), ends=time(17),
                             purpose="Walking group trip to the coast")
    declined = services.request_booking(session, kwame, clinic, on=first + timedelta(days=1), starts=time(9),
                                        ends=time(17), purpose="Tenant health day")
    services.decline(session, amir, declined.bookings[0],
                     reason="The clinic is needed for flu jabs that day. Any other Wednesday is fine.")
    services.request_booking(session, jo, laptops, on=first + timedelta(days=1), starts=time(10), ends=time(12),
                             purpose="Getting online session", quantity=3)
    services.request_booking(session, _user(session, "nhs.commissioner@riverside.example"), hall, on=first + timedelta(days=3), starts=time(18), ends=time(21),
                             purpose="Alliance celebration evening")

    # Needs.
    need = services.post_need(session, jo, alliance, kind="room", title="A quiet room for a new peer group",
                              when="Thursday evenings, 6pm to 8pm, from next month",
                              description="For about 8 people. Somewhere calm, on a bus route, with step-free access.")
    services.answer_need(session, grace, need, resource_id=group_room.id,
                         message="Our group room is free on Thursday evenings. Ask to book it and we will approve it.")
    services.post_need(session, _user(session, "serviceuser@riverside.example"), alliance, kind="equipment",
                       title="A laptop and projector for a talk about our service", when="One afternoon in spring")
    session.flush()
