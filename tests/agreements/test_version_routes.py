"""Version pages: the list of versions and comparing two."""

from __future__ import annotations

from collab.agreements import services
from tests.agreements.helpers import first_clause, make_cast, publish_and_sign_all, start
from tests.agreements.helpers import response_text as _text
from tests.factories import login_as


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
