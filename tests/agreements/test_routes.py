"""Agreement pages: inline editing with conflicts, proposals, signing, verification and exports."""

from __future__ import annotations

import io
import re

from sqlalchemy import event, func, select, text

from collab.agreements import services
from collab.agreements.models import Clause, ProposalStatus, Signature
from collab.alliances.models import Visibility
from collab.audit import AuditEntry
from collab.db import db
from collab.documents import services as comments
from collab.documents.canonical import sha256_hex
from tests.agreements.helpers import first_clause, make_cast, publish_and_sign_all, soon, start
from tests.databases import allow_tampering
from tests.factories import PASSWORD, login_as


def _text(response) -> str:
    return response.get_data(as_text=True)


def _edit(client, cast, clause, body, lock_version, htmx=False):
    headers = {"HX-Request": "true", "HX-Target": f"clause-{clause.id}"} if htmx else {}
    return client.post(
        f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}/edit",
        data={f"clause-{clause.id}-heading": clause.heading, f"clause-{clause.id}-body": body,
              f"clause-{clause.id}-lock_version": str(lock_version)},
        headers=headers,
    )


def test_starting_the_agreement_from_the_page(client, session):
    cast = make_cast()
    login_as(client, cast.provider_a)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement"))
    assert "A commissioner will start it." in page
    login_as(client, cast.commissioner)
    assert "Start the agreement" in _text(client.get(f"/alliances/{cast.alliance.slug}/agreement"))
    missing = client.post(f"/alliances/{cast.alliance.slug}/agreement/start", data={})
    assert missing.status_code == 422 and "Choose how to start the agreement" in _text(missing)
    done = client.post(f"/alliances/{cast.alliance.slug}/agreement/start", data={"start": "template"})
    assert done.status_code == 303
    page = _text(client.get(done.headers["Location"]))
    assert "12. Term and variation" in page and "Drafting" in page
    assert f'href="/alliances/{cast.alliance.slug}/agreement"' in _text(client.get(f"/alliances/{cast.alliance.slug}"))


def test_htmx_inline_edit_swaps_the_form_in_and_the_clause_back(client, session):
    cast = make_cast()
    clause = first_clause(start(cast))
    login_as(client, cast.provider_a)
    target = {"HX-Request": "true", "HX-Target": f"clause-{clause.id}"}
    form = client.get(f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}/edit", headers=target)
    body = _text(form)
    assert form.status_code == 200 and body.lstrip().startswith(f'<section class="collab-clause collab-clause--editing" id="clause-{clause.id}"')
    assert f'name="clause-{clause.id}-lock_version" value="1"' in body and "Preview" in body
    saved = _edit(client, cast, clause, "Our shared purpose, in new words.", 1, htmx=True)
    assert saved.status_code == 200 and saved.headers["HX-Trigger"] == "clauseSaved"
    assert _text(saved).lstrip().startswith(f'<section class="collab-clause" id="clause-{clause.id}"')
    assert "Our shared purpose, in new words." in _text(saved)
    cancel = client.get(f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}", headers=target)
    assert "Our shared purpose" in _text(cancel) and "<html" not in _text(cancel)


def test_plain_form_edit_without_javascript(client, session):
    cast = make_cast()
    clause = first_clause(start(cast))
    login_as(client, cast.facilitator)
    page = client.get(f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}/edit")
    assert page.status_code == 200 and "<html" in _text(page)
    preview = client.post(
        f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}/edit",
        data={f"clause-{clause.id}-heading": "H", f"clause-{clause.id}-body": "**bold**", f"clause-{clause.id}-lock_version": "1", "preview": "1"},
    )
    assert preview.status_code == 200 and "<strong>bold</strong>" in _text(preview)
    assert session.get(Clause, clause.id).lock_version == 1
    saved = _edit(client, cast, clause, "Plain form text", 1)
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"#clause-{clause.id}")
    empty = _edit(client, cast, clause, "", 2)
    assert empty.status_code == 422 and "Enter the text of the clause" in _text(empty)


def test_a_stale_save_gets_409_with_both_texts_and_can_be_merged(client, session):
    cast = make_cast()
    clause = first_clause(start(cast))
    login_as(client, cast.provider_a)
    assert _edit(client, cast, clause, "Ann's words about our purpose.", 1).status_code == 303
    login_as(client, cast.provider_b)
    stale = _edit(client, cast, clause, "Ben's words about our purpose.", 1, htmx=True)
    assert stale.status_code == 409
    body = _text(stale)
    assert "Someone else saved a change while you were editing" in body
    assert "Your text (not saved yet)" in body and "Ben&#39;s words about our purpose." in body
    assert "The current text, saved by Ann Provider" in body and "Ann&#39;s words about our purpose." in body
    assert '<del class="collab-diff__del">' in body and '<ins class="collab-diff__ins">' in body
    # The merge form carries the current version, so resubmitting works.
    assert f'name="clause-{clause.id}-lock_version" value="2"' in body
    merged = _edit(client, cast, clause, "Ann's and Ben's words about our purpose.", 2)
    assert merged.status_code == 303
    session.expire_all()
    assert [r.body for r in services.clause_history(session, session.get(Clause, clause.id))][:2] == [
        "Ann's and Ben's words about our purpose.", "Ann's words about our purpose.",
    ]


def test_move_and_retire_work_as_plain_forms(client, session):
    cast = make_cast()
    agreement = start(cast)
    clauses = services.active_clauses(session, agreement)
    login_as(client, cast.commissioner)
    assert client.post(f"/alliances/{cast.alliance.slug}/agreement/clauses/{clauses[0].id}/move", data={"direction": "down"}).status_code == 303
    assert client.post(f"/alliances/{cast.alliance.slug}/agreement/clauses/{clauses[0].id}/move", data={"direction": "sideways"}).status_code == 422
    assert client.post(f"/alliances/{cast.alliance.slug}/agreement/clauses/{clauses[2].id}/retire").status_code == 303
    session.expire_all()
    assert [c.id for c in services.active_clauses(session, agreement)][:3] == [clauses[1].id, clauses[0].id, clauses[3].id]


def test_proposal_journey_through_the_pages(client, session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    login_as(client, cast.service_user)
    made = client.post(
        f"/alliances/{cast.alliance.slug}/agreement/proposals/new?clause={clause.id}",
        data={"heading": clause.heading, "body": clause.body + " People who use services help decide.",
              "reason": "Nothing about us without us", "closes_on": soon().isoformat()},
    )
    assert made.status_code == 303
    page = _text(client.get(made.headers["Location"]))
    assert "People who use services help decide." in page and '<ins class="collab-diff__ins">' in page
    assert "Yet to respond" in page and cast.org_a.name in page
    bad = client.post(made.headers["Location"] + "/respond", data={"response": "object", "reason": ""})
    assert bad.status_code == 422 and "Say why you object" in _text(bad)
    for user in cast.seat_holders:
        login_as(client, user)
        assert client.post(made.headers["Location"] + "/respond", data={"response": "agree"}).status_code == 303
    page = _text(client.get(made.headers["Location"]))
    assert "Carried" in page
    register = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/decisions"))
    assert "Carried by consent" in register and f'/agreement/clauses/{clause.id}"' in register
    assert "Nothing about us without us" in register


def test_reserved_power_without_reason_is_refused(client, session):
    cast = make_cast()
    agreement = start(cast)
    proposal = services.propose(session, cast.provider_a, agreement, clause=first_clause(agreement), heading="x",
                                body="y", reason="z", closes_on=soon())
    login_as(client, cast.commissioner)
    url = f"/alliances/{cast.alliance.slug}/agreement/proposals/{proposal.id}/decide"
    refused = client.post(url, data={"outcome": "reserved_apply", "reason": ""})
    assert refused.status_code == 422 and "Give the reason" in _text(refused)
    assert client.post(url, data={"outcome": "reserved_apply", "reason": "Budget envelope"}).status_code == 303
    session.expire_all()
    assert proposal.status == ProposalStatus.RESERVED


def test_signing_page_and_double_submit_gives_one_signature(client, session):
    cast = make_cast()
    agreement = start(cast)
    version = services.publish(session, cast.commissioner, agreement)
    url = f"/alliances/{cast.alliance.slug}/agreement/versions/1/sign"
    login_as(client, cast.provider_a)
    page = _text(client.get(url))
    assert f"I sign version 1 of the {cast.alliance.name} agreement on behalf of {cast.org_a.name}, whose SHA-256 is {version.sha256}." in page
    wrong = client.post(url, data={"password": "nope", "typed_name": "Ann Provider", "confirm": "y"})
    assert wrong.status_code == 422 and "The password is not right" in _text(wrong)
    unticked = client.post(url, data={"password": PASSWORD, "typed_name": "Ann Provider"})
    assert unticked.status_code == 422 and "Tick the box" in _text(unticked)
    data = {"password": PASSWORD, "typed_name": "Ann Provider", "confirm": "y", "sha256": version.sha256}
    first = client.post(url, data=data, headers={"User-Agent": "Firefox test"}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    second = client.post(url, data=data)
    assert first.status_code == second.status_code == 303
    assert "already signed" in _text(client.get(second.headers["Location"]))
    rows = session.scalars(select(Signature).where(Signature.version_id == version.id)).all()
    assert len(rows) == 1
    assert (rows[0].ip_address, rows[0].user_agent, rows[0].typed_name) == ("198.51.100.7", "Firefox test", "Ann Provider")
    assert "Signed by" in _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1"))
    assert "1 of 3 member organisations" in _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/versions/1"))


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


def test_version_history_and_comparison_pages(client, session):
    cast = make_cast()
    agreement = start(cast)
    publish_and_sign_all(cast, agreement)
    services.open_drafting(session, cast.commissioner, agreement)
    clause = first_clause(agreement)
    services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body="Brand new purpose words.", lock_version=clause.lock_version)
    services.publish(session, cast.commissioner, agreement)
    login_as(client, cast.service_user)
    versions = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/versions"))
    assert "In force" in versions and "Waiting for signatures" in versions and "Signed by 0 of 3" in versions
    compare = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/compare?from=1&to=2"))
    assert "1 of 12 clauses changed." in compare and "Brand new purpose words." in compare
    assert client.get(f"/alliances/{cast.alliance.slug}/agreement/compare?from=1&to=9").status_code == 404


def test_notification_count_appears_in_the_header(client, session):
    cast = make_cast()
    agreement = start(cast)
    services.propose(session, cast.provider_a, agreement, clause=first_clause(agreement), heading="x", body="y",
                     reason="z", closes_on=soon())
    login_as(client, cast.service_user)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement"))
    assert re.search(r'Notifications <span class="collab-count">1</span>', page)


# No N+1: the statement count does not grow with the data ---------------------------------------


class _Counter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args, **kwargs):
        self.count += 1


def _build(session, clauses: int, comments_each: int):
    cast = make_cast()
    agreement = start(cast, template=False)
    made = [services.add_clause(session, cast.commissioner, agreement, heading=f"Clause {i}", body=f"Text {i} " * 20) for i in range(clauses)]
    for clause in made:
        for j in range(comments_each):
            comments.add_comment(session, cast.service_user if j % 2 else cast.provider_a, cast.alliance,
                                 "agreement_clause", clause.id, body=f"Comment {j}")
    v1 = services.publish(session, cast.commissioner, agreement)
    for user in (cast.commissioner, cast.provider_a):
        services.sign(session, user, v1, password=PASSWORD, typed_name=user.display_name, confirmed=True)
    services.open_drafting(session, cast.commissioner, agreement)
    for clause in made[::3]:
        services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body=clause.body + " more", lock_version=clause.lock_version)
    services.publish(session, cast.commissioner, agreement)
    services.propose(session, cast.provider_b, agreement, clause=made[0], heading="x", body="y", reason="z", closes_on=soon())
    return cast


def _statements(client, engine, cast, path: str) -> int:
    login_as(client, cast.provider_a)
    with _Counter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def test_agreement_page_and_comparison_use_the_same_number_of_statements_whatever_the_size(client, session, engine):
    small = _build(session, 10, 0)
    large = _build(session, 100, 50)
    for rest in ("/agreement", "/agreement/compare?from=1&to=2", "/agreement/versions", "/agreement/decisions",
                 "/agreement/versions/2"):
        few = _statements(client, engine, small, f"/alliances/{small.alliance.slug}{rest}")
        many = _statements(client, engine, large, f"/alliances/{large.alliance.slug}{rest}")
        assert few == many, f"{rest}: {few} statements with 10 clauses, {many} with 100 clauses × 50 comments"
    assert session.scalar(select(func.count()).select_from(text("comment"))) >= 5000
    page = _text(client.get(f"/alliances/{large.alliance.slug}/agreement"))
    assert "50 comments" in page
    db.session.rollback()


# Two-step sign-in before signing (issue 7) -----------------------------------------------------------


def test_signing_without_two_step_says_how_to_turn_it_on_and_is_refused(client, session):
    from collab.accounts import two_step

    cast = make_cast()
    version = services.publish(session, cast.commissioner, start(cast))
    two_step.disable(session, cast.provider_a)
    url = f"/alliances/{cast.alliance.slug}/agreement/versions/1/sign"
    login_as(client, cast.provider_a)
    page = _text(client.get(url))
    assert "Turn on two-step sign-in before you sign" in page
    assert f'href="/account/two-step/set-up?next={url}"' in page
    assert page.index('id="two-step-needed"') < page.index("<form action=\"" + url)
    data = {"password": PASSWORD, "typed_name": "Ann Provider", "confirm": "y", "sha256": version.sha256}
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    assert "There is a problem" in _text(refused)
    assert f"Turn on two-step sign-in before you sign for {cast.org_a.name}." in _text(refused)
    assert session.scalar(select(func.count()).select_from(Signature)) == 0
    # With two-step on, the banner goes and the same form signs.
    login_as(client, cast.provider_b)
    assert "Turn on two-step sign-in before you sign" not in _text(client.get(url))
