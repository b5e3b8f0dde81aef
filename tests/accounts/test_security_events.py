"""Security events: sign-ins, refusals and changes written to the security log."""

from __future__ import annotations

import logging

from collab.alliances.models import Role
from tests.accounts.helpers import events, sign_in
from tests.factories import PASSWORD, add_member, login_as, make_alliance, make_user

# Security events ----------------------------------------------------------------------------


def test_sign_in_success_failure_limit_and_sign_out_are_logged(client, session, caplog, monkeypatch):
    monkeypatch.setitem(client.application.config, "LOGIN_LIMIT_PER_ACCOUNT", "2 per 1 minute")
    user = make_user(email="logged@example.org")
    with caplog.at_level(logging.INFO, logger="collab.security"):
        sign_in(client, user.email, "wrong")
        sign_in(client, "nobody@example.org", "wrong")
        sign_in(client, user.email, "wrong")
        sign_in(client, user.email)  # limited
        sign_in(client, user.email, ip="198.51.100.99")
        client.post("/sign-out")
    failed = events(caplog, "sign-in-failed")
    assert [f.get("user_id") for f in failed] == [user.id, None, user.id]
    assert [f["account_known"] for f in failed] == [True, False, True]
    (limited,) = events(caplog, "sign-in-limited")
    assert limited["user_id"] == user.id and limited["ip"] == "198.51.100.7"
    (signed_in,) = events(caplog, "sign-in")
    assert signed_in["user_id"] == user.id and signed_in["ip"] == "198.51.100.99"
    (signed_out,) = events(caplog, "sign-out")
    assert signed_out["user_id"] == user.id
    # No secret ever reaches the log.
    for record in caplog.records:
        assert PASSWORD not in record.getMessage() and "wrong" not in record.getMessage().replace("wrong_", "")


def test_csrf_failures_are_logged(client, session, caplog, csrf_enabled):
    with caplog.at_level(logging.INFO, logger="collab.security"):
        response = client.post("/sign-in", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    (event,) = events(caplog, "csrf-failed")
    assert event["path"] == "/sign-in" and event["method"] == "POST"


def test_forbidden_requests_are_logged(client, session, caplog):
    alliance = make_alliance()
    observer = add_member(alliance, make_user(), Role.OBSERVER).user
    login_as(client, observer)
    with caplog.at_level(logging.INFO, logger="collab.security"):
        response = client.post(
            f"/alliances/{alliance.slug}/members/{alliance.memberships[0].id}/role", data={"role": "observer"}
        )
    assert response.status_code == 403
    (event,) = events(caplog, "forbidden")
    assert event["user_id"] == observer.id


def test_role_changes_are_logged(client, session, caplog):
    alliance = make_alliance()
    commissioner = alliance.memberships[0].user
    membership = add_member(alliance, make_user(), Role.OBSERVER)
    login_as(client, commissioner)
    with caplog.at_level(logging.INFO, logger="collab.security"):
        client.post(
            f"/alliances/{alliance.slug}/members/{membership.id}/role", data={"role": "facilitator", "organisation_id": ""}
        )
    (event,) = events(caplog, "role-changed")
    assert event["user_id"] == commissioner.id and event["subject_user_id"] == membership.user_id
    assert event["from_role"] == "observer" and event["to_role"] == "facilitator"
    assert event["alliance_id"] == alliance.id


def test_access_needs_changes_are_logged_without_their_text(client, session, caplog):
    user = make_user(display_name="Kai")
    login_as(client, user)
    with caplog.at_level(logging.INFO, logger="collab.security"):
        client.post("/account", data={"display_name": "Kai", "access_needs": "Step-free access please"})
        client.post("/account", data={"display_name": "Kai", "access_needs": "Step-free access please"})
    (event,) = events(caplog, "access-needs-changed")
    assert event["user_id"] == user.id
    assert all("Step-free" not in r.getMessage() for r in caplog.records)
