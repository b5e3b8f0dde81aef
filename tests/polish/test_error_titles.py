"""A page that shows a form's errors says so first, in its title: "Error: …" (GOV.UK)."""

from __future__ import annotations

import re

import pytest

from tests.agreements.helpers import first_clause, make_cast, start
from tests.factories import login_as
from tests.specs.helpers import make_spec


def title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S)
    assert match, "the page has no title"
    return match.group(1).strip()


def form_pages(cast, agreement, spec) -> list[str]:
    a, s = f"/alliances/{cast.alliance.slug}", f"/alliances/{cast.alliance.slug}/specs/{spec.id}"
    clause = first_clause(agreement)
    return [
        "/account/password",
        "/account",
        f"{a}/edit",
        f"{a}/invitations",
        f"{a}/agreement/clauses/new",
        f"{a}/agreement/proposals/new?clause={clause.id}",
        f"{a}/specs/new",
        f"{s}/details",
        f"{s}/sections/new",
        f"{s}/consultation",
        f"{s}/redraft",
        "/organisations/new",
    ]


def test_every_form_page_with_errors_has_error_in_its_title(client, session):
    cast = make_cast()
    cast.commissioner.is_site_admin = True
    agreement = start(cast)
    spec = make_spec(cast.alliance, author=cast.commissioner, open_consultation=False)
    login_as(client, cast.commissioner)
    checked = 0
    for url in form_pages(cast, agreement, spec):
        fine = client.get(url)
        assert fine.status_code == 200, url
        assert not title(fine).startswith("Error"), url
        wrong = client.post(url, data={"display_name": "\x01"} if url == "/account" else {})
        if wrong.status_code in (400, 409, 422):
            assert "govuk-error-summary" in wrong.get_data(as_text=True), url
            assert title(wrong).startswith("Error: "), (url, title(wrong))
            assert title(wrong).endswith("Collab"), url
            checked += 1
    assert checked >= 10


def test_sign_in_with_errors(client):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert response.status_code == 422
    assert title(response) == "Error: Sign in – Collab"
    assert title(client.get("/sign-in")) == "Sign in – Collab"


@pytest.mark.parametrize("path", ["/accessibility", "/privacy", "/glossary"])
def test_pages_without_forms_have_plain_titles(client, path):
    assert not title(client.get(path)).startswith("Error")


def test_an_error_list_that_is_not_a_form_counts_too(client, session):
    cast = make_cast()
    login_as(client, cast.commissioner)
    # The only commissioner cannot leave: the page says why, as an error.
    response = client.post(f"/alliances/{cast.alliance.slug}/leave")
    assert response.status_code == 422
    assert title(response).startswith("Error: ")
