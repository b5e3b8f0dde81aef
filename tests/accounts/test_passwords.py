"""Passwords a person can trust: hard to guess, changes announced by email, attempts limited."""

from __future__ import annotations

import re

from sqlalchemy import select

from collab.accounts.models import User
from tests.accounts.helpers import NEW_PASSWORD, is_signed_in, sign_in, text
from tests.factories import PASSWORD, login_as, make_alliance, make_user

# Passwords -------------------------------------------------------------------------------


WEAK = "password123456"


def test_a_common_password_is_refused_when_changing_it(client, session):
    user = make_user()
    login_as(client, user)
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": WEAK, "confirm": WEAK}
    )
    assert response.status_code == 422
    assert "Choose a password that is harder to guess" in text(response)
    session.expire_all()
    from collab.security import verify_password

    assert verify_password(session.get(User, user.id).password_hash, PASSWORD)


def test_a_password_close_to_your_own_email_is_refused(client, session):
    user = make_user(email="rosalind.franklin@example.org", display_name="Rosalind")
    login_as(client, user)
    guessable = "rosalind.franklin1"
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": guessable, "confirm": guessable}
    )
    assert response.status_code == 422
    assert "Choose a password that is harder to guess" in text(response)


def _reset_link(client, outbox, email) -> str:
    client.post("/password/forgotten", data={"email": email})
    url = re.search(r"https?://\S+/password/reset/\S+", outbox[-1].get_content()).group(0)
    return url.split("localhost", 1)[1]


def test_a_common_password_is_refused_when_resetting_it(client, session, outbox):
    user = make_user()
    link = _reset_link(client, outbox, user.email)
    response = client.post(link, data={"password": WEAK, "confirm": WEAK})
    assert response.status_code == 422
    assert "Choose a password that is harder to guess" in text(response)
    # The link still works for a better password.
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 303


def test_a_common_password_is_refused_when_creating_an_account_from_an_invitation(client, session, outbox):
    alliance = make_alliance()
    login_as(client, alliance.memberships[0].user)
    client.post(
        f"/alliances/{alliance.slug}/invitations",
        data={"email": "new.person@example.org", "role": "service_user", "organisation_id": ""},
    )
    link = re.search(r"https?://\S+/invitations/\S+", outbox[-1].get_content()).group(0).split("localhost", 1)[1]
    login_as(client, None)
    response = client.post(link, data={"display_name": "New Person", "password": WEAK, "confirm": WEAK})
    assert response.status_code == 422
    assert "Choose a password that is harder to guess" in text(response)
    assert session.scalar(select(User).where(User.email == "new.person@example.org")) is None
    done = client.post(link, data={"display_name": "New Person", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303
    assert is_signed_in(client)


def test_changing_the_password_emails_the_person(client, session, outbox):
    user = make_user(email="owner@example.org", display_name="Ola")
    login_as(client, user)
    client.post(
        "/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    (message,) = outbox
    assert message["To"] == "owner@example.org"
    assert message["Subject"] == "Your Collab password has been changed"
    body = message.get_content()
    assert "Hello Ola" in body and "was changed on" in body
    assert "If you did not" in body and "http://localhost/password/forgotten" in body
    assert NEW_PASSWORD not in body


def test_resetting_the_password_emails_the_person(client, session, outbox):
    user = make_user(email="owner@example.org")
    link = _reset_link(client, outbox, user.email)
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert outbox[-1]["Subject"] == "Your Collab password has been changed"
    assert "was reset on" in outbox[-1].get_content()


def test_no_email_when_the_change_is_refused(client, session, outbox):
    login_as(client, make_user())
    client.post("/account/password", data={"current_password": "wrong", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert outbox == []


def test_the_change_password_form_is_rate_limited(client, session, monkeypatch):
    monkeypatch.setitem(client.application.config, "CHANGE_PASSWORD_LIMIT", "3 per 1 minute")
    login_as(client, make_user())
    for _ in range(3):
        wrong = client.post(
            "/account/password", data={"current_password": "guess", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )
        assert wrong.status_code == 422
    blocked = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert blocked.status_code == 429
    assert "Too many attempts" in text(blocked)


def test_the_default_change_password_limit_is_five_in_15_minutes(app):
    assert app.config["CHANGE_PASSWORD_LIMIT"] == "5 per 15 minutes"


# Sign-in limits ---------------------------------------------------------------------------


def test_someone_elses_failures_from_another_address_do_not_lock_the_owner_out(client, session, monkeypatch):
    monkeypatch.setitem(client.application.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 1 minute")
    user = make_user(email="owner@example.org")
    attacker = "203.0.113.66"
    for _ in range(10):
        sign_in(client, user.email, "guess", ip=attacker)
    assert sign_in(client, user.email, ip=attacker).status_code == 429  # the attacker's address waits
    assert sign_in(client, user.email, ip="198.51.100.20").status_code == 303  # the owner gets in
    assert is_signed_in(client)
