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


class ClauseLinks:
    """The addresses and permissions every clause of one page shares, worked out once per page.

    A page of 60 clauses would otherwise call ``url_for`` six times and ``can`` twice per
    clause (``templates/agreements/_clause.html``). Each address is built once with a stand-in
    id and then completed with each clause's id, which gives exactly what ``url_for`` would.
    """

    _STAND_IN = 9_876_543_210

    def __init__(self, alliance: Alliance, *, may_edit: bool, may_propose: bool) -> None:
        slug, n = alliance.slug, self._STAND_IN
        self.may_edit = may_edit
        self.may_propose = may_propose
        self._show = self._split(url_for("agreements.show_clause", slug=slug, clause_id=n))
        self._history = self._split(url_for("agreements.clause_history", slug=slug, clause_id=n))
        self._edit = self._split(url_for("agreements.edit_clause", slug=slug, clause_id=n))
        self._move = self._split(url_for("agreements.move_clause", slug=slug, clause_id=n))
        self._retire = self._split(url_for("agreements.retire_clause", slug=slug, clause_id=n))
        self._propose = self._split(url_for("agreements.new_proposal", slug=slug, clause=n))

    @classmethod
    def _split(cls, url: str) -> tuple[str, str]:
        before, stand_in, after = url.partition(str(cls._STAND_IN))
        assert stand_in, url
        return before, after

    @staticmethod
    def _join(parts: tuple[str, str], clause_id: int) -> str:
        return f"{parts[0]}{clause_id}{parts[1]}"

    def show(self, clause_id: int) -> str:
        return self._join(self._show, clause_id)

    def history(self, clause_id: int) -> str:
        return self._join(self._history, clause_id)

    def edit(self, clause_id: int) -> str:
        return self._join(self._edit, clause_id)

    def move(self, clause_id: int) -> str:
        return self._join(self._move, clause_id)

    def retire(self, clause_id: int) -> str:
        return self._join(self._retire, clause_id)

    def propose(self, clause_id: int) -> str:
        return self._join(self._propose, clause_id)
