"""Loading the alliance a URL names, for every area's routes."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from collab.alliances.models import Alliance
from collab.alliances.services import get_alliance
from collab.db import db
from collab.extensions import login_manager
from collab.security import Permission, require


def load_alliance(slug: str, permission: Permission = Permission.ALLIANCE_VIEW) -> Alliance:
    """The alliance in the URL, or stop the request.

    404 when it does not exist or you cannot see it; someone not signed in is sent to
    sign in instead, so that a missing alliance and a private one look the same. 403
    when you can see the alliance but your role does not allow ``permission``.
    """
    alliance = get_alliance(db.session, slug)
    if alliance is None:
        if not current_user.is_authenticated:
            abort(login_manager.unauthorized())
        abort(404)
    require(permission, alliance)
    return alliance
