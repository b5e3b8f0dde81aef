"""Verification: re-hashing versions and signatures, finding by hash, the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from collab.agreements import services
from collab.audit import AuditEntry
from collab.documents.canonical import sha256_hex
from collab.errors import DomainError
from tests.agreements.helpers import first_clause, make_cast, propose_change, publish_and_sign_all, start
from tests.databases import allow_tampering


def test_verification_passes_then_fails_when_text_or_a_signature_is_tampered_with(session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    assert services.verify_version(session, version).ok
    assert not [p for p in services.verify_all(session) if cast.alliance.name in p]

    session.execute(text("UPDATE agreement_version SET canonical_text = replace(canonical_text, 'equal say', 'bigger say') WHERE id = :id"), {"id": version.id})
    session.expire_all()
    check = services.verify_version(session, version)
    assert not check.ok
    assert "the stored text no longer matches the published SHA-256" in check.problems

    # Even rewriting the hash to fit is caught: the audit trail recorded the published hash.
    session.execute(text("UPDATE agreement_version SET sha256 = :h WHERE id = :id"),
                    {"h": sha256_hex(version.canonical_text), "id": version.id})
    session.expire_all()
    problems = services.verify_version(session, version).all_problems
    assert any("audit trail" in p for p in problems)
    assert any("different SHA-256" in p for p in problems)


def test_tampering_with_a_signature_row_is_found(session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    target = version.signatures[1]
    allow_tampering(session)
    session.execute(text("UPDATE signature SET typed_name = 'Mallory' WHERE id = :id"), {"id": target.id})
    session.expire_all()
    check = services.verify_version(session, version)
    assert not check.ok
    bad = [c for c in check.signatures if not c.ok]
    assert [c.signature.id for c in bad] == [target.id]
    assert any(target.organisation_name in p for p in services.verify_all(session))


def test_find_by_hash(session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    assert [v.id for v in services.find_by_hash(session, version.sha256)] == [version.id]
    assert services.find_by_hash(session, "0" * 64) == []


def test_every_step_is_in_the_audit_trail_with_a_readable_sentence(session):
    from collab.audit import describe

    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body="Changed", lock_version=1)
    proposal = propose_change(cast, agreement, clause)
    services.respond(session, cast.provider_b, proposal, response="object", reason="No")
    services.decide_reserved(session, cast.commissioner, proposal, apply=False, reason="Budget")
    version = publish_and_sign_all(cast, agreement)
    services.record_export(session, cast.provider_a, version, "pdf")
    entries = session.scalars(select(AuditEntry).where(AuditEntry.alliance_id == cast.alliance.id).order_by(AuditEntry.id)).all()
    actions = [e.action for e in entries]
    for action in ("agreement.started", "clause.edited", "proposal.made", "proposal.responded",
                   "proposal.reserved_decision", "agreement.published", "agreement.signed", "agreement.in_force",
                   "agreement.exported"):
        assert action in actions
    sentences = [describe(e) for e in entries]
    assert "Ann Provider changed the clause “Purpose and shared outcomes”" in sentences
    assert f"Ben Provider (for {cast.org_b.name}) objected to the proposal “Purpose and shared outcomes”" in sentences
    assert "Ann Provider downloaded version 1 as PDF" in sentences


def test_search_by_hash_reads_a_file_or_a_pasted_hash(session):
    import io

    from werkzeug.datastructures import FileStorage

    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    text = version.canonical_text.encode("utf-8")
    found = services.search_by_hash(session, upload=FileStorage(io.BytesIO(text.replace(b"\n", b"\r\n")), "v1.md"), sha256=None)
    assert [v.id for v in found.matches] == [version.id]
    assert services.search_by_hash(session, upload=None, sha256=version.sha256.upper()).checked == version.sha256
    with pytest.raises(DomainError, match="smaller than 2 MB") as too_big:
        services.search_by_hash(session, upload=FileStorage(io.BytesIO(b"x" * 2_000_001), "big.md"), sha256=None)
    assert too_big.value.field == "file"
    with pytest.raises(DomainError, match="Paste a SHA-256 or choose a file") as nothing:
        services.search_by_hash(session, upload=FileStorage(io.BytesIO(b""), ""), sha256="")
    assert nothing.value.field == "sha256"
