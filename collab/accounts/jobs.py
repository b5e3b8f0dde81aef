"""The accounts area's background jobs: keeping sign-in records no longer than the privacy notice says.

The privacy notice promises that a record of a sign-in (its time, IP address and browser) is kept
while the sign-in lasts. A session ends after ``SESSION_IDLE_MINUTES`` without use or
``SESSION_ABSOLUTE_HOURS`` after it began; a request from it after that deletes it, but a person who
never comes back would leave it behind. This job deletes every ended session, every expired
"keep me signed in" token (a used token is kept until it expires, so that a replayed copy is still
recognised and ends its family) and every expired password-reset link. Running it twice, or twice
at once, is harmless: it only deletes what has ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_

from collab.accounts.models import PasswordResetToken, RememberToken, SignInSession
from collab.db import db, utcnow


def purge_ended_sign_ins(at: str | None = None) -> int:
    """Delete the records of sign-ins that have ended; returns how many rows went.

    ``at`` (an ISO time with its zone) runs it as if at that time.
    """
    now = datetime.fromisoformat(at) if at else utcnow()
    config = current_app.config
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=config["SESSION_ABSOLUTE_HOURS"])
    removed = 0
    for statement in (
        delete(SignInSession).where(
            or_(SignInSession.created_at <= now - absolute, SignInSession.last_seen_at <= now - idle)
        ),
        delete(RememberToken).where(RememberToken.expires_at <= now),
        delete(PasswordResetToken).where(PasswordResetToken.expires_at <= now),
    ):
        result = db.session.execute(statement.execution_options(synchronize_session=False))
        removed += int(result.rowcount or 0)  # type: ignore[attr-defined]
    db.session.commit()
    return removed
