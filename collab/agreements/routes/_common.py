"""Loading the objects a URL names (404 if missing), and error pages that say what to do."""

from __future__ import annotations

from typing import NoReturn

from flask import abort
from werkzeug.exceptions import default_exceptions

from collab.agreements import services
from collab.agreements.models import Agreement, AgreementVersion, Clause, Proposal
from collab.alliances.access import load_alliance
from collab.alliances.models import Alliance
from collab.db import db
from collab.security import Permission
from collab.web import get_or_404


def alliance_for(slug: str, permission: Permission = Permission.AGREEMENT_VIEW) -> Alliance:
    """The alliance, if the person may do ``permission`` in it (404 or 403 otherwise)."""
    return load_alliance(slug, permission)


def agreement_for(alliance: Alliance) -> Agreement:
    """The alliance's agreement, or 404 if it has not been started."""
    agreement = services.get_agreement(db.session, alliance)
    if agreement is None:
        abort(404)
    return agreement


def clause_for(agreement: Agreement, clause_id: int) -> Clause:
    """A clause of this agreement, or 404."""
    return get_or_404(db.session, Clause, clause_id, agreement_id=agreement.id)


def proposal_for(agreement: Agreement, proposal_id: int) -> Proposal:
    """A proposal on this agreement, or 404."""
    return get_or_404(db.session, Proposal, proposal_id, agreement_id=agreement.id)


def version_for(agreement: Agreement, number: int) -> AgreementVersion:
    """A published version of this agreement, or 404."""
    version = services.get_version(db.session, agreement, number)
    if version is None:
        abort(404)
    return version


def stop(code: int, message: str, title: str | None = None) -> NoReturn:
    """End the request with an error page that says what happened and what to do."""
    error = default_exceptions[code]()
    error.user_message = message  # type: ignore[attr-defined]
    if title:
        error.user_title = title  # type: ignore[attr-defined]
    raise error


def stop_if_drafting_closed(agreement: Agreement, instead: str = "Propose a change instead") -> None:
    """Editing pages when drafting is closed: say why (not "someone else changed this")."""
    if agreement.drafting:
        return
    latest = services.latest_version(db.session, agreement)
    if latest is None:
        reason = "The agreement is not open for drafting"
    elif latest.is_in_force:
        reason = f"Version {latest.number} is in force, so drafting is closed"
    else:
        reason = f"Version {latest.number} is out for signature, so drafting is closed"
    stop(
        409,
        f"{reason}. {instead}, or ask a commissioner to open the agreement for drafting the next version.",
        title=reason,
    )
