"""For you: the page each person lands on after signing in, and the panel on each alliance home.

What needs you (nearest due first) and what changed since your last visit, gathered from every
area through ``collab.attention`` (each area registers its provider in its own ``init_app``).
This area keeps only when each person last looked, so "since your last visit" means something.
"""

from flask import Blueprint, Flask

bp = Blueprint("foryou", __name__)


def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint."""
    from collab import revisions
    from collab.foryou import routes  # noqa: F401  (its routes register on import)
    from collab.foryou.models import AttentionVisit

    # Page cache (issue 10): a visit shows on no cached page (the alliance panel is fetched apart).
    revisions.private(AttentionVisit)

    app.register_blueprint(bp)
