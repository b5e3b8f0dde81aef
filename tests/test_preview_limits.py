"""The live Markdown preview: capped, rate-limited, and never rendering inside a transaction."""

from __future__ import annotations

from collab import pages
from collab.db import db
from tests.factories import login_as, make_user

HTMX = {"HX-Request": "true", "HX-Target": "purpose-preview"}


def test_text_longer_than_the_cap_is_refused_with_a_message(client, session):
    login_as(client, make_user())
    response = client.post("/preview?field=purpose", data={"purpose": "a" * 50_001}, headers=HTMX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert body.startswith('<div id="purpose-preview"')
    assert "too long to preview" in body
    assert "50,001 characters" in body and "50,000" in body

    at_the_cap = client.post("/preview?field=purpose", data={"purpose": "b" * 50_000}, headers=HTMX)
    assert at_the_cap.status_code == 200
    assert "b" * 100 in at_the_cap.get_data(as_text=True)


def test_preview_is_rate_limited_per_account(app, client, session):
    app.config["PREVIEW_RATE_LIMIT"] = "3 per minute"
    try:
        login_as(client, make_user())
        for _ in range(3):
            assert client.post("/preview?field=purpose", data={"purpose": "x"}, headers=HTMX).status_code == 200
        limited = client.post("/preview?field=purpose", data={"purpose": "x"}, headers=HTMX)
        assert limited.status_code == 429
        assert "Wait a minute" in limited.get_data(as_text=True)

        # Someone else, from the same address, is not held back by the first person.
        other = app.test_client()
        login_as(other, make_user())
        assert other.post("/preview?field=purpose", data={"purpose": "x"}, headers=HTMX).status_code == 200
    finally:
        app.config["PREVIEW_RATE_LIMIT"] = "60 per minute"


def test_rendering_happens_outside_any_database_transaction(client, session, monkeypatch):
    seen: list[bool] = []
    real = pages.render_markdown

    def spy(text):
        seen.append(db.session.in_transaction())
        return real(text)

    monkeypatch.setattr(pages, "render_markdown", spy)
    login_as(client, make_user())
    response = client.post("/preview?field=purpose", data={"purpose": "**hello**"}, headers=HTMX)
    assert response.status_code == 200
    assert "<strong>hello</strong>" in response.get_data(as_text=True)
    assert seen == [False]
