"""Verification pages and exports: the public check, tampering, Markdown and PDF exports."""

from __future__ import annotations

import io

from sqlalchemy import select, text

from collab.agreements import services
from collab.alliances.models import Visibility
from collab.audit import AuditEntry
from collab.documents.canonical import sha256_hex
from tests.agreements.helpers import make_cast, publish_and_sign_all, start
from tests.agreements.helpers import response_text as _text
from tests.databases import allow_tampering
from tests.factories import login_as


def test_verification_page_is_public_and_shows_failure_after_tampering(client, session):
    cast = make_cast()
    cast.alliance.visibility = Visibility.PUBLIC
    version = publish_and_sign_all(cast, start(cast))
    login_as(client, None)
    url = f"/verify/{version.public_id}"
    page = _text(client.get(url))
    assert "Valid" in page and version.sha256 in page and cast.org_b.name in page
    assert page.count('<strong class="govuk-tag govuk-tag--green">Valid</strong>') == 3
    assert client.get("/verify/not-a-real-id").status_code == 404
    session.execute(text("UPDATE agreement_version SET canonical_text = canonical_text || 'x' WHERE id = :id"), {"id": version.id})
    page = _text(client.get(url))
    assert "FAILED" in page and "the stored text no longer matches the published SHA-256" in page
    assert ">Valid<" not in page.split("Signatures")[0]


def test_tampered_signature_row_shows_failed(client, session):
    cast = make_cast()
    cast.alliance.visibility = Visibility.PUBLIC
    version = publish_and_sign_all(cast, start(cast))
    allow_tampering(session)
    session.execute(text("UPDATE signature SET signed_at = signed_at WHERE 1 = 0"))  # no-op keeps the session honest
    target = version.signatures[0]
    session.execute(text("UPDATE signature SET ip_address = '10.0.0.1' WHERE id = :id"), {"id": target.id})
    page = _text(client.get(f"/verify/{version.public_id}"))
    assert "FAILED" in page and "the signature record was changed after it was made" in page


def test_markdown_export_hashes_to_the_published_hash_and_verifies_by_upload(client, session):
    cast = make_cast()
    cast.alliance.visibility = Visibility.PUBLIC  # outsiders see signatories of public alliances only
    version = publish_and_sign_all(cast, start(cast))
    login_as(client, cast.service_user)
    exported = client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1/export.md")
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/markdown")
    assert sha256_hex(exported.data) == version.sha256
    login_as(client, None)
    uploaded = client.post("/verify", data={"file": (io.BytesIO(exported.data), "agreement.md")}, content_type="multipart/form-data")
    body = _text(uploaded)
    assert uploaded.status_code == 200 and f"It matches version 1 of the {cast.alliance.name} agreement" in body
    assert cast.org_a.name in body
    crlf = exported.data.replace(b"\n", b"\r\n")
    assert "It matches version 1" in _text(client.post("/verify", data={"file": (io.BytesIO(crlf), "a.md")}, content_type="multipart/form-data"))
    changed = client.post("/verify", data={"file": (io.BytesIO(exported.data + b"!"), "a.md")}, content_type="multipart/form-data")
    assert "No match" in _text(changed)
    pasted = client.post("/verify", data={"sha256": version.sha256.upper()})
    assert "It matches version 1" in _text(pasted)
    nonsense = client.post("/verify", data={"sha256": "not a hash"})
    assert nonsense.status_code == 422 and "Enter a SHA-256" in _text(nonsense)
    nothing = client.post("/verify", data={})
    assert nothing.status_code == 422


def test_pdf_export_has_a_certificate_and_is_audited(client, session):
    cast = make_cast()
    publish_and_sign_all(cast, start(cast))
    login_as(client, cast.observer)
    response = client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1/export.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Type"] == "application/pdf"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "agreement.exported").order_by(AuditEntry.id.desc()))
    assert entry.detail == {"number": 1, "format": "pdf"} and entry.actor_id == cast.observer.id


def test_pdf_contains_the_certificate_text(app, session):
    from flask import render_template  # same renderer as the route
    from weasyprint import HTML

    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    with app.test_request_context():
        html = render_template("agreements/pdf.html", alliance=cast.alliance, version=version,
                               check=services.verify_version(session, version),
                               status=services.signature_status(session, version), verify_url="http://localhost/verify/x")
    assert "Signature certificate" in html and version.signatures[0].record_hash in html
    document = HTML(string=html).render()
    assert len(document.pages) >= 2


def test_verify_with_nothing_to_check_asks_for_a_hash_or_a_file(client, session):
    response = client.post("/verify", data={"sha256": ""})
    assert response.status_code == 422 and "Paste a SHA-256 or choose a file to upload" in _text(response)
