"""Clauses and proposals as discussion subjects: what a comment thread on them is about."""

from __future__ import annotations

from typing import Any

from collab.agreements import links
from collab.agreements.models import Clause, Proposal
from collab.documents.subjects import Subject

CLAUSE_SUBJECT = "agreement_clause"
PROPOSAL_SUBJECT = "agreement_proposal"


def clause_subject(session: Any, clause_id: int) -> Subject | None:
    """A clause's thread; closed once the clause is retired."""
    clause = session.get(Clause, clause_id)
    if clause is None:
        return None
    alliance = clause.agreement.alliance
    return Subject(
        alliance=alliance,
        label=f"the clause \u201c{clause.heading}\u201d",
        url=links.clause_url(alliance, clause.id),
        open_for_comments=not clause.is_retired,
        closed_reason="This clause has been retired, so the discussion is closed.",
    )


def proposal_subject(session: Any, proposal_id: int) -> Subject | None:
    """A proposal's thread."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        return None
    alliance = proposal.agreement.alliance
    return Subject(
        alliance=alliance,
        label=f"the proposal \u201c{proposal.heading}\u201d",
        url=links.proposal_url(proposal),
    )

