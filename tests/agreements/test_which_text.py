"""It is always clear which text is the agreement: the working text, a version being signed, or the
version in force, with links between them; publishing over a version still being signed asks first."""

from __future__ import annotations

import re

from collab.agreements import services
from tests.agreements.helpers import first_clause, make_cast, publish_and_sign_all, start
from tests.agreements.helpers import response_text as _text
from tests.factories import PASSWORD, login_as


def _banner(page: str) -> str:
    found = re.search(r'<section class="govuk-inset-text collab-which-text".*?</ul>', page, re.S)
    assert found, "no 'Which text is this?' banner"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0)))


def _edit(session, cast, agreement, body):
    clause = first_clause(agreement)
    services.edit_clause(session, cast.commissioner, clause, heading=clause.heading, body=body,
                         lock_version=clause.lock_version)


def test_before_anything_is_published_the_page_says_it_is_working_text(client, session):
    cast = make_cast()
    start(cast)
    login_as(client, cast.service_user)
    banner = _banner(_text(client.get(f"/alliances/{cast.alliance.slug}/agreement")))
    assert "You are reading the working text" in banner and "not the agreement in force" in banner
    assert "No version is in force yet" in banner


def test_in_force_being_signed_and_working_text_link_to_each_other(client, session):
    cast = make_cast()
    agreement = start(cast)
    publish_and_sign_all(cast, agreement)  # version 1 in force
    services.open_drafting(session, cast.commissioner, agreement)
    _edit(session, cast, agreement, "New words for version 2")
    version2 = services.publish(session, cast.commissioner, agreement)
    services.sign(session, cast.provider_a, version2, password=PASSWORD, typed_name=cast.provider_a.display_name,
                  confirmed=True)
    services.open_drafting(session, cast.commissioner, agreement)
    _edit(session, cast, agreement, "Words for version 3")
    slug = cast.alliance.slug
    login_as(client, cast.observer)

    working = _text(client.get(f"/alliances/{slug}/agreement"))
    banner = _banner(working)
    assert "You are reading the working text" in banner
    assert "Version 1 is the agreement in force" in banner
    assert "Version 2 is being signed: 1 of 3 member organisations have signed" in banner
    assert f'href="/alliances/{slug}/agreement/versions/1"' in working
    assert f'href="/alliances/{slug}/agreement/versions/2"' in working

    v1 = _text(client.get(f"/alliances/{slug}/agreement/versions/1"))
    assert "You are reading version 1: the agreement in force since" in _banner(v1)
    assert "Version 2 is being signed" in _banner(v1) and "The working text" in _banner(v1)
    assert f'href="/alliances/{slug}/agreement"' in v1

    v2 = _text(client.get(f"/alliances/{slug}/agreement/versions/2"))
    assert "You are reading version 2. It is being signed and is not in force yet" in _banner(v2)
    assert "Version 1 is the agreement in force" in _banner(v2)


def test_working_text_that_matches_the_last_version_says_so(client, session):
    cast = make_cast()
    agreement = start(cast)
    publish_and_sign_all(cast, agreement)
    login_as(client, cast.service_user)
    banner = _banner(_text(client.get(f"/alliances/{cast.alliance.slug}/agreement")))
    assert "It says the same as version 1" in banner


def test_publishing_while_the_last_version_is_being_signed_warns_and_asks_for_a_tick(client, session):
    cast = make_cast()
    agreement = start(cast)
    version1 = services.publish(session, cast.commissioner, agreement)
    services.sign(session, cast.provider_a, version1, password=PASSWORD, typed_name=cast.provider_a.display_name,
                  confirmed=True)
    services.open_drafting(session, cast.commissioner, agreement)
    _edit(session, cast, agreement, "Changed after publishing")
    slug = cast.alliance.slug
    login_as(client, cast.commissioner)
    show = _text(client.get(f"/alliances/{slug}/agreement"))
    assert "Publish version 2" in show and "Version 1 is still being signed" in show
    check = _text(client.get(f"/alliances/{slug}/agreement/publish"))
    assert "Version 1 is still being signed: 1 of 3 member organisations have signed it" in check
    assert "version 1 can no longer be signed" in check and "including the 1 that already signed" in check
    refused = client.post(f"/alliances/{slug}/agreement/publish", data={})
    assert refused.status_code == 422 and "Tick the box" in _text(refused)
    assert services.latest_version(session, agreement).number == 1
    done = client.post(f"/alliances/{slug}/agreement/publish", data={"replace_unsigned": "y"})
    assert done.status_code == 303
    assert services.latest_version(session, agreement).number == 2


def test_publishing_after_the_last_version_is_in_force_needs_no_tick(client, session):
    cast = make_cast()
    agreement = start(cast)
    publish_and_sign_all(cast, agreement)
    services.open_drafting(session, cast.commissioner, agreement)
    _edit(session, cast, agreement, "Changed after it came into force")
    login_as(client, cast.commissioner)
    page = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/publish"))
    assert "still being signed" not in page and "replace_unsigned" not in page
    assert client.post(f"/alliances/{cast.alliance.slug}/agreement/publish", data={}).status_code == 303
