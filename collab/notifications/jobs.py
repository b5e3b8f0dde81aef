"""The notifications area's background jobs (collab/jobs.py runs them, each in a fresh session).

Each is safe to run twice, or twice at once: emails and digests are claimed in the database
before they are sent (see the services they call).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from collab.accounts.models import User
from collab.db import db, utcnow
from collab.notifications import services
from collab.notifications.models import EmailFrequency


def email_notifications(notification_ids: list[int]) -> None:
    """Email these notifications, one email each (queued by notify after its commit)."""
    services.email_notifications(db.session, notification_ids)


def _send_digests(frequency: EmailFrequency, at: str | None) -> int:
    now = datetime.fromisoformat(at) if at else utcnow()
    sent = 0
    for user_id in services.digest_people(db.session, frequency):
        user = db.session.scalar(select(User).where(User.id == user_id))
        if user is None:
            continue
        digest = services.send_digest(db.session, user, frequency, now)
        # One commit per person: the claim is saved before the email goes (after this commit),
        # and one person's failure does not undo another's digest.
        db.session.commit()
        if digest is not None and digest.sent_at is not None:
            sent += 1
    return sent


def send_daily_digests(at: str | None = None) -> int:
    """Send today's digest to everyone who chose a daily summary; returns how many emails went.

    ``at`` (an ISO time with its zone) runs it as if at that time: the period is that day's.
    """
    return _send_digests(EmailFrequency.DAILY, at)


def send_weekly_digests(at: str | None = None) -> int:
    """Send this week's digest to everyone who chose a weekly summary; returns how many emails went."""
    return _send_digests(EmailFrequency.WEEKLY, at)
