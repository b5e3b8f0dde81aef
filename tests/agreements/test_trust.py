"""Issue 7, trust in signed agreements: frozen versions, unguessable hashes, checked names,
keyed hashes and a chain head kept outside the database, PDF links from BASE_URL, the real
reason when drafting is closed, and a clear answer when PDF export cannot work."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import UTC

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.exc import DBAPIError

from collab.agreements import pdf as agreement_pdf
from collab.agreements import services
from collab.agreements.models import Signature
from collab.alliances.models import Visibility
from collab.audit import AuditEntry, current_head, verify_chain
from collab.documents.canonical import sha256_hex
from collab.errors import DomainError
from tests.agreements.helpers import first_clause, make_cast, publish_and_sign_all, start
from tests.databases import allow_tampering
from tests.factories import PASSWORD, login_as


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _forged_host(app, client, host: str = "evil.example") -> dict[str, str]:
    """Headers for a request whose Host header an attacker chose, with the session cookie sent along."""
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    cookie = client.get_cookie(name)
    assert cookie is not None
    client.set_cookie(name, cookie.value, domain=host)
    return {"Host": host}


def _verify(app, *args: str):
    return app.test_cli_runner().invoke(args=["verify-audit", *args])


# Defect 5: renaming the alliance does not break verification -------------------------------


def test_renaming_the_alliance_keeps_signed_versions_valid(client, session):
    cast = make_cast(name="Old Name Alliance")
    cast.alliance.visibility = Visibility.PUBLIC
    version = publish_and_sign_all(cast, start(cast))
    cast.alliance.name = "New Name Alliance"
    session.flush()
    session.expire_all()
    check = services.verify_version(session, version)
    assert check.ok, check.all_problems
    page = _text(client.get(f"/verify/{version.public_id}"))
    assert "Valid" in page and "FAILED" not in page
    assert "Old Name Alliance: version 1" in page
    # The statement a later signatory confirms still names the alliance as the version says it.
    assert "the Old Name Alliance agreement" in services.statement_for(version, cast.org_a)


def test_verify_audit_passes_after_a_rename(app, session):
    cast = make_cast(name="Renamed Later Alliance")
    publish_and_sign_all(cast, start(cast))
    cast.alliance.name = "Renamed Alliance"
    session.flush()
    result = _verify(app)
    assert result.exit_code == 0, result.output


# Defect 8: the hash cannot be guessed; outsiders of a private alliance learn nothing new ----


def test_the_hash_cannot_be_computed_from_the_guessed_words(session):
    cast = make_cast(name="Secret Guess Alliance")
    agreement = start(cast)
    version = services.publish(session, cast.commissioner, agreement)
    guess = services.version_text(
        agreement.title, "Secret Guess Alliance", 1, [(c.number, c.heading, c.body) for c in version.clauses]
    )
    assert sha256_hex(guess) != version.sha256
    assert version.reference and len(version.reference) == 32  # 128 random bits
    assert f"Reference: {version.reference}" in version.canonical_text
    assert sha256_hex(version.canonical_text) == version.sha256


def test_outsiders_see_only_what_the_document_says_for_a_private_alliance(client, session):
    cast = make_cast(name="Private Verify Alliance")
    version = publish_and_sign_all(cast, start(cast))
    login_as(client, None)
    for response in (client.get(f"/verify/{version.public_id}"), client.post("/verify", data={"sha256": version.sha256})):
        page = _text(response)
        assert response.status_code == 200
        assert "Private Verify Alliance" in page and version.sha256 in page
        for hidden in (cast.org_a.name, cast.org_b.name, cast.council.name, "Ann Provider", "Signatures"):
            assert hidden not in page, hidden
        assert f"/alliances/{cast.alliance.slug}" not in page
    # A member signed in sees who signed.
    login_as(client, cast.observer)
    page = _text(client.get(f"/verify/{version.public_id}"))
    assert cast.org_a.name in page and "Ann Provider" in page


# Defect 6: the typed name must be the account's name --------------------------------------


def test_a_made_up_name_is_refused_with_a_way_to_change_ones_name(client, session):
    cast = make_cast()
    version = services.publish(session, cast.commissioner, start(cast))
    with pytest.raises(DomainError, match="as it is on your account: Ann Provider"):
        services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="Mickey Mouse", confirmed=True)
    login_as(client, cast.provider_a)
    url = f"/alliances/{cast.alliance.slug}/agreement/versions/1/sign"
    response = client.post(url, data={"password": PASSWORD, "typed_name": "Mickey Mouse", "confirm": "y", "sha256": version.sha256})
    page = _text(response)
    assert response.status_code == 422
    assert "Type your name as it is on your account: Ann Provider" in page
    assert 'href="/account"' in page
    assert session.scalar(select(Signature.id).where(Signature.version_id == version.id)) is None


def test_case_and_spacing_do_not_matter_and_both_names_are_shown(client, session):
    cast = make_cast()
    cast.alliance.visibility = Visibility.PUBLIC
    version = services.publish(session, cast.commissioner, start(cast))
    signature = services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="  ann   PROVIDER ", confirmed=True)
    assert (signature.typed_name, signature.account_name, signature.organisation_name) == (
        "ann PROVIDER", "Ann Provider", cast.org_a.name
    )
    login_as(client, cast.observer)
    for url in (f"/alliances/{cast.alliance.slug}/agreement/versions/1", f"/verify/{version.public_id}"):
        page = _text(client.get(url))
        assert "ann PROVIDER" in page and f"Account: Ann Provider, {cast.org_a.name}" in page, url


def test_pdf_certificate_shows_typed_and_account_names_and_links_from_base_url(app, client, session, monkeypatch):
    # Defect 6 on the PDF, and 12a: the verification link ignores a forged Host header.
    cast = make_cast()
    version = services.publish(session, cast.commissioner, start(cast))
    services.sign(session, cast.provider_a, version, password=PASSWORD, typed_name="ann provider", confirmed=True)
    seen: dict[str, str] = {}

    def fake_pdf(html: str, base_url: str) -> bytes:
        seen["html"], seen["base_url"] = html, base_url
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(agreement_pdf, "render_pdf", fake_pdf)
    monkeypatch.setitem(app.config, "BASE_URL", "https://collab.example.org")
    login_as(client, cast.commissioner)
    response = client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1/export.pdf",
                          headers=_forged_host(app, client))
    assert response.status_code == 200
    html = re.sub(r"\s+", " ", seen["html"])
    assert f"https://collab.example.org/verify/{version.public_id}" in html
    assert "evil.example" not in html and "evil.example" not in seen["base_url"]
    assert "ann provider (typed)" in html and f"Account: Ann Provider, {cast.org_a.name}" in html
    # The audit trail's head goes into the PDF, outside the database's reach.
    assert version.audit_head in html


def test_the_real_pdf_link_uses_base_url(app, client, session, monkeypatch):
    """Without the fake: the rendered PDF's link annotation carries BASE_URL, not the Host header."""
    pytest.importorskip("weasyprint")
    cast = make_cast()
    version = services.publish(session, cast.commissioner, start(cast))
    monkeypatch.setitem(app.config, "BASE_URL", "https://collab.example.org")
    seen: dict[str, str] = {}
    real = agreement_pdf.render_pdf

    def spy(html: str, base_url: str) -> bytes:
        seen["html"] = html
        return real(html, base_url)

    monkeypatch.setattr(agreement_pdf, "render_pdf", spy)
    login_as(client, cast.commissioner)
    response = client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1/export.pdf",
                          headers=_forged_host(app, client))
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert f"https://collab.example.org/verify/{version.public_id}" in seen["html"]
    assert b"evil.example" not in response.data


# PDF export without Pango ---------------------------------------------------------------------


@pytest.mark.parametrize("error", [OSError("cannot load library 'libgobject-2.0-0'"), ImportError("no weasyprint")])
def test_pdf_export_without_the_native_library_answers_a_clear_503(client, session, monkeypatch, caplog, error):
    """On a machine without Pango, importing WeasyPrint fails with OSError (cannot load libgobject)."""
    import builtins

    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise error
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing_import)
    cast = make_cast()
    services.publish(session, cast.commissioner, start(cast))
    login_as(client, cast.commissioner)
    response = client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1/export.pdf")
    page = _text(response)
    assert response.status_code == 503
    assert "PDF export is not available" in page
    assert "We cannot make PDF files at the moment" in page and "download this version as a text file" in page
    assert any("scripts/check_prereqs.py" in r.getMessage() for r in caplog.records)


# Defect 13: the real reason when drafting is closed -----------------------------------------


def test_edit_pages_say_drafting_is_closed_not_someone_else_changed_it(client, session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    services.publish(session, cast.commissioner, agreement)
    login_as(client, cast.commissioner)
    base = f"/alliances/{cast.alliance.slug}/agreement/clauses"
    for method, url in (("GET", f"{base}/{clause.id}/edit"), ("POST", f"{base}/{clause.id}/edit"),
                        ("GET", f"{base}/new"), ("POST", f"{base}/new"), ("GET", f"{base}/{clause.id}/retire")):
        response = client.open(url, method=method, data={"heading": "x", "body": "y"} if method == "POST" else None)
        page = _text(response)
        assert response.status_code == 409, url
        assert "Version 1 is out for signature, so drafting is closed" in page, url
        assert "Someone else changed this" not in page, url


def test_edit_page_says_when_the_version_is_in_force(client, session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    publish_and_sign_all(cast, agreement)
    login_as(client, cast.commissioner)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}/edit"))
    assert "Version 1 is in force, so drafting is closed" in page and "Someone else changed this" not in page


# Defect 7: keyed hashes, cross-checks and the chain head ------------------------------------


def _unkeyed_signature_hash(signature: Signature, **changes) -> str:
    payload = {
        "version_id": signature.version_id, "version_sha256": signature.version_sha256,
        "organisation_id": signature.organisation_id, "organisation_name": signature.organisation_name,
        "user_id": signature.user_id, "role": signature.role.value, "typed_name": signature.typed_name,
        "statement": signature.statement, "signed_at": signature.signed_at.isoformat(timespec="microseconds"),
        "ip_address": signature.ip_address, "user_agent": signature.user_agent,
        "is_accession": bool(signature.is_accession), "account_name": signature.account_name, "scheme": "hmac-sha256",
    }
    payload.update(changes)
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


def test_a_rewritten_and_rehashed_signature_is_caught(app, client, session):
    cast = make_cast(name="Rehash Alliance")
    cast.alliance.visibility = Visibility.PUBLIC
    version = publish_and_sign_all(cast, start(cast))
    target = version.signatures[0]
    # Without the key, the best an attacker can do is a plain SHA-256 (or any other guess).
    forged = _unkeyed_signature_hash(target, typed_name="Mallory")
    allow_tampering(session)
    session.execute(text("UPDATE signature SET typed_name = 'Mallory', record_hash = :h WHERE id = :id"),
                    {"h": forged, "id": target.id})
    session.expire_all()
    page = _text(client.get(f"/verify/{version.public_id}"))
    assert "FAILED" in page and "the signature record was changed after it was made" in page
    result = _verify(app)
    assert result.exit_code == 1 and "the signature record was changed after it was made" in result.output


def test_the_key_is_what_makes_the_hash(app, session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    signature = version.signatures[0]
    assert signature.hash_scheme == "hmac-sha256" and signature.record_hash == signature.compute_hash()
    key = app.config["SIGNING_KEY"]
    app.config["SIGNING_KEY"] = "a-different-key-" + secrets.token_hex(16)
    try:
        assert signature.compute_hash() != signature.record_hash
    finally:
        app.config["SIGNING_KEY"] = key


def test_a_deleted_signature_is_caught(app, session):
    cast = make_cast(name="Deleted Signature Alliance")
    version = publish_and_sign_all(cast, start(cast))
    name = version.signatures[0].organisation_name
    allow_tampering(session)
    session.execute(delete(Signature).where(Signature.id == version.signatures[0].id))
    session.expire_all()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"the audit trail records a signature for {name} that is no longer stored" in result.output


def test_a_signature_without_its_audit_entry_is_caught(app, session):
    cast = make_cast(name="Inserted Signature Alliance")
    version = publish_and_sign_all(cast, start(cast))
    signature = version.signatures[-1]
    allow_tampering(session)
    # Point the signing entry elsewhere, then rebuild nothing: the chain check also fails, but the
    # cross-check names the signature itself.
    session.execute(text("UPDATE audit_entry SET subject_id = -1 WHERE action = 'agreement.signed' AND subject_id = :id"),
                    {"id": signature.id})
    session.expire_all()
    check = services.verify_version(session, version)
    assert any("the audit trail has no record of this signature" in p for p in check.all_problems)


def test_a_truncated_trail_is_caught_with_the_recorded_head(app, session):
    cast = make_cast(name="Truncated Alliance")
    publish_and_sign_all(cast, start(cast))
    head = current_head(session)
    entry_id = int(head.split(":")[0])
    assert _verify(app, "--head", head).exit_code == 0
    printed = app.test_cli_runner().invoke(args=["audit-head"])
    assert printed.exit_code == 0 and printed.output.strip() == head
    allow_tampering(session)
    session.execute(delete(AuditEntry).where(AuditEntry.id >= entry_id - 1))
    session.expire_all()
    assert verify_chain(session).ok  # the trail alone still looks whole
    result = _verify(app, "--head", head)
    assert result.exit_code == 1 and "entries at the end of the trail were removed" in result.output


def test_a_version_whose_published_head_was_removed_fails(app, session):
    cast = make_cast(name="Head Alliance")
    version = publish_and_sign_all(cast, start(cast))
    head_id = int(version.audit_head.split(":")[0])
    allow_tampering(session)
    session.execute(text("UPDATE audit_entry SET entry_hash = :h WHERE id = :id"), {"h": "f" * 64, "id": head_id})
    session.expire_all()
    check = services.verify_version(session, version)
    assert "the audit trail no longer holds the entry recorded when this version was published" in check.problems


def test_a_rechained_audit_trail_is_caught(app, session):
    """Rebuilding the chain with unkeyed hashes (a downgrade to legacy) is refused."""
    cast = make_cast(name="Rechain Alliance")
    publish_and_sign_all(cast, start(cast))
    last = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    allow_tampering(session)
    session.execute(text("UPDATE audit_entry SET hash_scheme = 'sha256', actor_name = 'Mallory' WHERE id = :id"), {"id": last.id})
    session.expire_all()
    entry = session.get(AuditEntry, last.id)
    session.execute(text("UPDATE audit_entry SET entry_hash = :h WHERE id = :id"), {"h": entry.compute_hash(), "id": last.id})
    session.expire_all()
    report = verify_chain(session)
    assert not report.ok and report.first_bad_id == last.id and "unkeyed" in report.problem


def test_legacy_rows_are_verified_the_old_way_and_labelled(app, client, session):
    cast = make_cast(name="Legacy Alliance")
    cast.alliance.visibility = Visibility.PUBLIC
    version = publish_and_sign_all(cast, start(cast))
    target = version.signatures[0]
    allow_tampering(session)
    session.execute(text("UPDATE signature SET hash_scheme = 'sha256', account_name = NULL WHERE id = :id"), {"id": target.id})
    session.expire_all()
    target = session.get(Signature, target.id)
    session.execute(text("UPDATE signature SET record_hash = :h WHERE id = :id"), {"h": target.compute_hash(), "id": target.id})
    session.execute(text("UPDATE audit_entry SET detail = :d WHERE action = 'agreement.signed' AND subject_id = :id"),
                    {"d": json.dumps({"record_hash": target.compute_hash(), "version_id": version.id}), "id": target.id})
    session.expire_all()
    check = services.verify_version(session, version)
    legacy = [c for c in check.signatures if c.legacy]
    assert len(legacy) == 1 and legacy[0].ok
    page = _text(client.get(f"/verify/{version.public_id}"))
    assert "Older record: checked without a key" in page and "Account name not recorded" in page


@pytest.mark.postgres_only
def test_postgres_refuses_changes_to_signatures_and_audit_entries(session, is_postgres):
    """The triggers are PostgreSQL's; on SQLite the keyed hashes are the protection."""
    if not is_postgres:
        pytest.skip("the triggers are PostgreSQL's (SQLite relies on the keyed hashes)")
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    for statement in (
        "UPDATE signature SET typed_name = 'Mallory'",
        "DELETE FROM signature",
        "TRUNCATE signature CASCADE",
        "UPDATE audit_entry SET actor_name = 'Mallory'",
        "DELETE FROM audit_entry",
        "TRUNCATE audit_entry",
    ):
        with pytest.raises(DBAPIError, match="cannot be changed or deleted"), session.begin_nested():
            session.execute(text(statement))
    assert len(session.scalars(select(Signature).where(Signature.version_id == version.id)).all()) == 3


# The keys live outside the database ------------------------------------------------------------


def test_production_requires_long_random_signing_and_audit_keys(tmp_path):
    from config import ConfigError, load_config

    signing, audit = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    base = {"COLLAB_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "COLLAB_INSTANCE_DIR": str(tmp_path)}
    with pytest.raises(ConfigError, match="SIGNING_KEY must be set"):
        load_config({**base, "AUDIT_KEY": audit})
    with pytest.raises(ConfigError, match="AUDIT_KEY must be set"):
        load_config({**base, "SIGNING_KEY": signing})
    with pytest.raises(ConfigError, match="SIGNING_KEY is only 5 characters long; it must be at least 32"):
        load_config({**base, "SIGNING_KEY": "short", "AUDIT_KEY": audit})
    with pytest.raises(ConfigError, match="AUDIT_KEY repeats too few different characters"):
        load_config({**base, "SIGNING_KEY": signing, "AUDIT_KEY": "a" * 40})
    config = load_config({**base, "SIGNING_KEY": signing, "AUDIT_KEY": audit})
    assert (config["SIGNING_KEY"], config["AUDIT_KEY"]) == (signing, audit)
    assert not (tmp_path / "signing_key").exists() and not (tmp_path / "audit_key").exists()


def test_development_keys_are_made_once_in_the_instance_folder(tmp_path):
    from config import load_config

    first = load_config({"COLLAB_INSTANCE_DIR": str(tmp_path)})
    second = load_config({"COLLAB_INSTANCE_DIR": str(tmp_path)})
    assert first["SIGNING_KEY"] == second["SIGNING_KEY"] and len(first["SIGNING_KEY"]) >= 40
    assert first["AUDIT_KEY"] == second["AUDIT_KEY"] and first["AUDIT_KEY"] != first["SIGNING_KEY"]
    assert (tmp_path / "audit_key").stat().st_mode & 0o077 == 0


# Existing rows are migrated ---------------------------------------------------------------------


def _insert(conn, table: str, **values) -> int:
    """Insert a row at an old schema, filling required columns the test does not care about."""
    from datetime import datetime

    from sqlalchemy import inspect as sa_inspect

    for column in sa_inspect(conn).get_columns(table):
        name, kind = column["name"], str(column["type"]).upper()
        if name in values or name == "id" or column["nullable"] or column.get("default") is not None:
            continue
        if "INT" in kind:
            values[name] = 1
        elif "BOOL" in kind:
            values[name] = False
        elif "DATE" in kind or "TIME" in kind:
            values[name] = datetime(2026, 1, 1, tzinfo=UTC)
        elif "JSON" in kind:
            values[name] = "{}"
        else:
            values[name] = f"{name}-{secrets.token_hex(4)}"
    columns = ", ".join(f'"{c}"' for c in values)
    params = ", ".join(f":{c}" for c in values)
    conn.execute(text(f'INSERT INTO "{table}" ({columns}) VALUES ({params})'), values)
    return conn.execute(text(f'SELECT max(id) FROM "{table}"')).scalar_one()


def test_migration_freezes_existing_versions_and_marks_old_hashes_legacy(tmp_path):
    from collab.db import make_engine
    from collab.migrate import upgrade
    from tests.conftest import TEST_DATABASE_URL
    from tests.databases import fresh_database

    with fresh_database(TEST_DATABASE_URL, "collab_trust", tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade(engine, "0003")
            with engine.begin() as conn:
                user = _insert(conn, "user", display_name="Old Signer")
                alliance = _insert(conn, "alliance", name="Renamed Since Alliance", visibility="private")
                organisation = _insert(conn, "organisation", name="Old Org", org_type="charity", size_band="small")
                agreement = _insert(conn, "agreement", alliance_id=alliance, created_by_id=user)
                canonical = "# Old agreement\n\nAlliance: Name At Publication\nVersion: 1\n\n## 1. One\n\nText\n"
                version = _insert(conn, "agreement_version", agreement_id=agreement, number=1, canonical_text=canonical,
                                  sha256=sha256_hex(canonical), published_by_id=user, in_force_at=None)
                _insert(conn, "signature", version_id=version, organisation_id=organisation, user_id=user,
                        role="provider", version_sha256=sha256_hex(canonical))
                _insert(conn, "audit_entry", alliance_id=alliance, actor_id=user, prev_hash="0" * 64)
            upgrade(engine)
            with engine.connect() as conn:
                assert conn.execute(text("SELECT alliance_name, reference FROM agreement_version")).one() == (
                    "Name At Publication", None
                )
                assert conn.execute(text("SELECT hash_scheme, account_name FROM signature")).one() == ("sha256", None)
                assert conn.execute(text("SELECT hash_scheme FROM audit_entry")).scalar_one() == "sha256"
        finally:
            engine.dispose()
