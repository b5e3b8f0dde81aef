"""Sentences for workshop activity, and the notification kinds workshops send."""

from __future__ import annotations

from collab.audit import AuditEntry, describes
from collab.notifications.kinds import register_kind
from collab.workshops.models import Reply

register_kind("workshop_invited", "You are invited to a workshop",
              "When an organiser invites you to a co-production workshop.")
register_kind("workshop_place_free", "A place at a workshop is free for you",
              "When you were on a workshop's waiting list and a place becomes free.")
register_kind("workshop_idea_for_you", "Something was added in your name at a workshop",
              "When a facilitator adds an idea for you, with your agreement.")
register_kind("workshop_action", "An action for you from a workshop",
              "When you are given an action to do after a workshop.")
register_kind("workshop_changed", "A workshop you are going to has changed",
              "When the time or place of a workshop you said yes to changes, or it is cancelled.")


@describes("workshop.scheduled")
def _scheduled(e: AuditEntry) -> str:
    return f"{e.actor_name} scheduled a workshop: {e.subject_label}"


@describes("workshop.rescheduled")
def _rescheduled(e: AuditEntry) -> str:
    return f"{e.actor_name} changed the details of the workshop {e.subject_label}"


@describes("workshop.cancelled")
def _cancelled(e: AuditEntry) -> str:
    return f"{e.actor_name} cancelled the workshop {e.subject_label}"


@describes("workshop.invited")
def _invited(e: AuditEntry) -> str:
    count = e.detail.get("count", 0)
    return f"{e.actor_name} invited {count} {'person' if count == 1 else 'people'} to {e.subject_label}"


@describes("workshop.replied")
def _replied(e: AuditEntry) -> str:
    try:
        said = Reply(str(e.detail.get("reply"))).label.lower()
    except ValueError:
        said = "replied"
    return f"{e.actor_name} replied to {e.subject_label}: {said}"


@describes("workshop.attendance_marked")
def _attendance(e: AuditEntry) -> str:
    return f"{e.actor_name} marked who came to {e.subject_label} ({e.detail.get('attended', 0)} came)"


@describes("workshop.payments_exported")
def _payments(e: AuditEntry) -> str:
    return f"{e.actor_name} downloaded the participation payment list for {e.subject_label} ({e.detail.get('count', 0)} people)"


@describes("workshop.decision_recorded")
def _decision(e: AuditEntry) -> str:
    return f"{e.actor_name} recorded a decision from {e.subject_label}"


@describes("workshop.contribution_posted")
def _contribution(e: AuditEntry) -> str:
    return f"{e.actor_name} added what {e.detail.get('group', 'a group')} said at {e.subject_label} to {e.detail.get('spec', 'a specification')}"


@describes("workshop.proposal_raised")
def _proposal(e: AuditEntry) -> str:
    return f"{e.actor_name} raised a proposal from {e.subject_label}"
