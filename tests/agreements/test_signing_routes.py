"""Signing pages: one signature on a double submit, and two-step sign-in before signing (issue 7)."""

from __future__ import annotations

from sqlalchemy import func, select

from collab.agreements import services
from collab.agreements.models import Signature
from tests.agreements.helpers import make_cast, start
from tests.agreements.helpers import response_text as _text
from tests.factories import PASSWORD, login_as


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


def test_signing_a_version_that_changed_since_the_page_was_read_is_refused(client, session):
    """The form carries the SHA-256 the signatory read; a different one signs nothing."""
    cast = make_cast()
    version = services.publish(session, cast.commissioner, start(cast))
    login_as(client, cast.provider_a)
    response = client.post(f"/alliances/{cast.alliance.slug}/agreement/versions/1/sign",
                           data={"password": PASSWORD, "typed_name": "Ann Provider", "confirm": "y", "sha256": "0" * 64})
    assert response.status_code == 422
    assert "The version changed while you were signing. Read the statement again." in _text(response)
    assert session.scalar(select(func.count(Signature.id)).where(Signature.version_id == version.id)) == 0
