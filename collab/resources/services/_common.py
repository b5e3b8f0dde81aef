"""Pieces every part of the resource rules shares: local time, text checks, who represents whom."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from collab.alliances.models import Alliance, Membership
from collab.errors import DomainError
from collab.errors import check_text as check_text  # one rule for every area (re-exported)
from collab.resources.models import Resource
from collab.timezone import LONDON

#: Opening hours and booking times are written and shown in UK time; the database keeps UTC.
LOCAL = LONDON

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_LOCATION = 300




def local_datetime(day: date, at: time, field_name: str = "starts") -> datetime:
    """A UK wall-clock time on a day, as an aware UTC datetime.

    The hour that does not exist when the clocks go forward (1:00 to 1:59 on the last Sunday
    of March) is refused rather than guessed; in the hour that happens twice in October the
    first one (British Summer Time) is meant.
    """
    local = datetime.combine(day, at).replace(tzinfo=LOCAL)
    back = local.astimezone(UTC).astimezone(LOCAL)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise DomainError(
            f"{at:%H:%M} does not exist on {day.day} {day:%B %Y} because the clocks go forward. Choose another time",
            field=field_name,
        )
    return local.astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def local_today(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(LOCAL).date()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants at which a UK day starts and ends (23 or 25 hours on clock-change days)."""
    start = datetime.combine(day, time(0)).replace(tzinfo=LOCAL).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0)).replace(tzinfo=LOCAL).astimezone(UTC)
    return start, end


def membership_of(session: Session, user: Any, alliance: Alliance) -> Membership | None:
    return session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.alliance_id == alliance.id)
    )


def represents(session: Session, user: Any, alliance: Alliance, organisation_id: int | None) -> bool:
    """Whether the person is in this alliance on behalf of this organisation."""
    membership = membership_of(session, user, alliance)
    return membership is not None and organisation_id is not None and membership.organisation_id == organisation_id


def representatives(session: Session, alliance_id: int, organisation_id: int | None) -> list[Any]:
    """Everyone in the alliance on behalf of the organisation (who approve, or who are told)."""
    if organisation_id is None:
        return []
    return list(
        session.scalars(
            select(Membership).where(
                Membership.alliance_id == alliance_id, Membership.organisation_id == organisation_id
            )
        )
    )


def lock_resource(session: Session, resource: Resource) -> None:
    """Serialise every booking decision on this resource.

    An UPDATE of the resource row: on PostgreSQL it holds the row lock until commit, so a
    second request for the same resource waits here and then sees the first one's booking; on
    SQLite the request already holds the database's write lock (collab/db.py: BEGIN IMMEDIATE),
    and this statement takes it in any case.
    """
    session.execute(
        update(Resource)
        .where(Resource.id == resource.id)
        .values(booking_version=Resource.booking_version + 1)
        .execution_options(synchronize_session=False)
    )
