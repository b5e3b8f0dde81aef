"""The busiest resource pages run the same number of SQL statements with few and with many bookings (no N+1)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import event

from collab.alliances.models import SizeBand
from collab.resources import services
from collab.resources.models import Booking, BookingStatus
from tests.factories import login_as
from tests.resources.helpers import make_resource, next_weekday, owner_member, world


@contextmanager
def counting(engine):
    seen = [0]

    def count(*_args) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _measure(client, session, engine, borrowers: int, resources: int) -> dict[str, int]:
    nested = session.begin_nested()
    try:
        w = world()
        rooms = [make_resource(w["owner"], title=f"Room {n}") for n in range(resources)]
        people = [owner_member(w["alliance"], size=SizeBand.SMALL) for _ in range(borrowers)]
        monday = next_weekday(0, services.local_today())
        for n, person in enumerate(people):
            for room in rooms:
                services.request_booking(session, person.user, room, on=monday + timedelta(days=n % 5),
                                         starts=time(9 + n // 5), ends=time(10 + n // 5), purpose="Group")
                past = datetime.now(UTC) - timedelta(days=n + 2)
                session.add(Booking(resource_id=room.id, alliance_id=w["alliance"].id,
                                    organisation_id=person.organisation_id, requested_by_id=person.user.id,
                                    starts_at=past, ends_at=past + timedelta(hours=1),
                                    status=BookingStatus.APPROVED, rate=Decimal("10"), rate_unit=room.rate_unit,
                                    purpose="Group"))
        session.flush()
        slug, room = w["alliance"].slug, rooms[0]
        pages = {
            "register": f"/alliances/{slug}/resources",
            "resource": f"/alliances/{slug}/resources/{room.id}",
            "calendar, month": f"/alliances/{slug}/resources/{room.id}/calendar?view=month&date={monday.isoformat()}",
            "calendar, list": f"/alliances/{slug}/resources/{room.id}/calendar?view=list&date={monday.isoformat()}",
            "your bookings (owner)": f"/alliances/{slug}/resources/bookings",
            "value of sharing": f"/alliances/{slug}/resources/value",
        }
        login_as(client, w["owner"].user)
        counts = {}
        for name, url in pages.items():
            client.get(url)  # warm up (sign-in touch, caches)
            with counting(engine) as seen:
                assert client.get(url).status_code == 200, name
            counts[name] = seen[0]
        return counts
    finally:
        nested.rollback()


def test_pages_do_not_query_per_booking(client, session, engine):
    few = _measure(client, session, engine, borrowers=2, resources=2)
    many = _measure(client, session, engine, borrowers=8, resources=4)
    assert few == many
