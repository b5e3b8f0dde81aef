"""Sessions a person can trust: ended on sign-out everywhere they were copied, timed out, remembered safely."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from collab.accounts import signin
from collab.accounts.models import RememberToken, SignInSession
from collab.db import utcnow
from tests.accounts.helpers import Clock, copy_cookies, drop_session_cookie, events, is_signed_in, sha256, sign_in, text
from tests.factories import login_as, make_user


@pytest.fixture
def later(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(signin, "utcnow", clock)
    return clock


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


def test_signing_in_as_someone_else_ends_the_previous_persons_session(app, session):
    first, second = make_user(), make_user()
    browser = app.test_client()
    sign_in(browser, first.email)
    sign_in(browser, second.email)
    session.expire_all()
    assert session.scalar(select(func.count(SignInSession.id)).where(SignInSession.user_id == first.id)) == 0
    assert session.scalar(select(func.count(SignInSession.id)).where(SignInSession.user_id == second.id)) == 1


def test_a_busy_database_when_noting_the_visit_does_not_stop_the_page(app, session, later, engine):
    """SQLite allows one writer: two requests of one browser touching its session at once must both be served."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email)
    session.expire_all()
    first = session.scalar(select(SignInSession.last_seen_at).where(SignInSession.user_id == user.id))
    later.offset = timedelta(seconds=90)

    def busy(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE SIGN_IN_SESSION"):
            raise OperationalError(statement, parameters, Exception("database is locked"))

    event.listen(engine, "before_cursor_execute", busy)
    try:
        assert is_signed_in(browser)
    finally:
        event.remove(engine, "before_cursor_execute", busy)
    session.expire_all()
    assert session.scalar(select(SignInSession.last_seen_at).where(SignInSession.user_id == user.id)) == first
    # The next request writes it.
    assert is_signed_in(browser)
    session.expire_all()
    assert session.scalar(select(SignInSession.last_seen_at).where(SignInSession.user_id == user.id)) > first
