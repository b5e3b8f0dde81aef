"""Security behaviour a person can see: login limits, ending sessions, safe redirects, CSRF."""

from __future__ import annotations

import re
import time as real_time
from datetime import UTC
from urllib.parse import urlsplit

import limits.storage.memory
import limits.strategies
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from collab.accounts.models import User
from tests.accounts.helpers import is_signed_in, sign_in, text
from tests.factories import PASSWORD, login_as, make_alliance, make_user

# Login rate limits ----------------------------------------------------------------------


class FakeClock:
    """Stands in for the time module inside the rate-limit library, so a window can pass instantly."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return real_time.time() + self.offset

    def __getattr__(self, name: str):
        return getattr(real_time, name)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    monkeypatch.setattr(limits.strategies, "time", fake)
    return fake


@pytest.fixture
def small_limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", "3 per 1 minute")
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", "5 per 1 minute")


def test_too_many_wrong_passwords_from_one_address_wait_until_the_window_passes(client, session, small_limits, clock):
    user = make_user(email="target@example.org")
    for _ in range(3):
        assert sign_in(client, user.email, "wrong password").status_code == 422
    # Even the right password waits now, from that address.
    blocked = sign_in(client, user.email)
    assert blocked.status_code == 429
    assert "Too many attempts" in text(blocked)
    assert "Wait a minute, then try again." in text(blocked)
    assert not is_signed_in(client)
    # Other accounts are not affected (from another address).
    other = make_user(email="bystander@example.org")
    assert sign_in(client, other.email, ip="203.0.113.10").status_code == 303
    client.post("/sign-out")

    clock.offset += 61
    response = sign_in(client, user.email)
    assert response.status_code == 303
    assert is_signed_in(client)


def test_the_default_limit_is_five_tries_in_15_minutes(client, session, clock):
    user = make_user(email="target@example.org")
    for _ in range(5):
        assert sign_in(client, user.email, "wrong password").status_code == 422
    blocked = sign_in(client, user.email)
    assert blocked.status_code == 429
    assert "Wait 15 minutes, then try again." in text(blocked)
    clock.offset += 15 * 60 + 1
    assert sign_in(client, user.email).status_code == 303


def test_the_account_limit_ignores_case_and_spaces_in_the_email(client, session, small_limits, clock):
    user = make_user(email="target@example.org")
    for variant in ("target@example.org", "TARGET@example.org", " Target@Example.org "):
        assert sign_in(client, variant, "wrong").status_code == 422
    assert sign_in(client, user.email).status_code == 429


def test_too_many_attempts_from_one_address_are_limited(client, session, small_limits, clock):
    for n in range(5):
        assert sign_in(client, f"guess{n}@example.org", "wrong").status_code == 422
    user = make_user(email="real@example.org")
    assert sign_in(client, user.email).status_code == 429
    # Someone at another address is not held back.
    assert sign_in(client, user.email, ip="192.0.2.44").status_code == 303
    client.post("/sign-out")
    clock.offset += 61
    assert sign_in(client, user.email).status_code == 303


def test_successful_sign_ins_do_not_count_toward_the_limit(client, session, small_limits, clock):
    user = make_user(email="busy@example.org")
    for _ in range(6):
        assert sign_in(client, user.email).status_code == 303
        client.post("/sign-out")


def test_limited_htmx_request_gets_a_fragment(client, session, small_limits, clock):
    for _ in range(3):
        sign_in(client, "x@example.org", "wrong")
    response = client.post(
        "/sign-in", data={"email": "x@example.org", "password": "wrong"},
        environ_base={"REMOTE_ADDR": "198.51.100.7"}, headers={"HX-Request": "true"},
    )
    assert response.status_code == 429
    assert '<div id="error-fragment"' in text(response)
    assert "<html" not in text(response)


# Ending sessions --------------------------------------------------------------------------


def _remember_only(client: FlaskClient) -> None:
    """Drop the session cookie, as a browser does when it closes, keeping the remember-me cookie."""
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session", domain="localhost")


def test_remember_me_keeps_you_signed_in_after_the_browser_closes(app, session):
    user = make_user()
    browser = app.test_client()
    assert sign_in(browser, user.email, remember="y").status_code == 303
    _remember_only(browser)
    assert is_signed_in(browser)


def test_remember_me_lasts_two_weeks_as_the_sign_in_page_says(app, session):
    from datetime import datetime, timedelta

    user = make_user()
    browser = app.test_client()
    assert "Keep me signed in on this device for 2 weeks" in text(browser.get("/sign-in"))
    sign_in(browser, user.email, remember="y")
    cookie = browser.get_cookie("remember_token")
    lasts = cookie.expires - datetime.now(UTC)
    assert timedelta(days=13, hours=23) < lasts <= timedelta(days=14)
    assert cookie.http_only


def test_changing_the_password_keeps_this_browsers_remember_me(app, session):
    user = make_user()
    browser = app.test_client()
    sign_in(browser, user.email, remember="y")
    browser.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a brand new password", "confirm": "a brand new password"},
    )
    _remember_only(browser)
    assert is_signed_in(browser)


def test_changing_the_password_signs_out_every_other_browser(app, session):
    user = make_user()
    laptop, phone, tablet = app.test_client(), app.test_client(), app.test_client()
    for browser in (laptop, phone, tablet):
        assert sign_in(browser, user.email, remember="y").status_code == 303
    _remember_only(tablet)

    response = laptop.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a brand new password", "confirm": "a brand new password"},
    )
    assert response.status_code == 303
    assert is_signed_in(laptop)

    kicked = phone.get("/account")
    assert kicked.status_code == 302
    assert urlsplit(kicked.headers["Location"]).path == "/sign-in"
    assert not is_signed_in(tablet)  # the remember-me cookie no longer works either
    assert sign_in(phone, user.email, "a brand new password").status_code == 303


def test_sign_out_everywhere_ends_every_session_including_this_one(app, session):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user.email, remember="y")
    sign_in(phone, user.email, remember="y")
    response = laptop.post("/account/sign-out-everywhere")
    assert response.status_code == 303
    assert "You have been signed out on every device" in text(laptop.get("/sign-in"))
    assert not is_signed_in(laptop)
    _remember_only(phone)
    assert not is_signed_in(phone)
    session.expire_all()
    assert session.scalar(select(User.session_version).where(User.id == user.id)) == 2


def test_a_revoked_htmx_request_is_redirected_whole_not_swapped(app, session):
    user = make_user()
    browser, other = app.test_client(), app.test_client()
    sign_in(browser, user.email)
    sign_in(other, user.email)
    other.post("/account/sign-out-everywhere")
    response = browser.post(
        "/preview?field=purpose", data={"purpose": "x"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/alliances/new"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/sign-in?next=/alliances/new"


def test_signing_in_starts_a_fresh_session(app, session):
    user = make_user()
    browser = app.test_client()
    with browser.session_transaction() as sess:
        sess["planted"] = "by someone else"
    sign_in(browser, user.email)
    with browser.session_transaction() as sess:
        assert "planted" not in sess


# Open redirects ----------------------------------------------------------------------------

HOSTILE_NEXT = [
    "//evil.example",
    "//evil.example/alliances",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/alliances",
    "HTTPS://evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "/\r\nLocation: https://evil.example",
    "/\t/evil.example",
    " //evil.example",
    "http:evil.example",
    "https:/evil.example",
    "evil.example",
    "",
]


def _assert_local(location: str) -> None:
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/") and not location.startswith("//") and "\\" not in location, location


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_sign_in_never_redirects_off_site(client, session, target):
    user = make_user()
    page = text(client.get("/sign-in", query_string={"next": target}))
    assert "evil" not in page
    response = client.post(
        "/sign-in", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 303
    _assert_local(response.headers["Location"])
    assert response.headers["Location"] == "/for-you"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_signed_in_visit_to_sign_in_never_redirects_off_site(client, session, target):
    login_as(client, make_user())
    response = client.get("/sign-in", query_string={"next": target})
    _assert_local(response.headers["Location"])


def test_an_encoded_line_break_in_next_cannot_add_a_header(client, session):
    user = make_user()
    response = client.post(
        "/sign-in", query_string={"next": "/%0d%0aLocation:%20https://evil.example"},
        data={"email": user.email, "password": PASSWORD},
    )
    _assert_local(response.headers["Location"])
    assert "\n" not in response.headers["Location"] and "\r" not in response.headers["Location"]


def test_a_local_next_is_followed_with_its_query(client, session):
    user = make_user()
    response = client.post(
        "/sign-in", query_string={"next": "/alliances/switch?alliance=x"},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/alliances/switch?alliance=x"


def test_htmx_sign_in_prompt_ignores_a_foreign_current_url(client, session):
    response = client.post(
        "/preview", data={}, headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example//x"}
    )
    assert response.status_code == 204
    _assert_local(response.headers["HX-Redirect"])


# CSRF ------------------------------------------------------------------------------------------


def _csrf_token(client: FlaskClient, path: str) -> str:
    page = text(client.get(path))
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'"X-CSRFToken": "([^"]+)"', page
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def test_a_form_without_a_csrf_token_is_refused_and_nothing_is_saved(client, session, csrf_enabled):
    user = make_user(display_name="Before")
    login_as(client, user)
    response = client.post("/account", data={"display_name": "After", "pronouns": "", "access_needs": ""})
    assert response.status_code == 400
    body = text(response)
    assert "The form had expired or was sent from somewhere else" in body
    assert "Nothing was saved" in body
    session.expire_all()
    assert session.get(User, user.id).display_name == "Before"


def test_a_form_with_a_wrong_csrf_token_is_refused(client, session, csrf_enabled):
    alliance = make_alliance(name="Kept")
    login_as(client, alliance.memberships[0].user)
    response = client.post(
        f"/alliances/{alliance.slug}/edit",
        data={"csrf_token": "forged", "name": "Changed", "purpose": "x", "outcomes": "y", "visibility": "public"},
    )
    assert response.status_code == 400
    session.expire_all()
    assert alliance.name == "Kept"


def test_a_form_with_its_csrf_token_is_accepted(client, session, csrf_enabled):
    user = make_user(display_name="Before")
    login_as(client, user)
    token = _csrf_token(client, "/account")
    response = client.post("/account", data={"csrf_token": token, "display_name": "After"})
    assert response.status_code == 303
    session.expire_all()
    assert session.get(User, user.id).display_name == "After"


def test_sign_in_needs_a_csrf_token_too(client, session, csrf_enabled):
    user = make_user()
    assert sign_in(client, user.email).status_code == 400
    token = _csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"csrf_token": token, "email": user.email, "password": PASSWORD})
    assert response.status_code == 303


def test_htmx_request_sends_the_token_in_a_header(client, session, csrf_enabled):
    login_as(client, make_user())
    page = text(client.get("/account"))
    token = re.search(r'data-hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    ok = client.post(
        "/preview?field=purpose", data={"purpose": "**yes**"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert ok.status_code == 200
    assert "<strong>yes</strong>" in text(ok)

    refused = client.post("/preview?field=purpose", data={"purpose": "**no**"}, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    body = text(refused)
    assert '<div id="error-fragment"' in body
    assert "<html" not in body
    assert "The form had expired" in body
    wrong = client.post(
        "/preview?field=purpose", data={"purpose": "x"}, headers={"HX-Request": "true", "X-CSRFToken": "nope"}
    )
    assert wrong.status_code == 400


def test_htmx_invitation_without_a_token_sends_nothing(client, session, csrf_enabled, outbox):
    alliance = make_alliance()
    login_as(client, alliance.memberships[0].user)
    response = client.post(
        f"/alliances/{alliance.slug}/invitations",
        data={"email": "x@example.org", "role": "observer"},
        headers={"HX-Request": "true", "HX-Target": "invitation-form"},
    )
    assert response.status_code == 400
    assert outbox == []


# Configuration ---------------------------------------------------------------------------------


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    from config import ConfigError, load_config

    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        load_config({"COLLAB_ENV": "production", "COLLAB_INSTANCE_DIR": str(tmp_path)})
    config = load_config({"COLLAB_ENV": "production", "SECRET_KEY": "kq3V9x-Lr2mZ8tW1pB6nY4cJ7hD0sF5gA",
                          "COLLAB_INSTANCE_DIR": str(tmp_path),
                          "SIGNING_KEY": "pW4-kR7nQ2xLm9TzVb3YcH6eJs1Ud8Fa0G",
                          "AUDIT_KEY": "Hq2-vN8mX5kPz3RtWb7YcL1eGs4Jd9Ua6F"})  # trust keys
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"] and config["WTF_CSRF_SSL_STRICT"]
    assert not (tmp_path / "secret_key").exists()


def test_development_secret_is_made_once_and_kept_private(tmp_path):
    from config import load_config

    first = load_config({"COLLAB_INSTANCE_DIR": str(tmp_path)})["SECRET_KEY"]
    second = load_config({"COLLAB_INSTANCE_DIR": str(tmp_path)})["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_configuration_from_the_environment(tmp_path):
    from config import load_config

    env = {
        "COLLAB_INSTANCE_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://u:p@db.example:5432/collab",
        "REDIS_URL": "redis://cache.example:6379/0",
        "MAIL_SERVER": "smtp.example",
    }
    config = load_config(env)
    assert config["DATABASE_URL"] == "postgresql+psycopg://u:p@db.example:5432/collab"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache.example:6379/0"
    assert config["MAIL_BACKEND"] == "smtp"
    default = load_config({"COLLAB_INSTANCE_DIR": str(tmp_path)})
    assert default["DATABASE_URL"] == f"sqlite:///{tmp_path / 'collab.db'}"
    assert default["RATELIMIT_STORAGE_URI"] == "memory://"
    assert default["MAIL_BACKEND"] == "console"


# Several app instances share their login limits through Redis ------------------------------------

_INSTANCE = """
import json, sys
from collab import create_app
from collab.db import make_engine
database_url, redis_url, email, tries = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
app = create_app({
    "TESTING": True, "ENGINE": make_engine(database_url), "SECRET_KEY": "instance-test",
    "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": redis_url, "MAIL_BACKEND": "memory",
    "LOGIN_LIMIT_PER_ACCOUNT": "3 per 1 minute", "LOGIN_LIMIT_PER_IP": "100 per 1 minute",
})
client = app.test_client()
codes = [client.post("/sign-in", data={"email": email, "password": "wrong"}).status_code for _ in range(tries)]
print(json.dumps(codes))
"""


def _redis_url() -> str | None:
    import os

    url = os.environ.get("COLLAB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return None
    return url


def test_app_instances_share_login_limits_through_redis(tmp_path, app):
    """Two separate processes (like two gunicorn instances) count the same wrong passwords."""
    import json
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    from collab.db import make_engine
    from collab.migrate import upgrade

    redis_url = _redis_url()
    if redis_url is None:
        pytest.skip("no Redis at COLLAB_TEST_REDIS_URL / 127.0.0.1:6379")
    database_url = f"sqlite:///{tmp_path / 'instances.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    email = f"shared-{uuid.uuid4().hex[:10]}@example.org"
    root = Path(__file__).resolve().parent.parent
    env = {"PATH": "/usr/bin:/bin", "COLLAB_INSTANCE_DIR": str(tmp_path), "PYTHONPATH": str(root)}

    def instance(tries: int) -> list[int]:
        done = subprocess.run(
            [sys.executable, "-c", _INSTANCE, database_url, redis_url, email, str(tries)],
            capture_output=True, text=True, cwd=root, env=env, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    assert instance(2) == [422, 422]
    # The other instance has seen one more failure, then refuses: the count lives in Redis.
    assert instance(2) == [422, 429]
