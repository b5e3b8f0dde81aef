"""In-app notifications with optional email, shared by every area.

An area registers the kinds of notification it sends, once, at import time::

    from collab.notifications.kinds import register_kind
    register_kind("spec_comment_answered", "A comment you made was answered",
                  "When a commissioner answers a comment you made on a specification.")

and, inside a service, calls ``collab.notifications.services.notify(session, users, kind, title, body=..., url=..., alliance=...)``.
That adds a row per person (shown in the header count and on /notifications). People choose on
/notifications/settings which kinds also come by email, and how often: each one (a job on the
queue emails it after the transaction commits), a daily or weekly digest (periodic jobs), or never.
Reminders ("closes in three days") are claimed with ``services.claim_reminders`` so each goes once.
"""

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__)

#: When the digests go out (UTC): daily at 07:00, weekly on Mondays at 07:00.
DAILY_DIGEST_CRON = "0 7 * * *"
WEEKLY_DIGEST_CRON = "0 7 * * 1"


def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint and its periodic jobs (the digests)."""
    from collab.jobs import register_periodic
    from collab.notifications import jobs, routes  # noqa: F401  (their routes and hook-ups register on import)

    register_periodic(
        "daily-digest", jobs.send_daily_digests, DAILY_DIGEST_CRON, "daily summary emails of unseen notifications"
    )
    register_periodic(
        "weekly-digest", jobs.send_weekly_digests, WEEKLY_DIGEST_CRON, "weekly summary emails of unseen notifications"
    )
    app.register_blueprint(bp)
    # Page cache (issue 10): notifications are personal; the unread count is part of the cache key.
    from collab import revisions
    from collab.notifications.models import (
        EmailSetting,
        Notification,
        NotificationDigest,
        NotificationPreference,
        SentReminder,
    )

    revisions.private(Notification, NotificationPreference, EmailSetting, NotificationDigest, SentReminder)
