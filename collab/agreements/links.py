"""Addresses of agreement pages, for notifications and discussion subjects.

The one place that turns agreement objects into URLs, so that services never call
``url_for`` themselves. Needs an application context (a request, or the test app's).
"""

from __future__ import annotations

from flask import url_for

from collab.agreements.models import AgreementVersion, Proposal
from collab.alliances.models import Alliance


def proposal_url(proposal: Proposal) -> str:
    """The proposal's page."""
    return url_for("agreements.show_proposal", slug=proposal.agreement.alliance.slug, proposal_id=proposal.id)


def version_url(alliance: Alliance, number: int) -> str:
    """A published version's page."""
    return url_for("agreements.show_version", slug=alliance.slug, number=number)


def sign_url(alliance: Alliance, number: int) -> str:
    """The page where an organisation signs a version."""
    return url_for("agreements.sign", slug=alliance.slug, number=number)


def clause_url(alliance: Alliance, clause_id: int) -> str:
    """A clause's page."""
    return url_for("agreements.show_clause", slug=alliance.slug, clause_id=clause_id)


def verify_url(version: AgreementVersion) -> str:
    """The public page that checks a version (a path: prefix it with BASE_URL for documents)."""
    return url_for("agreements.verify_version", public_id=version.public_id)


def proposal_url_for(slug: str, proposal_id: int) -> str:
    """A proposal's page, from the alliance's slug and the proposal's id (lists built from rows)."""
    return url_for("agreements.show_proposal", slug=slug, proposal_id=proposal_id)
