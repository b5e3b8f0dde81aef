"""In-app notifications with optional email, shared by every area.

An area registers the kinds of notification it sends, once, at import time::

    from collab.notifications.kinds import register_kind
    register_kind("spec_comment_answered", "A comment you made was answered",
                  "When a commissioner answers a comment you made on a specification.")

and, inside a service, calls ``collab.notifications.services.notify(session, users, kind, title, body=..., url=..., alliance=...)``.
That adds a row per person (shown in the header count and on /notifications) and queues an
email for each person who has not switched that kind off on /notifications/settings. Emails
go out only after the transaction commits (``collab.mail.send_after_commit``).
"""

from flask import Blueprint, Flask

bp = Blueprint("notifications", __name__)



def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint."""
    from collab.notifications import routes  # noqa: F401  (their routes and hook-ups register on import)

    app.register_blueprint(bp)
    # Page cache (issue 10): notifications are personal; the unread count is part of the cache key.
    from collab import revisions
    from collab.notifications.models import Notification, NotificationPreference

    revisions.private(Notification, NotificationPreference)
