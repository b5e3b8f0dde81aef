"""Sentences for agreement activity on the alliance's activity page."""

from __future__ import annotations

from collab.audit import AuditEntry, describes
from collab.notifications.kinds import register_kind

_RESPONSES = {"agree": "agreed to", "stand_aside": "stood aside on", "object": "objected to"}

# The notifications this area sends (people choose which also come by email).
register_kind(
    "agreement_response_needed",
    "Your response to a proposal is needed",
    "When someone proposes a change to the agreement and your seat needs to respond.",
)
register_kind(
    "agreement_proposal_outcome",
    "A proposal you made was carried or objected to",
    "When someone objects to your proposal, or it is carried or decided.",
)
register_kind(
    "agreement_signature_needed",
    "A version is ready for your signature",
    "When a commissioner publishes a new version of the agreement that your organisation should sign.",
)
register_kind(
    "agreement_proposal_closing",
    "A proposal your seat has not answered closes in three days",
    "A reminder, once per proposal, when its closing date is three days away and your seat has not responded.",
)
register_kind(
    "agreement_reserved_power",
    "A commissioner used a reserved power",
    "When a commissioner decides a proposal without everyone's consent, and why.",
)
register_kind(
    "agreement_in_force",
    "The agreement is in force",
    "When every member organisation has signed a version of the agreement.",
)



@describes("agreement.started")
def _started(e: AuditEntry) -> str:
    how = "from the starter template" if e.detail.get("template") else "from a blank page"
    return f"{e.actor_name} started the alliance agreement {how}"


@describes("agreement.drafting_opened")
def _drafting(e: AuditEntry) -> str:
    return f"{e.actor_name} opened the agreement for drafting version {e.detail.get('next_version')}"


@describes("clause.added")
def _clause_added(e: AuditEntry) -> str:
    return f"{e.actor_name} added the clause \u201c{e.subject_label}\u201d"


@describes("clause.edited")
def _clause_edited(e: AuditEntry) -> str:
    return f"{e.actor_name} changed the clause \u201c{e.subject_label}\u201d"


@describes("clause.moved")
def _clause_moved(e: AuditEntry) -> str:
    return f"{e.actor_name} moved the clause \u201c{e.subject_label}\u201d {e.detail.get('direction', '')}"


@describes("clause.retired")
def _clause_retired(e: AuditEntry) -> str:
    return f"{e.actor_name} retired the clause \u201c{e.subject_label}\u201d"


@describes("proposal.made")
def _proposed(e: AuditEntry) -> str:
    what = "a new clause" if e.detail.get("kind") == "new_clause" else "a change"
    return f"{e.actor_name} proposed {what}: \u201c{e.subject_label}\u201d"


@describes("proposal.revised")
def _revised(e: AuditEntry) -> str:
    return f"{e.actor_name} revised the proposal \u201c{e.subject_label}\u201d, so every seat responds again"


@describes("proposal.responded")
def _responded(e: AuditEntry) -> str:
    verb = _RESPONSES.get(e.detail.get("response", ""), "responded to")
    seat = e.detail.get("seat")
    who = f"{e.actor_name} (for {seat})" if seat and seat != e.actor_name else e.actor_name
    return f"{who} {verb} the proposal \u201c{e.subject_label}\u201d"


@describes("proposal.carried")
def _carried(e: AuditEntry) -> str:
    return f"The proposal \u201c{e.subject_label}\u201d was carried and its text is now in the agreement"


@describes("proposal.withdrawn")
def _withdrawn(e: AuditEntry) -> str:
    return f"{e.actor_name} closed the proposal \u201c{e.subject_label}\u201d as withdrawn"


@describes("proposal.reserved_decision")
def _reserved(e: AuditEntry) -> str:
    what = "applied" if e.detail.get("applied") else "did not apply"
    over = e.detail.get("objections") or 0
    extra = f", over {over} objection{'' if over == 1 else 's'}" if over else ""
    return f"{e.actor_name} used a reserved power and {what} the proposal \u201c{e.subject_label}\u201d{extra}"


@describes("agreement.published")
def _published(e: AuditEntry) -> str:
    return f"{e.actor_name} published version {e.detail.get('number')} of the agreement"


@describes("agreement.signed")
def _signed(e: AuditEntry) -> str:
    joined = " to join the alliance" if e.detail.get("accession") else ""
    return f"{e.actor_name} signed version {e.detail.get('number')} for {e.detail.get('organisation')}{joined}"


@describes("agreement.in_force")
def _in_force(e: AuditEntry) -> str:
    return f"Version {e.detail.get('number')} of the agreement came into force: every member organisation signed it"


@describes("agreement.exported")
def _exported(e: AuditEntry) -> str:
    fmt = "PDF" if e.detail.get("format") == "pdf" else "Markdown"
    return f"{e.actor_name} downloaded version {e.detail.get('number')} as {fmt}"
