"""Sentences for specification activity, and the notification kinds specs send."""

from __future__ import annotations

from collab.audit import AuditEntry, describes
from collab.notifications.kinds import register_kind
from collab.specs.models import Outcome

register_kind(
    "spec_comment_answered",
    "A comment you made on a specification was answered",
    "When a commissioner or facilitator says what they did about your comment.",
)
register_kind(
    "spec_consultation_closing",
    "A consultation you can comment on closes in three days",
    "A reminder, once per consultation, three days before it stops taking comments.",
)
register_kind(
    "spec_consultation_opened",
    "A specification is open for your comments",
    "When a specification in your alliance opens for comments, with the date comments close.",
)
register_kind(
    "spec_draft_shared",
    "A new draft of a specification is shared",
    "When a new draft is shared during consultation or review, so you can see what changed.",
)
register_kind(
    "spec_comment_on_behalf",
    "A comment was added for you",
    "When a facilitator adds a comment on a specification in your name, so you can check it says what you meant.",
)
register_kind(
    "consultation_closed_early",
    "A consultation closed early",
    "When a commissioner closes a specification for comments before its closing date, and why.",
)


def _spec(e: AuditEntry) -> str:
    return e.detail.get("spec") or e.subject_label or "a specification"


@describes("spec.report_downloaded")
def _report_downloaded(e: AuditEntry) -> str:
    return f"{e.actor_name} downloaded the “you said, we did” report for {_spec(e)} as a spreadsheet (CSV)"


@describes("spec.pdf_downloaded")
def _pdf_downloaded(e: AuditEntry) -> str:
    size = " in large print" if e.detail.get("large_print") else ""
    return f"{e.actor_name} downloaded version {e.detail.get('number')} of {_spec(e)} as a PDF{size}"


@describes("spec.created")
def _created(e: AuditEntry) -> str:
    return f"{e.actor_name} started a specification: {e.subject_label}"


@describes("spec.details_changed")
def _details(e: AuditEntry) -> str:
    return f"{e.actor_name} changed the details of {e.subject_label}"


@describes("spec.section_saved")
def _saved(e: AuditEntry) -> str:
    return f"{e.actor_name} edited the section \u201c{e.subject_label}\u201d of {_spec(e)}"


@describes("spec.section_added")
def _added(e: AuditEntry) -> str:
    return f"{e.actor_name} added the section \u201c{e.subject_label}\u201d to {_spec(e)}"


@describes("spec.section_moved")
def _moved(e: AuditEntry) -> str:
    return f"{e.actor_name} moved the section \u201c{e.subject_label}\u201d {e.detail.get('direction', '')} in {_spec(e)}"


@describes("spec.consultation_opened")
def _opened(e: AuditEntry) -> str:
    return f"{e.actor_name} opened {e.subject_label} for comments until {e.detail.get('closes', 'the closing date')}"


@describes("spec.draft_shared")
def _shared(e: AuditEntry) -> str:
    return f"{e.actor_name} shared draft {e.detail.get('version')} of {e.subject_label}"


@describes("spec.consultation_closed")
def _closed(e: AuditEntry) -> str:
    if e.detail.get("early"):
        left = e.detail.get("days_left") or 0
        return (f"{e.actor_name} closed {e.subject_label} for comments {left} day{'' if left == 1 else 's'} early "
                f"(reason: {e.detail.get('reason')})")
    return f"{e.actor_name} closed {e.subject_label} for comments and started reviewing them"


@describes("spec.published")
def _published(e: AuditEntry) -> str:
    waiting = e.detail.get("unanswered") or 0
    extra = f", with {waiting} unanswered comment{'s' if waiting != 1 else ''} (reason: {e.detail.get('reason')})" if waiting else ""
    return f"{e.actor_name} published {e.subject_label}{extra}"


@describes("spec.comment_supported")
def _supported(e: AuditEntry) -> str:
    return f"{e.actor_name} said a comment by {e.detail.get('comment_by', 'someone')} on {e.subject_label} matters to them too"


@describes("spec.comment_answered")
def _answered(e: AuditEntry) -> str:
    try:
        outcome = Outcome(str(e.detail.get("outcome"))).label.lower()
    except ValueError:
        outcome = "answered"
    verb = "changed the response to" if e.detail.get("changed_answer") else "responded to"
    return f"{e.actor_name} {verb} a comment by {e.detail.get('comment_by', 'someone')} on {e.subject_label}: {outcome}"


@describes("spec.clauses_linked")
def _linked(e: AuditEntry) -> str:
    count = e.detail.get("count", 0)
    return f"{e.actor_name} linked {e.subject_label} to {count} agreement clause{'s' if count != 1 else ''}"
