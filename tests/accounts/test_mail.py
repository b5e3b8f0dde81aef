"""Email delivery: after the commit, printed in development, and a failure never undoes a saved change."""

from __future__ import annotations

import socket

from sqlalchemy import select

from collab.accounts.models import PasswordResetToken
from tests.factories import make_user


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_development_prints_the_email_to_the_console(app, client, session, capsys, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "console")
    make_user(email="console@example.org", display_name="Connie")
    response = client.post("/password/forgotten", data={"email": "console@example.org"})
    assert response.status_code == 200
    printed = capsys.readouterr().out
    assert "----- email -----" in printed
    assert "To: console@example.org" in printed
    assert "Subject: Reset your Collab password" in printed
    assert "Hello Connie," in printed
    assert "http://localhost/password/reset/" in printed


def test_an_email_that_cannot_be_sent_is_logged_and_the_change_is_kept(app, client, session, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _closed_port())
    user = make_user(email="unlucky@example.org")
    response = client.post("/password/forgotten", data={"email": user.email})
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    assert "Could not send email to unlucky@example.org" in caplog.text
    session.expire_all()
    assert session.scalar(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id)) is not None


def test_no_email_goes_out_when_the_change_is_rolled_back(app, client, session, outbox):
    """A form that fails after queuing an email sends nothing (emails wait for the commit)."""
    from collab.accounts import services

    make_user(email="queued@example.org")
    with app.test_request_context():
        services.start_password_reset(session, "queued@example.org")
        assert outbox == []
    session.rollback()
    assert outbox == []
