"""Sentences for shared-resource activity, and the notification kinds the area sends."""

from __future__ import annotations

from collab.audit import AuditEntry, describes
from collab.notifications.kinds import register_kind

register_kind("resource_booking_requested", "Someone asked to book your organisation's resource",
              "So you can approve or decline it.")
register_kind("resource_booking_made", "Someone booked your organisation's resource",
              "For resources that are approved straight away.", email_by_default=False)
register_kind("resource_booking_decided", "Your booking request was approved or declined")
register_kind("resource_booking_cancelled", "A booking you are part of was cancelled")
register_kind("resource_need_answered", "Someone offered help with a need you posted")


def _n(e: AuditEntry) -> str:
    n = e.detail.get("occurrences") or 1
    return f" ({n} weeks)" if n > 1 else ""


@describes("resource.listed")
def _listed(e: AuditEntry) -> str:
    return f"{e.actor_name} listed a shared resource: {e.subject_label}"


@describes("resource.changed", "resource.hours_changed", "resource.date_changed")
def _changed(e: AuditEntry) -> str:
    return f"{e.actor_name} changed the details of {e.subject_label}"


@describes("resource.paused")
def _paused(e: AuditEntry) -> str:
    return f"{e.actor_name} paused {e.subject_label}"


@describes("resource.active")
def _active(e: AuditEntry) -> str:
    return f"{e.actor_name} made {e.subject_label} available again"


@describes("resource.retired")
def _retired(e: AuditEntry) -> str:
    return f"{e.actor_name} retired {e.subject_label}"


@describes("resource.booking_requested")
def _requested(e: AuditEntry) -> str:
    return f"{e.actor_name} asked to book {e.subject_label}{_n(e)}"


@describes("resource.booked")
def _booked(e: AuditEntry) -> str:
    return f"{e.actor_name} booked {e.subject_label}{_n(e)}"


@describes("resource.booking_approved")
def _approved(e: AuditEntry) -> str:
    return f"{e.actor_name} approved a booking of {e.subject_label}{_n(e)}"


@describes("resource.booking_declined")
def _declined(e: AuditEntry) -> str:
    return f"{e.actor_name} declined a booking of {e.subject_label}{_n(e)}"


@describes("resource.booking_cancelled")
def _cancelled(e: AuditEntry) -> str:
    return f"{e.actor_name} cancelled a booking of {e.subject_label}{_n(e)}"


@describes("resource.need_posted")
def _need(e: AuditEntry) -> str:
    return f"{e.actor_name} posted a need: {e.subject_label}"


@describes("resource.need_answered")
def _offer(e: AuditEntry) -> str:
    return f"{e.actor_name} offered help with the need \u201c{e.subject_label}\u201d"


@describes("resource.need_closed")
def _need_closed(e: AuditEntry) -> str:
    return f"{e.actor_name} closed the need \u201c{e.subject_label}\u201d"


@describes("resource.value_downloaded")
def _value_downloaded(e: AuditEntry) -> str:
    return f"{e.actor_name} downloaded the value of shared resources as a spreadsheet (CSV)"
