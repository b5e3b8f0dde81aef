"""Factories for workshop tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import event

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import db, utcnow
from collab.workshops import services
from collab.workshops.models import Workshop
from tests.factories import commissioner_of


def plan(**overrides) -> services.Plan:
    """A plan for a workshop two weeks from now, 10:00 to 12:30 UK time."""
    values = dict(
        title="Shaping the crisis café", purpose="We plan the new crisis café together.",
        day=(utcnow() + timedelta(days=14)).date(), start=time(10, 0), end=time(12, 30), in_person=True,
        address="Riverside Community Centre\n1 Mill Lane", step_free=True, hearing_loop=True, quiet_room=False,
        accessible_toilets=True, access_notes="The entrance is on Mill Lane.", online=False, meeting_link="",
        capacity=10, payment_pence=2500,
    )
    values.update(overrides)
    return services.Plan(**values)


def make_workshop(alliance: Alliance, *, by: User | None = None, **overrides) -> Workshop:
    return services.schedule(db.session, by or commissioner_of(alliance), alliance, plan(**overrides))


def make_past(workshop: Workshop, days: int = 2) -> Workshop:
    """Move a workshop into the past (services refuse to schedule one there)."""
    start = datetime.combine(date.today() - timedelta(days=days), time(10, 0), tzinfo=UTC)
    workshop.starts_at, workshop.ends_at = start, start + timedelta(hours=2)
    db.session.flush()
    return workshop


def invite_all(workshop: Workshop, people: list[User], by: User | None = None) -> None:
    services.invite(db.session, by or commissioner_of(workshop.alliance), workshop, user_ids=[p.id for p in people])


@contextmanager
def statements_run(engine) -> Iterator[list[str]]:
    """The SQL statements run on ``engine`` inside the block, in order."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)
