"""Sessions a person can trust: ended on sign-out everywhere they were copied, timed out, remembered safely."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from collab.accounts import signin
from collab.accounts.models import RememberToken, SignInSession, User
from collab.alliances.models import Role
from collab.db import utcnow
from tests.factories import PASSWORD, add_member, login_as, make_alliance, make_user

NEW_PASSWORD = "a brand new password"


def text(response) -> str:
    return response.get_data(as_text=True)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD, ip: str = "198.51.100.7", **extra):
    return client.post(
        "/sign-in", data={"email": email, "password": password, **extra}, environ_base={"REMOTE_ADDR": ip}
    )


def is_signed_in(client: FlaskClient) -> bool:
    return client.get("/account").status_code == 200


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class Clock:
    """Moves the sign-in code's idea of "now" forward without waiting."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self):
        return utcnow() + self.offset


@pytest.fixture
def later(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(signin, "utcnow", clock)
    return clock


def copy_cookies(source: FlaskClient, target: FlaskClient, *names: str) -> None:
    for name in names:
        cookie = source.get_cookie(name)
        assert cookie is not None, name
        target.set_cookie(name, cookie.value, domain="localhost")


def drop_session_cookie(client: FlaskClient) -> None:
    """As a browser does when it closes: the remember-me cookie stays."""
    client.delete_cookie("session", domain="localhost")


def events(caplog, name: str) -> list[dict]:
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "collab.security"]
    return [line for line in lines if line["event"] == name]


# Server-side sessions ----------------------------------------------------------------------


def test_a_copied_session_cookie_stops_working_after_sign_out(app, session):
    user = make_user()
    mine, thief = app.test_client(), app.test_client()
    assert sign_in(mine, user.email).status_code == 303
    copy_cookies(mine, thief, "session")
    assert is_signed_in(thief)  # the copy works while the session lasts

    mine.post("/sign-out")
    assert not is_signed_in(mine)
    assert not is_signed_in(thief)
    session.expire_all()
    assert session.scalar(select(func.count(SignInSession.id)).where(SignInSession.user_id == user.id)) == 0


def test_a_copied_session_cookie_stops_working_after_sign_out_everywhere(app, session):
    user = make_user()
    mine, thief = app.test_client(), app.test_client()
    sign_in(mine, user.email)
    copy_cookies(mine, thief, "session")
    other = app.test_client()
    sign_in(other, user.email)
    other.post("/account/sign-out-everywhere")
    assert not is_signed_in(thief)
    assert not is_signed_in(mine)


def test_the_session_id_is_stored_only_as_a_hash(app, session):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email, user_agent="ignored")
    with browser.session_transaction() as sess:
        raw = sess["_sid"]
    session.expire_all()
    row = session.scalar(select(SignInSession).where(SignInSession.user_id == user.id))
    assert row.id_hash == sha256(raw) and raw not in row.id_hash
    assert row.ip_address == "198.51.100.7"


def test_idle_for_longer_than_the_timeout_signs_you_out(app, session, later):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email)
    later.offset = timedelta(minutes=29)
    assert is_signed_in(browser)  # activity keeps the session going
    later.offset = timedelta(minutes=29 + 29)
    assert is_signed_in(browser)
    later.offset = timedelta(minutes=29 + 29 + 31)
    response = browser.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    assert "You were signed out because Collab had not been used for 30 minutes." in text(browser.get("/sign-in"))
    session.expire_all()
    assert session.scalar(select(func.count(SignInSession.id)).where(SignInSession.user_id == user.id)) == 0


def test_last_seen_is_written_at_most_once_a_minute(app, session, later):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email)
    session.expire_all()
    first = session.scalar(select(SignInSession.last_seen_at).where(SignInSession.user_id == user.id))
    later.offset = timedelta(seconds=30)
    assert is_signed_in(browser)
    session.expire_all()
    assert session.scalar(select(SignInSession.last_seen_at).where(SignInSession.user_id == user.id)) == first
    later.offset = timedelta(seconds=90)
    assert is_signed_in(browser)
    session.expire_all()
    assert session.scalar(select(SignInSession.last_seen_at).where(SignInSession.user_id == user.id)) > first


def test_a_session_ends_after_its_absolute_lifetime_however_busy(app, session, later, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 24 * 60)
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email)
    later.offset = timedelta(hours=11, minutes=59)
    assert is_signed_in(browser)
    later.offset = timedelta(hours=12, minutes=1)
    assert not is_signed_in(browser)
    assert "You were signed out because you signed in more than 12 hours ago." in text(browser.get("/sign-in"))


def test_signed_in_pages_are_not_stored_by_the_browser(client, session):
    login_as(client, make_user())
    assert client.get("/account").headers["Cache-Control"] == "no-store"
    assert client.get("/alliances").headers["Cache-Control"] == "no-store"


def test_login_as_makes_a_real_session_that_sign_out_ends(client, session):
    user = make_user()
    login_as(client, user)
    assert is_signed_in(client)
    client.post("/sign-out")
    assert not is_signed_in(client)


# Remember me ---------------------------------------------------------------------------


def test_the_remember_me_token_is_random_stored_hashed_and_rotated_on_use(app, session):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email, remember="y")
    first = browser.get_cookie("remember_token").value
    session.expire_all()
    stored = session.scalars(select(RememberToken.token_hash).where(RememberToken.user_id == user.id)).all()
    assert stored == [sha256(first)]

    drop_session_cookie(browser)
    assert is_signed_in(browser)
    second = browser.get_cookie("remember_token").value
    assert second != first
    session.expire_all()
    old = session.scalar(select(RememberToken).where(RememberToken.token_hash == sha256(first)))
    new = session.scalar(select(RememberToken).where(RememberToken.token_hash == sha256(second)))
    assert old.used_at is not None and new.used_at is None and old.family == new.family
    lasts = new.expires_at - utcnow()
    assert timedelta(days=13, hours=23) < lasts <= timedelta(days=14)


def test_a_replayed_remember_me_token_is_refused_and_ends_its_family(app, session, caplog):
    user = make_user()
    owner, thief = app.test_client(), app.test_client()
    sign_in(owner, user.email, remember="y")
    copy_cookies(owner, thief, "remember_token")  # copied before the owner's next visit

    drop_session_cookie(owner)
    assert is_signed_in(owner)  # the owner's browser swaps the token

    with caplog.at_level(logging.INFO, logger="collab.security"):
        assert not is_signed_in(thief)  # the old token comes back: refused
    assert events(caplog, "remember-token-replayed")[0]["user_id"] == user.id

    # Every token of that sign-in has ended, so the owner signs in again with the password.
    drop_session_cookie(owner)
    assert not is_signed_in(owner)
    session.expire_all()
    assert session.scalar(select(func.count(RememberToken.id)).where(RememberToken.user_id == user.id)) == 0


def test_a_remember_me_token_expires_after_14_days(app, session, later):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email, remember="y")
    drop_session_cookie(browser)
    later.offset = timedelta(days=14, minutes=1)
    assert not is_signed_in(browser)


def test_sign_out_deletes_the_remember_me_token(app, session):
    user = make_user()
    browser, copy = app.test_client(), app.test_client()
    sign_in(browser, user.email, remember="y")
    copy_cookies(browser, copy, "remember_token")
    browser.post("/sign-out")
    assert browser.get_cookie("remember_token") is None
    assert not is_signed_in(copy)
    session.expire_all()
    assert session.scalar(select(func.count(RememberToken.id)).where(RememberToken.user_id == user.id)) == 0


def test_production_cookies_use_host_prefixed_names(app, session, monkeypatch):
    from config import load_config

    config = load_config({"COLLAB_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(48), "COLLAB_INSTANCE_DIR": app.instance_path,
                          "SIGNING_KEY": secrets.token_urlsafe(48), "AUDIT_KEY": secrets.token_urlsafe(48)})
    assert config["SESSION_COOKIE_NAME"] == "__Host-session"
    assert config["REMEMBER_COOKIE_NAME"] == "__Host-remember"
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]
    for key in ("SESSION_COOKIE_NAME", "REMEMBER_COOKIE_NAME", "SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        monkeypatch.setitem(app.config, key, config[key])

    user = make_user()
    response = sign_in(app.test_client(), user.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("__Host-session=", "__Host-remember="):
        (cookie,) = [c for c in cookies if c.startswith(name)]
        assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie


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


def test_signing_in_as_someone_else_ends_the_previous_persons_session(app, session):
    first, second = make_user(), make_user()
    browser = app.test_client()
    sign_in(browser, first.email)
    sign_in(browser, second.email)
    session.expire_all()
    assert session.scalar(select(func.count(SignInSession.id)).where(SignInSession.user_id == first.id)) == 0
    assert session.scalar(select(func.count(SignInSession.id)).where(SignInSession.user_id == second.id)) == 1
