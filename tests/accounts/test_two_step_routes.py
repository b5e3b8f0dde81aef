"""Two-step sign-in as a person uses it: setting up, signing in with a code, recovery codes, turning off."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from collab.accounts import two_step, two_step_routes
from collab.accounts.two_step_models import TwoStep
from collab.db import utcnow
from tests.factories import PASSWORD, enable_two_step, login_as, make_user, recovery_codes_for


def text(response) -> str:
    return response.get_data(as_text=True)


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def password_step(client, email: str, **extra):
    return client.post("/sign-in", data={"email": email, "password": PASSWORD, **extra})


def now_code(secret: str, seconds: int = 0) -> str:
    return pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=seconds))


def wrong_code(secret: str) -> str:
    near = {now_code(secret, s) for s in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


@pytest.fixture
def ada(session):
    user = make_user(email="ada@example.org", display_name="Ada")
    secret = enable_two_step(user)
    return user, secret


# Signing in ------------------------------------------------------------------------------------


def test_without_two_step_the_password_signs_in_as_before(client, session):
    make_user(email="bo@example.org")
    response = password_step(client, "bo@example.org")
    assert response.headers["Location"] == "/for-you"
    assert signed_in(client)


def test_the_password_alone_does_not_sign_in_when_two_step_is_on(client, ada):
    response = password_step(client, "ada@example.org")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in/code"
    assert not signed_in(client)
    page = client.get("/sign-in/code")
    assert page.status_code == 200
    body = text(page)
    assert "Enter the code from your app" in body
    assert 'href="/sign-in/recovery-code"' in body
    assert 'inputmode="numeric"' in body and 'autocomplete="one-time-code"' in body


def test_a_right_code_signs_in_and_follows_the_next_link(client, session, ada):
    user, secret = ada
    client.get("/sign-in?next=/account")
    client.post("/sign-in?next=/account", data={"email": "ada@example.org", "password": PASSWORD})
    response = client.post("/sign-in/code", data={"code": now_code(secret)})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    assert signed_in(client)
    with client.session_transaction() as sess:
        assert two_step_routes.PENDING not in sess


def test_keep_me_signed_in_is_carried_through_the_code_step(app, client, session, ada):
    _, secret = ada
    password_step(client, "ada@example.org", remember="y")
    cookie_name = app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    assert client.get_cookie(cookie_name) is None  # not yet
    client.post("/sign-in/code", data={"code": now_code(secret)})
    assert client.get_cookie(cookie_name) is not None


def test_a_wrong_code_shows_an_error_summary_and_is_logged(client, ada, caplog):
    user, secret = ada
    password_step(client, "ada@example.org")
    with caplog.at_level(logging.WARNING, logger="collab.security"):
        response = client.post("/sign-in/code", data={"code": wrong_code(secret)})
    assert response.status_code == 422
    body = text(response)
    assert "There is a problem" in body
    assert '<a href="#code">The code is not right. Type the 6-digit code your app shows now.</a>' in body
    assert not signed_in(client)
    assert '"event": "two-step-failed"' in caplog.text and f'"user_id": {user.id}' in caplog.text
    empty = client.post("/sign-in/code", data={"code": ""})
    assert empty.status_code == 422
    assert "Enter the 6-digit code from your authenticator app" in text(empty)


def test_a_code_cannot_be_used_twice(app, client, session, ada):
    _, secret = ada
    code = now_code(secret)
    password_step(client, "ada@example.org")
    client.post("/sign-in/code", data={"code": code})
    assert signed_in(client)
    client.post("/sign-out")
    # Someone who watched the code being typed tries it straight away, in another browser.
    thief = app.test_client()
    password_step(thief, "ada@example.org")
    response = thief.post("/sign-in/code", data={"code": code})
    assert response.status_code == 422
    assert not signed_in(thief)


def test_a_recovery_code_signs_in_once(client, session, ada):
    user, _ = ada
    code = recovery_codes_for(user)[0]
    password_step(client, "ada@example.org")
    page = client.get("/sign-in/recovery-code")
    assert page.status_code == 200 and "Use a recovery code" in text(page)
    response = client.post("/sign-in/recovery-code", data={"code": code})
    assert response.status_code == 303 and response.headers["Location"] == "/account/two-step"
    page = text(client.get("/account/two-step"))
    assert "You used a recovery code. It will not work again. You have 9 left." in page
    assert "You have 9 unused recovery codes" in page
    client.post("/sign-out")
    password_step(client, "ada@example.org")
    again = client.post("/sign-in/recovery-code", data={"code": code})
    assert again.status_code == 422
    assert "That recovery code is not right, or it has been used already." in text(again)
    assert not signed_in(client)


def test_the_code_step_expires_after_five_minutes(client, monkeypatch, ada):
    _, secret = ada
    password_step(client, "ada@example.org")
    later = utcnow() + timedelta(minutes=5, seconds=5)
    monkeypatch.setattr(two_step_routes, "utcnow", lambda: later)
    monkeypatch.setattr(two_step, "utcnow", lambda: later)
    response = client.post("/sign-in/code", data={"code": now_code(secret, 330)})
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in"
    assert not signed_in(client)
    assert "Your sign-in timed out" in text(client.get("/sign-in"))


def test_the_code_pages_without_a_password_step_send_you_to_sign_in(client, session):
    for path in ("/sign-in/code", "/sign-in/recovery-code"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"] == "/sign-in"


def test_a_password_change_ends_a_waiting_code_step(client, session, ada):
    user, secret = ada
    password_step(client, "ada@example.org")
    user.session_version += 1
    session.commit()
    response = client.post("/sign-in/code", data={"code": now_code(secret)})
    assert response.headers["Location"] == "/sign-in"
    assert not signed_in(client)


def test_wrong_codes_are_limited_per_account(app, client, ada, monkeypatch):
    _, secret = ada
    monkeypatch.setitem(app.config, "TWO_STEP_LIMIT", "3 per 15 minutes")
    password_step(client, "ada@example.org")
    for _ in range(3):
        assert client.post("/sign-in/code", data={"code": wrong_code(secret)}).status_code == 422
    # The limit follows the account, not the browser: a fresh browser is limited too.
    other = app.test_client()
    password_step(other, "ada@example.org")
    for c in (client, other):
        response = c.post("/sign-in/code", data={"code": now_code(secret)})
        assert response.status_code == 429
        assert "too many attempts" in text(response).lower()
    assert not signed_in(client) and not signed_in(other)


# Setting up, recovery codes, turning off -------------------------------------------------------------


def _secret_on(page: str) -> str:
    match = re.search(r'id="two-step-secret">([A-Z2-7 ]+)<', page)
    assert match, "the key for typing by hand is not on the page"
    return match.group(1).replace(" ", "")


def test_setting_up_shows_a_qr_code_and_the_key_then_the_recovery_codes_once(client, session):
    user = make_user()
    login_as(client, user)
    assert "Two-step sign-in</a>: off" in text(client.get("/account"))
    assert "Turn on two-step sign-in" in text(client.get("/account/two-step"))
    page = client.get("/account/two-step/set-up")
    assert page.status_code == 200
    body = text(page)
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in body
    secret = _secret_on(body)
    assert page.headers["Cache-Control"] == "no-store"

    wrong = client.post("/account/two-step/set-up", data={"code": wrong_code(secret)})
    assert wrong.status_code == 422
    assert "There is a problem" in text(wrong)
    assert _secret_on(text(wrong)) == secret  # the same key, so the app already set up still works

    done = client.post("/account/two-step/set-up", data={"code": now_code(secret)})
    assert done.status_code == 200
    assert done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", text(done))
    assert len(codes) == 10
    session.expire_all()
    assert two_step.is_enabled(session, user)
    assert "Two-step sign-in</a>: on" in text(client.get("/account"))
    status = text(client.get("/account/two-step"))
    assert "Two-step sign-in is on" in status and "You have 10 unused recovery codes" in status
    # The codes are not shown again.
    again = client.get("/account/two-step/set-up")
    assert again.status_code == 303
    assert codes[0] not in text(client.get("/account/two-step"))


def test_setting_up_comes_back_to_the_page_that_asked(client, session):
    login_as(client, make_user())
    page = text(client.get("/account/two-step/set-up?next=/alliances/x/agreement/versions/1/sign"))
    secret = _secret_on(page)
    assert 'action="/account/two-step/set-up?next=/alliances/x/agreement/versions/1/sign"' in page
    done = client.post("/account/two-step/set-up?next=/alliances/x/agreement/versions/1/sign",
                       data={"code": now_code(secret)})
    assert 'href="/alliances/x/agreement/versions/1/sign"' in text(done)
    # Only links inside Collab are followed.
    login_as(client, make_user())
    page = text(client.get("/account/two-step/set-up?next=https://evil.example/"))
    assert "evil.example" not in page


def test_new_recovery_codes_need_the_password_and_replace_the_old_ones(client, session, ada):
    user, _ = ada
    login_as(client, user)
    wrong = client.post("/account/two-step/recovery-codes", data={"password": "not it"})
    assert wrong.status_code == 422 and "The password is not right" in text(wrong)
    done = client.post("/account/two-step/recovery-codes", data={"password": PASSWORD})
    assert done.status_code == 200
    new = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", text(done))
    assert len(new) == 10
    session.expire_all()
    assert not two_step.use_recovery_code(session, user, recovery_codes_for(user)[0])
    assert two_step.use_recovery_code(session, user, new[0])


def test_turning_off_asks_for_the_password_or_a_code(client, session, ada, caplog):
    user, secret = ada
    login_as(client, user)
    empty = client.post("/account/two-step/turn-off", data={})
    assert empty.status_code == 422 and "Enter your password or a code" in text(empty)
    with caplog.at_level(logging.WARNING, logger="collab.security"):
        wrong = client.post("/account/two-step/turn-off", data={"code": wrong_code(secret)})
    assert wrong.status_code == 422 and "The code is not right" in text(wrong)
    assert '"event": "two-step-failed"' in caplog.text and '"kind": "turn-off"' in caplog.text
    with caplog.at_level(logging.WARNING, logger="collab.security"):
        done = client.post("/account/two-step/turn-off", data={"code": now_code(secret)})
    assert done.status_code == 303 and done.headers["Location"] == "/account/two-step"
    assert '"event": "two-step-disabled"' in caplog.text
    session.expire_all()
    assert not two_step.is_enabled(session, user)
    assert session.scalar(select(TwoStep).where(TwoStep.user_id == user.id)) is None
    # Now the password alone signs in again.
    client.post("/sign-out")
    assert password_step(client, "ada@example.org").headers["Location"] == "/for-you"


def test_turning_on_is_logged(client, session, caplog):
    user = make_user()
    login_as(client, user)
    secret = _secret_on(text(client.get("/account/two-step/set-up")))
    with caplog.at_level(logging.WARNING, logger="collab.security"):
        client.post("/account/two-step/set-up", data={"code": now_code(secret)})
    assert '"event": "two-step-enabled"' in caplog.text and f'"user_id": {user.id}' in caplog.text


def test_turn_off_and_new_codes_send_you_to_set_up_when_two_step_is_off(client, session):
    login_as(client, make_user())
    for path in ("/account/two-step/turn-off", "/account/two-step/recovery-codes"):
        assert client.get(path).headers["Location"] == "/account/two-step"
