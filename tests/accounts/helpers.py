"""Helpers for the account tests: signing in through the form, cookies, security events."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from flask.testing import FlaskClient

from collab.db import utcnow
from tests.factories import PASSWORD

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
