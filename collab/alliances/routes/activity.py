"""The alliance's activity page."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from collab.alliances import bp, views
from collab.alliances.access import load_alliance
from collab.security import Permission


@bp.get("/alliances/<slug>/activity")
@login_required
def activity(slug: str) -> str:
    """The alliance's audit trail, newest first, 25 to a page."""
    alliance = load_alliance(slug, Permission.ALLIANCE_ACTIVITY_VIEW)
    return render_template("alliances/activity.html", **views.activity_page(alliance))
