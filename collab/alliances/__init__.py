"""Alliances: organisations, alliances, membership, invitations and activity."""

from flask import Blueprint, Flask

from collab.permissions import grant_roles

bp = Blueprint("alliances", __name__)



def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint, and its roles' permissions."""
    from collab.alliances.permissions import ROLE_PERMISSIONS

    grant_roles(ROLE_PERMISSIONS)
    from collab.alliances import activity, routes  # noqa: F401  (their routes and hook-ups register on import)
    from collab.alliances.attention import alliance_items
    from collab.attention import register_items

    register_items("alliances", alliance_items)

    app.register_blueprint(bp)
