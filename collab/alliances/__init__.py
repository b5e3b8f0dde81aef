"""Alliances: organisations, alliances, membership, invitations and activity."""

from flask import Blueprint, Flask

from collab.permissions import grant_roles

bp = Blueprint("alliances", __name__)

from collab.alliances import activity, routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint, and its roles' permissions."""
    from collab.alliances.permissions import ROLE_PERMISSIONS

    grant_roles(ROLE_PERMISSIONS)
    app.register_blueprint(bp)
