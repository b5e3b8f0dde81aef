"""Agreement rules, one module per sub-domain; this package re-exports the public names.

Plain functions: no request, no templates, no commit. They raise DomainError (or Conflict)
when a rule is broken; routes commit once (``collab.web.attempt``) and send notifications
after the commit.

- ``drafting``: starting the agreement, clauses and their history
- ``seats``: who responds to proposals and which organisations sign
- ``proposals``: proposing, revising, withdrawing and deciding changes; the decision register
- ``consent``: responses from each seat, and carrying a proposal
- ``versions``: publishing versions, their canonical text, comparing them
- ``signing``: signatures, coming into force, accession
- ``verification``: re-hashing against the audit trail, finding by hash, checking uploads, exports

Callers use ``from collab.agreements import services`` and ``services.sign(...)``.
"""

from __future__ import annotations

from collab.agreements.services._common import (
    MAX_BODY,
    MAX_HEADING,
    ORGANISATION_ROLES,
    active_clauses,
    clause_number,
    get_agreement,
)
from collab.agreements.services.consent import ConsentState, consent_state, participant_summary, respond
from collab.agreements.services.drafting import (
    add_clause,
    clause_history,
    clause_revisions,
    current_clause,
    edit_clause,
    move_clause,
    open_drafting,
    retire_clause,
    start_agreement,
    with_previous,
)
from collab.agreements.services.proposals import (
    ReservedImpact,
    check_reserved_reason,
    decide_reserved,
    decisions,
    open_proposal_counts,
    proposals,
    propose,
    reserved_impact,
    revise_proposal,
    withdraw_proposal,
)
from collab.agreements.services.seats import Seat, member_organisations, seat_for, seats
from collab.agreements.services.signing import (
    AlreadySigned,
    SignatureCount,
    SignatureStatus,
    TwoStepRequired,
    can_be_signed,
    name_matches,
    sign,
    signature_count,
    signature_status,
    signing_organisation,
    statement_for,
)
from collab.agreements.services.verification import (
    HashSearch,
    SignatureCheck,
    VersionCheck,
    find_by_hash,
    find_version_by_public_id,
    publication_hashes,
    record_export,
    search_by_hash,
    signing_entries,
    verify_all,
    verify_version,
)
from collab.agreements.services.versions import (
    ClauseComparison,
    compare_versions,
    frozen_text,
    get_version,
    latest_version,
    publish,
    version_in_force,
    version_text,
    versions,
)

__all__ = [
    "ReservedImpact",
    "check_reserved_reason",
    "reserved_impact",
    "MAX_BODY",
    "MAX_HEADING",
    "ORGANISATION_ROLES",
    "AlreadySigned",
    "ClauseComparison",
    "ConsentState",
    "HashSearch",
    "Seat",
    "SignatureCheck",
    "SignatureCount",
    "SignatureStatus",
    "TwoStepRequired",
    "VersionCheck",
    "active_clauses",
    "add_clause",
    "can_be_signed",
    "clause_history",
    "clause_revisions",
    "clause_number",
    "compare_versions",
    "consent_state",
    "current_clause",
    "decide_reserved",
    "decisions",
    "edit_clause",
    "find_by_hash",
    "find_version_by_public_id",
    "frozen_text",
    "get_agreement",
    "get_version",
    "latest_version",
    "member_organisations",
    "move_clause",
    "name_matches",
    "open_drafting",
    "open_proposal_counts",
    "participant_summary",
    "proposals",
    "propose",
    "publication_hashes",
    "publish",
    "record_export",
    "respond",
    "retire_clause",
    "revise_proposal",
    "search_by_hash",
    "seat_for",
    "seats",
    "sign",
    "signature_count",
    "signature_status",
    "signing_entries",
    "signing_organisation",
    "start_agreement",
    "statement_for",
    "verify_all",
    "verify_version",
    "version_in_force",
    "version_text",
    "versions",
    "with_previous",
    "withdraw_proposal",
]
