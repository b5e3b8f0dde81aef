"""The values-based alliance agreement: drafting, proposals and consent, versions, signatures."""

from flask import Blueprint, Flask
from sqlalchemy.orm import Session

from collab.permissions import Permission, grant_roles

bp = Blueprint("agreements", __name__)


def _check_signed_versions(session: Session) -> list[str]:
    """`flask verify-audit` also re-hashes every published version and every signature."""
    from collab.agreements.services import verify_all

    return verify_all(session)


def init_app(app: Flask) -> None:
    """Hook this area into the app: blueprint, permissions, navigation, audit checks, activity."""
    from collab import cli
    from collab.agreements.permissions import ROLE_PERMISSIONS
    from collab.agreements.subjects import CLAUSE_SUBJECT, PROPOSAL_SUBJECT, clause_subject, proposal_subject
    from collab.documents.subjects import register_subject
    from collab.web import add_alliance_section

    grant_roles(ROLE_PERMISSIONS)
    # Page cache (issue 10): rows without an alliance of their own reach it through their parent.
    from collab import revisions
    from collab.agreements.models import (
        AgreementVersion,
        Clause,
        ClauseRevision,
        Proposal,
        ProposalResponse,
        Signature,
        VersionClause,
    )

    revisions.through(ClauseRevision, Clause, "clause_id")
    revisions.through(ProposalResponse, Proposal, "proposal_id")
    revisions.through(Signature, AgreementVersion, "version_id")
    revisions.through(VersionClause, AgreementVersion, "version_id")
    add_alliance_section("Agreement", "agreements.show", Permission.AGREEMENT_VIEW, order=10)
    # Comment threads on clauses and proposals (the shared comment routes load them through these).
    register_subject(CLAUSE_SUBJECT, clause_subject)
    register_subject(PROPOSAL_SUBJECT, proposal_subject)
    if _check_signed_versions not in cli.AUDIT_CHECKS:
        cli.AUDIT_CHECKS.append(_check_signed_versions)
    from collab.agreements import activity, routes  # noqa: F401  (their routes and hook-ups register on import)
    from collab.agreements.attention import agreement_items
    from collab.attention import register_items
    from collab.jobs import register_periodic

    register_items("agreements", agreement_items)

    # Issue 9: "a proposal closes in three days" reminders, hourly through the day (each person once).
    register_periodic(
        "proposal-reminders", "collab.agreements.jobs:remind_closing_proposals", "0 8-20 * * *",
        "remind seats that have not answered that a proposal closes in three days",
    )
    app.register_blueprint(bp)
