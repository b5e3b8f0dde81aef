"""Oversized requests are refused with a 413 and a plain message, before the body is read."""

from __future__ import annotations

import io

from tests.factories import login_as, make_user


class _Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    read_called = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        _Unreadable.read_called = True
        raise AssertionError("the oversized body was read")


def test_limits_are_configured(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    assert app.config["MAX_FORM_MEMORY_SIZE"] == 1024 * 1024


def test_an_oversized_body_is_refused_before_it_is_read(client, session):
    login_as(client, make_user())
    _Unreadable.read_called = False
    response = client.post(
        "/preview?field=purpose",
        environ_overrides={
            "wsgi.input": _Unreadable(),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(3 * 1024 * 1024),
        },
    )
    assert response.status_code == 413
    assert not _Unreadable.read_called
    body = response.get_data(as_text=True)
    assert "That is too large to send" in body
    assert "larger than 2 MB" in body and "nothing was saved" in body


def test_an_oversized_form_post_gets_the_friendly_page(client, session):
    response = client.post("/sign-in", data={"email": "a@example.org", "password": "x" * (2 * 1024 * 1024 + 1)})
    assert response.status_code == 413
    assert "larger than 2 MB" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


def test_one_huge_multipart_field_under_the_body_limit_is_refused_too(client, session):
    # MAX_FORM_MEMORY_SIZE: a single non-file field of a multipart form is held in memory.
    boundary = "collab-test-boundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@example.org\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n"
        + "x" * (1024 * 1024 + 10)
        + f"\r\n--{boundary}--\r\n"
    ).encode()
    response = client.post(
        "/sign-in",
        environ_overrides={
            "wsgi.input": io.BytesIO(body),
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            "CONTENT_LENGTH": str(len(body)),
        },
    )
    assert response.status_code == 413


def test_a_normal_form_still_works(client, session):
    response = client.post("/sign-in", data={"email": "nobody@example.org", "password": "wrong password"})
    assert response.status_code == 422
