"""The application starts, migrates and answers."""

from __future__ import annotations

from tests.factories import login_as, make_alliance, make_user


def test_health_check_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_member_sees_alliance_home(client, session):
    alliance = make_alliance(name="Riverside test alliance")
    user = alliance.memberships[0].user
    login_as(client, user)
    response = client.get(f"/alliances/{alliance.slug}")
    assert response.status_code == 200
    assert "Riverside test alliance" in response.get_data(as_text=True)


def test_outsider_gets_404_for_private_alliance(client, session):
    alliance = make_alliance()
    login_as(client, make_user())
    assert client.get(f"/alliances/{alliance.slug}").status_code == 404
