"""Times as people in the UK read them: stored in UTC, shown in Europe/London.

Every timestamp is stored in UTC (``collab.db.UTCDateTime``). What a person reads is UK time,
which is UTC in winter and UTC+1 (British Summer Time) from the last Sunday of March to the last
Sunday of October. Where each output stands:

- Pages and emails: UK time, written the GOV.UK way ("1 July 2026 at 3:05pm"), without a zone
  name: everyone using Collab is in the UK and reads the clock on their wall.
- The signed agreement PDF: UK time with the zone named ("BST" or "GMT") and the UTC time beside
  it, because a signature certificate is evidence and must be unambiguous to anyone, anywhere.
- CSV exports: the date a comment was made, in UK time (ISO 8601, 2026-07-01), so that a comment
  made at 00:30 on 1 July (BST) is not counted on 30 June.
- Audit entries, signature records and security logs: UTC in ISO 8601, unchanged. They are
  machine records, hashed as written, and are never shown as they are.
- "Today" (for closing dates and consultation windows) is the UK date, so a consultation that
  closes on 30 June takes comments until midnight in London, not until 11pm.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: The time zone every time is shown in.
LONDON = ZoneInfo("Europe/London")


def in_london(value: datetime) -> datetime:
    """The same moment on a UK clock (a naive value is taken to be UTC, as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def today_in_london(now: datetime | None = None) -> date:
    """Today's date in the UK (``now`` for tests; it defaults to the current time)."""
    return in_london(now or datetime.now(UTC)).date()


def format_datetime(value: datetime | date | None, with_time: bool = True) -> str:
    """GOV.UK style in UK time: 25 November 2026 at 6:51pm. Dates are shown as they are."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = in_london(value)
    elif with_time:
        with_time = False  # a date has no time of day to show
    day = f"{value.day} {value:%B %Y}"
    if not with_time or not isinstance(value, datetime):
        return day
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{day} at {hour}:{value:%M}{suffix}"


def format_date(value: datetime | date | None) -> str:
    """GOV.UK style date: 25 November 2026 (the UK date of a timestamp)."""
    return format_datetime(value, with_time=False)


def format_certificate_time(value: datetime) -> str:
    """For evidence (the signature certificate): UK time with its zone, and UTC beside it.

    ``2026-07-01 15:05:09 BST (14:05:09 UTC)``.
    """
    local = in_london(value)
    utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()} ({utc:%H:%M:%S} UTC)"


def iso_date_in_london(value: datetime) -> str:
    """The UK date of a timestamp in ISO 8601 (for spreadsheets)."""
    return in_london(value).date().isoformat()

