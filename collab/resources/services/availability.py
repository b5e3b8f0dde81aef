"""When a resource can be booked: a weekly pattern in UK time, plus closed dates and one-off openings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from collab import audit
from collab.errors import DomainError
from collab.resources.models import AvailabilityException, Resource, WeeklyOpening
from collab.resources.services._common import check_text, local_datetime, to_local

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_WINDOWS = 21


@dataclass(frozen=True)
class Window:
    """Open from ``opens`` to ``closes`` (UK time) on one day."""

    opens: time
    closes: time

    def label(self) -> str:
        return f"{_clock(self.opens)} to {_clock(self.closes)}"


def _clock(at: time) -> str:
    hour = at.hour % 12 or 12
    suffix = "am" if at.hour < 12 else "pm"
    return f"{hour}{suffix}" if at.minute == 0 else f"{hour}:{at.minute:02d}{suffix}"


def set_weekly_pattern(
    session: Session, actor: Any, resource: Resource, windows: Iterable[tuple[int, time, time]]
) -> None:
    """Replace the weekly pattern. No windows at all means "any time, by arrangement"."""
    cleaned: list[tuple[int, time, time]] = []
    for weekday, opens, closes in windows:
        if not 0 <= weekday <= 6:
            raise DomainError("Choose a day of the week", field="openings")
        if closes <= opens:
            raise DomainError(f"On {WEEKDAYS[weekday]}, the closing time must be after the opening time",
                              field="openings")
        cleaned.append((weekday, opens, closes))
    cleaned.sort()
    for (d1, _o1, c1), (d2, o2, _c2) in zip(cleaned, cleaned[1:], strict=False):
        if d1 == d2 and o2 < c1:
            raise DomainError(f"The opening times on {WEEKDAYS[d1]} overlap", field="openings")
    if len(cleaned) > MAX_WINDOWS:
        raise DomainError(f"Enter at most {MAX_WINDOWS} opening times", field="openings")
    resource.openings.clear()
    session.flush()
    for weekday, opens, closes in cleaned:
        resource.openings.append(WeeklyOpening(weekday=weekday, opens=opens, closes=closes))
    session.flush()
    audit.record(session, actor, "resource.hours_changed", resource, alliance=resource.alliance, label=resource.title)


def add_exception(
    session: Session, actor: Any, resource: Resource, on_date: date, *, closed: bool,
    opens: time | None = None, closes: time | None = None, note: str = "",
) -> AvailabilityException:
    """Close a date, or open it at other hours that day (replacing the weekly pattern for it)."""
    note = check_text(note, "a note", "note", 200, required=False)
    if not closed:
        if opens is None or closes is None:
            raise DomainError("Enter the opening and closing times for that day", field="opens")
        if closes <= opens:
            raise DomainError("The closing time must be after the opening time", field="closes")
    for existing in list(resource.exceptions):
        if existing.on_date == on_date:
            resource.exceptions.remove(existing)
    session.flush()
    found = AvailabilityException(on_date=on_date, closed=closed, opens=None if closed else opens,
                                  closes=None if closed else closes, note=note)
    resource.exceptions.append(found)
    session.flush()
    audit.record(session, actor, "resource.date_changed", resource, alliance=resource.alliance, label=resource.title,
                 detail={"date": on_date.isoformat(), "closed": closed})
    return found


def remove_exception(session: Session, actor: Any, resource: Resource, exception_id: int) -> None:
    """Go back to the weekly pattern on that date."""
    for existing in list(resource.exceptions):
        if existing.id == exception_id:
            resource.exceptions.remove(existing)
            session.flush()
            audit.record(session, actor, "resource.date_changed", resource, alliance=resource.alliance,
                         label=resource.title, detail={"date": existing.on_date.isoformat(), "removed": True})
            return
    raise DomainError("That date has no special opening hours")


def any_time(resource: Resource) -> bool:
    """No weekly pattern: bookable at any time (staff time, data, volunteer hours …)."""
    return not resource.openings


def windows_on(resource: Resource, day: date) -> list[Window]:
    """When the resource is open on a UK date."""
    for exception in resource.exceptions:
        if exception.on_date == day:
            if exception.closed or exception.opens is None or exception.closes is None:
                return []
            return [Window(exception.opens, exception.closes)]
    if any_time(resource):
        return [Window(time(0), time(23, 59, 59))]
    return [Window(o.opens, o.closes) for o in resource.openings if o.weekday == day.weekday()]


def is_open_on(resource: Resource, day: date) -> bool:
    return bool(windows_on(resource, day))


def closed_note(resource: Resource, day: date) -> str:
    for exception in resource.exceptions:
        if exception.on_date == day and exception.closed:
            return exception.note
    return ""


def outside_hours(resource: Resource, starts_at: datetime, ends_at: datetime) -> str | None:
    """Why the resource is not open for the whole of this time (None when it is)."""
    start, end = to_local(starts_at), to_local(ends_at)
    day = start.date()
    windows = windows_on(resource, day)
    when = f"{day.day} {day:%B %Y}"
    if not windows:
        note = closed_note(resource, day)
        if note or any(e.on_date == day and e.closed for e in resource.exceptions):
            return f"It is closed on {when}" + (f" ({note})" if note else "")
        return f"It is not open on {WEEKDAYS[day.weekday()]}s"
    if any_time(resource) and not any(e.on_date == day for e in resource.exceptions):
        return None
    if end.date() != day and not (end.date() == day + timedelta(days=1) and end.time() == time(0)):
        return "A booking must start and end on the same day within the opening hours"
    end_clock = time(23, 59, 59) if end.date() != day else end.time()
    for window in windows:
        if window.opens <= start.time() and end_clock <= window.closes:
            return None
    hours = ", ".join(w.label() for w in windows)
    return f"It is open {hours} on {when}"


def pattern_summary(resource: Resource) -> list[tuple[str, str]]:
    """The weekly pattern as (day, hours) lines for pages."""
    if any_time(resource):
        return []
    lines = []
    for weekday, name in enumerate(WEEKDAYS):
        windows = [Window(o.opens, o.closes) for o in resource.openings if o.weekday == weekday]
        lines.append((name, ", ".join(w.label() for w in windows) if windows else "Closed"))
    return lines


def local_window_bounds(day: date, window: Window) -> tuple[datetime, datetime]:
    """A window of a day as UTC instants (the end of day for "any time")."""
    start = local_datetime(day, window.opens)
    if window.closes >= time(23, 59):
        end = local_datetime(day + timedelta(days=1), time(0))
    else:
        end = local_datetime(day, window.closes)
    return start, end
