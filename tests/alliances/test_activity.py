"""The alliance's activity page."""

from __future__ import annotations

from collab import audit
from tests.factories import login_as, make_alliance


def text(response) -> str:
    return response.get_data(as_text=True)


# Activity ---------------------------------------------------------------------------


def test_activity_is_paginated_newest_first(client, session):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    for n in range(30):
        audit.record(session, commissioner, "alliance.updated", alliance, alliance=alliance,
                     label=alliance.name, detail={"changed": [f"thing {n:02d}"]})
    login_as(client, commissioner)
    first = text(client.get(f"/alliances/{alliance.slug}/activity"))
    assert "thing 29" in first and "thing 05" in first and "thing 04" not in first
    assert first.index("thing 29") < first.index("thing 28")
    assert "Page 1 of 2" in first
    assert f'href="/alliances/{alliance.slug}/activity?page=2" rel="next"' in first
    second = text(client.get(f"/alliances/{alliance.slug}/activity?page=2"))
    assert "thing 04" in second and "thing 00" in second and "thing 05" not in second
    assert "Page 2 of 2" in second
    assert 'rel="next"' not in second
    # Odd page numbers are treated kindly.
    assert "Page 2 of 2" in text(client.get(f"/alliances/{alliance.slug}/activity?page=99"))
    assert "Page 1 of 2" in text(client.get(f"/alliances/{alliance.slug}/activity?page=banana"))


def test_activity_only_shows_this_alliances_entries(client, session):
    mine, other = make_alliance(), make_alliance()
    audit.record(session, other.memberships[0].user, "alliance.updated", other, alliance=other,
                 label=other.name, detail={"changed": ["secret plans"]})
    login_as(client, mine.memberships[0].user)
    assert "secret plans" not in text(client.get(f"/alliances/{mine.slug}/activity"))
