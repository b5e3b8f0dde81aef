"""Sentences for alliance activity on the activity page."""

from __future__ import annotations

from collab.alliances.models import Role
from collab.audit import AuditEntry, describes
from collab.notifications.kinds import register_kind

# The notifications this area sends (people choose which also come by email).
register_kind(
    "organisation_correction_proposed",
    "A correction to your organisation's details is proposed",
    "When a commissioner proposes a change to the details of an organisation you represent.",
)
register_kind(
    "organisation_correction_decided",
    "A correction you proposed was accepted or declined",
    "When an organisation's representative decides on a correction you proposed.",
)



def _role(value: str | None) -> str:
    try:
        return Role(value).label.lower() if value else "member"
    except ValueError:
        return "member"


def _a(value: str | None) -> str:
    label = _role(value)
    return ("an " if label[0] in "aeiou" else "a ") + label


@describes("alliance.created")
def _created(e: AuditEntry) -> str:
    return f"{e.actor_name} created the alliance"


@describes("alliance.updated")
def _updated(e: AuditEntry) -> str:
    changed = e.detail.get("changed") or ["details"]
    return f"{e.actor_name} changed the alliance's {', '.join(changed)}"


@describes("invitation.sent")
def _invited(e: AuditEntry) -> str:
    org = e.detail.get("organisation")
    return f"{e.actor_name} invited {_a(e.detail.get('role'))}" + (f" for {org}" if org else "")


@describes("invitation.revoked")
def _revoked(e: AuditEntry) -> str:
    return f"{e.actor_name} cancelled an invitation for {_a(e.detail.get('role'))}"


@describes("membership.joined")
def _joined(e: AuditEntry) -> str:
    org = e.detail.get("organisation")
    return f"{e.subject_label} joined as {_a(e.detail.get('role'))}" + (f" for {org}" if org else "")


@describes("membership.role_changed")
def _role_changed(e: AuditEntry) -> str:
    return (
        f"{e.actor_name} changed {e.subject_label}'s role from {_role(e.detail.get('from'))} "
        f"to {_role(e.detail.get('to'))}"
    )


@describes("membership.removed")
def _removed(e: AuditEntry) -> str:
    return f"{e.actor_name} removed {e.subject_label} from the alliance"


@describes("membership.left")
def _left(e: AuditEntry) -> str:
    return f"{e.subject_label} left the alliance"


def _changed(e: AuditEntry) -> str:
    changed = e.detail.get("changed") or ["details"]
    before, after = e.detail.get("from") or {}, e.detail.get("to") or {}
    if "name" in before and "name" in after:
        text = f"the name of {before['name']} to {after['name']}"
        rest = [c for c in changed if c != "name"]
        return text + (f" and its {', '.join(rest)}" if rest else "")
    return f"{e.subject_label}'s {', '.join(changed)}"


@describes("organisation.updated")
def _organisation_updated(e: AuditEntry) -> str:
    return f"{e.actor_name} changed {_changed(e)}"


@describes("organisation.correction_proposed")
def _correction_proposed(e: AuditEntry) -> str:
    changed = ", ".join(e.detail.get("changed") or ["details"])
    return f"{e.actor_name} proposed a correction to {e.subject_label}'s {changed}"


@describes("organisation.correction_accepted")
def _correction_accepted(e: AuditEntry) -> str:
    by = e.detail.get("proposed_by")
    return f"{e.actor_name} accepted a correction{f' from {by}' if by else ''}, which changed {_changed(e)}"


@describes("organisation.correction_declined")
def _correction_declined(e: AuditEntry) -> str:
    return f"{e.actor_name} declined a correction to {e.subject_label}"
