"""Ids in query strings have the same bounds as ids in paths (issue 7, defect 11).

A number too big for an integer column used to reach PostgreSQL and fail with "integer out
of range" (a 500). Now every id read from a query string goes through collab.web.parse_id.
"""

from __future__ import annotations

import pytest

from collab import MAX_DATABASE_INT
from collab.agreements import services
from collab.web import parse_id
from tests.agreements.helpers import first_clause, make_cast, publish_and_sign_all, start
from tests.factories import login_as
from tests.specs.helpers import make_spec

TOO_BIG = ["9223372036854775808", str(MAX_DATABASE_INT + 1), "99999999999999999999999999"]
NOT_IDS = ["-1", "0", "1e3", "0x10", " 1", "１", "1.5", "٣", "+1", "1_000", ""]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("42", 42), (str(MAX_DATABASE_INT), MAX_DATABASE_INT)]
    + [(v, None) for v in TOO_BIG + NOT_IDS]
    + [(None, None), (7, None)],
)
def test_parse_id_takes_only_ids_a_column_can_hold(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize("value", TOO_BIG + ["-1", "abc", "１"])
def test_agreement_compare_with_an_impossible_version_is_not_found(client, session, value):
    cast = make_cast()
    publish_and_sign_all(cast, start(cast))
    login_as(client, cast.service_user)
    base = f"/alliances/{cast.alliance.slug}/agreement/compare"
    assert client.get(f"{base}?from={value}&to=1").status_code == 404
    assert client.get(f"{base}?from=1&to={value}").status_code == 404
    assert client.get(base).status_code == 200  # no numbers: the latest two, as before


@pytest.mark.parametrize("value", TOO_BIG + ["-1", "abc", "１"])
def test_proposing_a_change_to_an_impossible_clause_is_not_found(client, session, value):
    cast = make_cast()
    agreement = start(cast)
    publish_and_sign_all(cast, agreement)
    services.open_drafting(session, cast.commissioner, agreement)
    login_as(client, cast.provider_a)
    base = f"/alliances/{cast.alliance.slug}/agreement/proposals/new"
    assert client.get(f"{base}?clause={value}").status_code == 404
    assert client.post(f"{base}?clause={value}", data={"heading": "x", "body": "y"}).status_code == 404
    assert client.get(f"{base}?clause={first_clause(agreement).id}").status_code == 200


@pytest.mark.parametrize("value", TOO_BIG)
@pytest.mark.parametrize("query", ["compare?from={v}", "compare?to={v}", "comments?section={v}", "?from={v}"])
def test_specification_pages_with_huge_numbers_do_not_fail(client, session, value, query):
    cast = make_cast()
    spec = make_spec(cast.alliance)
    login_as(client, cast.commissioner)
    response = client.get(f"/alliances/{cast.alliance.slug}/specs/{spec.id}/" + query.format(v=value))
    if query.startswith("?"):
        response = client.get(f"/alliances/{cast.alliance.slug}/specs/{spec.id}" + query.format(v=value))
    assert response.status_code in {200, 303, 404, 422}, response.status_code
