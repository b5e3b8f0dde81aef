"""Sign-in records are kept only while the sign-in lasts, even for people who never come back."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.accounts.jobs import purge_ended_sign_ins
from collab.accounts.models import PasswordResetToken, RememberToken, SignInSession
from collab.db import utcnow
from tests.factories import make_user


def test_ended_sessions_expired_tokens_and_old_reset_links_are_deleted_and_live_ones_kept(app, session):
    dee = make_user()
    now = utcnow()
    idle = app.config["SESSION_IDLE_MINUTES"]
    hours = app.config["SESSION_ABSOLUTE_HOURS"]
    session.add_all([
        SignInSession(user_id=dee.id, id_hash="a" * 64, created_at=now - timedelta(minutes=5), last_seen_at=now,
                      ip_address="192.0.2.1", user_agent="live"),
        SignInSession(user_id=dee.id, id_hash="b" * 64, created_at=now - timedelta(hours=1),
                      last_seen_at=now - timedelta(minutes=idle + 1), ip_address="192.0.2.2", user_agent="idle"),
        SignInSession(user_id=dee.id, id_hash="c" * 64, created_at=now - timedelta(hours=hours, minutes=1),
                      last_seen_at=now, ip_address="192.0.2.3", user_agent="too old"),
        RememberToken(user_id=dee.id, token_hash="d" * 64, family="f1", expires_at=now + timedelta(days=3),
                      used_at=now - timedelta(days=1)),
        RememberToken(user_id=dee.id, token_hash="e" * 64, family="f1", expires_at=now - timedelta(minutes=1)),
        PasswordResetToken(user_id=dee.id, token_hash="f" * 64, expires_at=now + timedelta(minutes=30)),
        PasswordResetToken(user_id=dee.id, token_hash="0" * 64, expires_at=now - timedelta(minutes=30)),
    ])
    session.commit()

    result = app.test_cli_runner().invoke(args=["run-job", "purge-ended-sign-ins"])
    assert result.exit_code == 0, result.output
    session.expire_all()

    assert session.scalars(select(SignInSession.user_agent)).all() == ["live"]
    # A used token stays until it expires, so a replayed copy is still recognised.
    assert session.scalars(select(RememberToken.token_hash)).all() == ["d" * 64]
    assert session.scalars(select(PasswordResetToken.token_hash)).all() == ["f" * 64]
    with app.app_context():
        assert purge_ended_sign_ins() == 0
