"""Versions: publishing freezes a canonical text and its hash; comparing versions."""

from __future__ import annotations

import pytest

from collab.agreements import services
from collab.documents.canonical import sha256_hex
from collab.errors import DomainError
from tests.agreements.helpers import first_clause, make_cast, start


def test_publish_freezes_a_canonical_text_and_its_hash(session):
    cast = make_cast()
    agreement = start(cast)
    version = services.publish(session, cast.commissioner, agreement)
    assert version.number == 1 and not agreement.drafting
    assert version.sha256 == sha256_hex(version.canonical_text)
    assert version.canonical_text.startswith(f"# {cast.alliance.name} agreement\n\nAlliance: {cast.alliance.name}\nVersion: 1\nReference: {version.reference}\n\n## 1. Purpose and shared outcomes\n")
    assert len(version.clauses) == 12
    with pytest.raises(DomainError, match="Nothing has changed"):
        services.publish(session, cast.commissioner, agreement)
    services.open_drafting(session, cast.commissioner, agreement)
    clause = first_clause(agreement)
    services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body="New words", lock_version=clause.lock_version)
    second = services.publish(session, cast.commissioner, agreement)
    assert second.number == 2 and second.sha256 != version.sha256
    rows = services.compare_versions(version, second)
    assert [r.status for r in rows].count("changed") == 1 and rows[0].status == "changed"
