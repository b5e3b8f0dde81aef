"""No double booking, ever: racing requests and approvals, on SQLite and PostgreSQL.

Each test commits (marker ``committed``), sends every request from its own thread with its
own test client (its own request, database session and connection), all released at once
by a barrier, and removes what it made at the end. On PostgreSQL the requests really run at
the same time and the resource's row lock decides; on SQLite each write request holds the
database's write lock (BEGIN IMMEDIATE) and the others wait for it.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Organisation, OrganisationType, Role, SizeBand
from collab.audit import AuditEntry
from collab.notifications.models import Notification
from collab.resources.models import Booking, BookingStatus, RateUnit, Resource, ResourceKind, WeeklyOpening
from collab.resources.services import LOCAL
from collab.security import new_token
from tests.databases import allow_tampering, end_tampering
from tests.factories import _password_hash, login_as

pytestmark = [pytest.mark.committed]

RACERS = 50


@pytest.fixture
def made(engine) -> Iterator[dict[str, list[int]]]:
    ids: dict[str, list[int]] = {"users": [], "alliances": [], "organisations": []}
    yield ids
    with Session(engine) as s, s.begin():
        s.execute(delete(Booking).where(Booking.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Resource).where(Resource.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Notification).where(Notification.user_id.in_(ids["users"])))
        allow_tampering(s)
        s.execute(delete(AuditEntry).where(or_(AuditEntry.alliance_id.in_(ids["alliances"]),
                                               AuditEntry.actor_id.in_(ids["users"]))))
        end_tampering(s)
        s.execute(delete(Membership).where(Membership.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Alliance).where(Alliance.id.in_(ids["alliances"])))
        s.execute(delete(Organisation).where(Organisation.id.in_(ids["organisations"])))
        s.execute(delete(User).where(User.id.in_(ids["users"])))


def _next_tuesday() -> date:
    today = datetime.now(UTC).astimezone(LOCAL).date()
    return today + timedelta(days=(1 - today.weekday()) % 7 + 7)


def _setup(engine, made, *, units: int, auto_approve: bool, borrowers: int = 10) -> dict:
    """A committed alliance: an owner organisation with one resource, and borrowing organisations."""
    tag = new_token()[1][:8]
    with Session(engine, expire_on_commit=False) as s, s.begin():
        alliance = Alliance(name=f"Race {tag}", slug=f"race-{tag}", purpose="Racing")
        owner_org = Organisation(name=f"Owner {tag}", org_type=OrganisationType.CHARITY, size_band=SizeBand.MICRO,
                                 locality="Here")
        orgs = [Organisation(name=f"Borrower {tag} {n}", org_type=OrganisationType.CHARITY,
                             size_band=SizeBand.SMALL, locality="Here") for n in range(borrowers)]
        owner = User(email=f"owner-{tag}@example.org", password_hash=_password_hash(), display_name="Owner")
        users = [User(email=f"borrower-{tag}-{n}@example.org", password_hash=_password_hash(),
                      display_name=f"Borrower {n}") for n in range(borrowers)]
        s.add_all([alliance, owner_org, *orgs, owner, *users])
        s.flush()
        made["alliances"].append(alliance.id)
        made["organisations"] += [owner_org.id, *(o.id for o in orgs)]
        made["users"] += [owner.id, *(u.id for u in users)]
        s.add(Membership(user_id=owner.id, alliance_id=alliance.id, role=Role.PROVIDER, organisation_id=owner_org.id))
        for user, org in zip(users, orgs, strict=True):
            s.add(Membership(user_id=user.id, alliance_id=alliance.id, role=Role.PROVIDER, organisation_id=org.id))
        resource = Resource(alliance_id=alliance.id, organisation_id=owner_org.id, kind=ResourceKind.ROOM,
                            title=f"Room {tag}", units=units, rate=Decimal("20.00"), rate_unit=RateUnit.HOUR,
                            auto_approve=auto_approve)
        resource.openings = [WeeklyOpening(weekday=d, opens=time(9), closes=time(17)) for d in range(5)]
        s.add(resource)
        s.flush()
        return {"slug": alliance.slug, "resource_id": resource.id, "owner_id": owner.id,
                "user_ids": [u.id for u in users], "alliance_id": alliance.id}


def _clients(app, engine, user_ids: list[int]) -> list:
    clients = []
    with Session(engine) as s:
        for n in range(RACERS):
            client = app.test_client()
            login_as(client, s.get(User, user_ids[n % len(user_ids)]), session=s)
            clients.append(client)
    return clients


def _race(clients, send) -> list:
    """Send one request from each client at the same moment; returns the responses."""
    barrier = threading.Barrier(len(clients))
    responses: list = [None] * len(clients)

    def racer(n: int) -> None:
        try:
            barrier.wait(timeout=60)
        except threading.BrokenBarrierError:
            return
        responses[n] = send(n, clients[n])

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a request never finished"
    return responses


def _form(day: date, start: str = "10:00", end: str = "12:00", **extra) -> dict:
    return {"on": day.isoformat(), "starts": start, "ends": end, "quantity": "1", "purpose": "Group",
            "repeat_weeks": "1", **extra}


def _approved(engine, resource_id: int) -> list[Booking]:
    with Session(engine) as s:
        return list(s.scalars(select(Booking).where(Booking.resource_id == resource_id,
                                                    Booking.status == BookingStatus.APPROVED)))


def test_fifty_requests_for_the_same_slot_make_exactly_one_booking(app, engine, made):
    world = _setup(engine, made, units=1, auto_approve=True)
    clients = _clients(app, engine, world["user_ids"])
    url = f"/alliances/{world['slug']}/resources/{world['resource_id']}/book"
    day = _next_tuesday()
    responses = _race(clients, lambda n, c: c.post(url, data=_form(day)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {303: 1, 409: RACERS - 1}, statuses
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "is already booked then" in refused and "Nearest free times" in refused
    assert len(_approved(engine, world["resource_id"])) == 1


def test_fifty_requests_for_five_units_make_exactly_five_bookings(app, engine, made):
    world = _setup(engine, made, units=5, auto_approve=True)
    clients = _clients(app, engine, world["user_ids"])
    url = f"/alliances/{world['slug']}/resources/{world['resource_id']}/book"
    day = _next_tuesday()
    responses = _race(clients, lambda n, c: c.post(url, data=_form(day)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {303: 5, 409: RACERS - 5}, statuses
    assert "All 5 are booked then" in next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert sum(b.quantity for b in _approved(engine, world["resource_id"])) == 5


def test_fifty_owners_approving_clashing_requests_approve_exactly_one(app, engine, made):
    world = _setup(engine, made, units=1, auto_approve=False)
    day = _next_tuesday()
    url = f"/alliances/{world['slug']}/resources/{world['resource_id']}/book"
    requesters = _clients(app, engine, world["user_ids"])
    for client in requesters:  # fifty requests waiting for the same slot
        assert client.post(url, data=_form(day)).status_code == 303
    with Session(engine) as s:
        waiting = list(s.scalars(select(Booking.id).where(Booking.resource_id == world["resource_id"])))
    assert len(waiting) == RACERS
    owners = _clients(app, engine, [world["owner_id"]])
    base = f"/alliances/{world['slug']}/resources/{world['resource_id']}/bookings"
    responses = _race(owners, lambda n, c: c.post(f"{base}/{waiting[n]}/approve", data={"note": ""}))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {303: 1, 409: RACERS - 1}, statuses
    assert len(_approved(engine, world["resource_id"])) == 1


def test_racing_weekly_requests_book_each_week_once_and_report_the_rest(app, engine, made):
    world = _setup(engine, made, units=1, auto_approve=True)
    clients = _clients(app, engine, world["user_ids"])
    url = f"/alliances/{world['slug']}/resources/{world['resource_id']}/book"
    day = _next_tuesday()
    # Each racer asks for 4 weeks from one of four start weeks, so every request collides with others.
    responses = _race(clients, lambda n, c: c.post(
        url, data=_form(day + timedelta(weeks=n % 4), repeat_weeks="4", skip_conflicts="y")))
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {303, 409}, statuses
    approved = _approved(engine, world["resource_id"])
    weeks = Counter(b.starts_at for b in approved)
    assert len(weeks) == 7 and set(weeks.values()) == {1}, weeks  # seven weeks, each booked exactly once
    refused = [r.get_data(as_text=True) for r in responses if r.status_code == 409]
    assert all("of the 4 dates cannot be booked" in body or "None of the 4 dates can be booked" in body
               for body in refused)


def test_the_database_itself_refuses_overlapping_approved_bookings(engine, made, is_postgres):
    """The backstop below the application: PostgreSQL's exclusion constraint (migration 0015)."""
    if not is_postgres:
        pytest.skip("the exclusion constraint is PostgreSQL's; SQLite serialises writers instead")
    world = _setup(engine, made, units=1, auto_approve=True)
    start = datetime.combine(_next_tuesday(), time(10), tzinfo=LOCAL).astimezone(UTC)

    def booking(offset: int) -> Booking:
        return Booking(resource_id=world["resource_id"], alliance_id=world["alliance_id"],
                       starts_at=start + timedelta(hours=offset), ends_at=start + timedelta(hours=offset + 2),
                       status=BookingStatus.APPROVED, exclusive=True, purpose="x")

    with Session(engine) as s, s.begin():
        s.add(booking(0))
    with pytest.raises(IntegrityError, match="ex_resource_booking_no_overlap"), Session(engine) as s, s.begin():
        s.add(booking(1))
    with Session(engine) as s, s.begin():
        s.add(booking(2))  # back to back is fine
        assert s.scalar(select(func.count(Booking.id)).where(Booking.resource_id == world["resource_id"])) == 2
