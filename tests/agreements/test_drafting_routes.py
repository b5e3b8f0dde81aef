"""Drafting pages: starting the agreement, inline editing with conflicts, moving and retiring clauses."""

from __future__ import annotations

from collab.agreements import services
from collab.agreements.models import Clause
from tests.agreements.helpers import first_clause, make_cast, start
from tests.agreements.helpers import response_text as _text
from tests.factories import login_as


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
    # This form carried no merge base, so the whole text is one place to choose on (tests/agreements/test_merging.py).
    assert "Yours" in body and "Ben&#39;s words about our purpose." in body
    assert "Theirs, saved by Ann Provider" in body and "Ann&#39;s words about our purpose." in body
    assert "Keep theirs" in body and "Keep mine" in body
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
