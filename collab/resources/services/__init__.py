"""Shared resources: the rules. Plain functions; they flush, never commit.

One module per sub-domain (register, availability, booking, needs, value, calendar); this
package names the public ones, so ``from collab.resources import services`` gives them all.
"""

from collab.resources.services._common import LOCAL, day_bounds, local_datetime, local_today, to_local
from collab.resources.services.availability import (
    WEEKDAYS,
    Window,
    add_exception,
    any_time,
    is_open_on,
    outside_hours,
    pattern_summary,
    remove_exception,
    set_weekly_pattern,
    windows_on,
)
from collab.resources.services.booking import (
    MAX_REPEATS,
    BookingConflict,
    Problem,
    RequestResult,
    Slot,
    approve,
    approved_between,
    bookings_between,
    bookings_of_person,
    cancel,
    decline,
    get_booking,
    nearest_free,
    peak_use,
    plan,
    request_booking,
    waiting_for,
    when_label,
)
from collab.resources.services.calendar import (
    feed_bookings,
    feed_of,
    ics,
    new_feed_address,
    stop_feed,
    user_for_token,
)
from collab.resources.services.needs import answer_need, close_need, get_need, needs_for, post_need
from collab.resources.services.register import (
    ResourceDetails,
    ResourceFilter,
    browse,
    contacts_for,
    create_resource,
    get_resource,
    owner_organisations,
    set_status,
    update_resource,
)
from collab.resources.services.value import (
    CSV_HEADER,
    NO_ORGANISATION,
    ValueReport,
    booking_value,
    completed_bookings,
    csv_rows,
    record_value_download,
    value_report,
)

__all__ = [
    "record_value_download", "CSV_HEADER", "LOCAL", "MAX_REPEATS", "NO_ORGANISATION", "WEEKDAYS", "BookingConflict", "Problem",
    "RequestResult", "ResourceDetails", "ResourceFilter", "Slot", "ValueReport", "Window", "add_exception",
    "answer_need", "any_time", "approve", "approved_between", "booking_value", "bookings_between",
    "bookings_of_person", "browse", "cancel", "close_need", "completed_bookings", "contacts_for",
    "create_resource", "csv_rows", "day_bounds", "decline", "feed_bookings", "feed_of", "get_booking",
    "get_need", "get_resource", "needs_for", "ics", "is_open_on", "local_datetime", "local_today", "nearest_free",
    "new_feed_address", "outside_hours", "owner_organisations", "pattern_summary", "peak_use", "plan",
    "post_need", "remove_exception", "request_booking", "set_status", "set_weekly_pattern", "stop_feed",
    "to_local", "update_resource", "user_for_token", "value_report", "waiting_for", "when_label",
    "windows_on",
]
