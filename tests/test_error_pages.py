"""Error pages use the site's design; htmx requests get a small fragment instead."""

from __future__ import annotations

import pytest

from tests.factories import login_as, make_alliance, make_user

HTMX = {"HX-Request": "true", "HX-Target": "main-content"}


def _boom() -> str:
    raise RuntimeError("a bug in a view")


@pytest.fixture
def broken_privacy_page(app, monkeypatch):
    """The privacy page raises, as a bug would."""
    monkeypatch.setitem(app.view_functions, "pages.privacy", _boom)


def _is_full_page(body: str) -> bool:
    return body.lstrip().startswith("<!DOCTYPE html>") and "Skip to main content" in body and "Privacy notice" in body


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_404(client, session, htmx):
    response = client.get("/no-such-page", headers=HTMX if htmx else {})
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in body
    assert "check it is correct" in body
    if htmx:
        assert body.lstrip().startswith('<div id="error-fragment"') and "<html" not in body
    else:
        assert _is_full_page(body) and "<h1" in body


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_403(client, session, htmx):
    alliance = make_alliance()
    observer = make_user()
    from collab.alliances.models import Membership, Role

    session.add(Membership(alliance=alliance, user=observer, role=Role.OBSERVER))
    session.flush()
    login_as(client, observer)
    response = client.get(f"/alliances/{alliance.slug}/invitations", headers=HTMX if htmx else {})
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You do not have permission to do that" in body
    assert "Ask a commissioner" in body
    assert _is_full_page(body) != htmx


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_500_rolls_back_and_says_nothing_was_saved(client, session, broken_privacy_page, htmx):
    response = client.get("/privacy", headers=HTMX if htmx else {})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "Nothing you sent was saved" in body
    assert "a bug in a view" not in body  # no internals shown
    assert _is_full_page(body) != htmx


def test_422_form_comes_back_with_error_summary(client, session):
    """An invalid form is a 422 in the same design, with the GOV.UK error summary."""
    login_as(client, make_user(is_site_admin=True))
    response = client.post("/alliances/new", data={"name": "", "purpose": "", "outcomes": "", "visibility": "private"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _is_full_page(body)
    assert 'class="govuk-error-summary"' in body and "There is a problem" in body
    assert 'href="#name"' in body


def test_500_page_needs_nothing_from_the_database(client, session, broken_privacy_page):
    """The 500 page leaves out the parts of the header that read the database (it may be down)."""
    user = make_user()
    login_as(client, user)
    body = client.get("/privacy").get_data(as_text=True)
    assert "Sorry, there is a problem with the service" in body
    assert "Sign out" not in body and user.display_name not in body
    assert 'class="collab-header__product"' in body
