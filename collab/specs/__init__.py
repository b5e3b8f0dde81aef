"""Service specifications: drafted together, commented on paragraph by paragraph, answered in "you said, we did"."""

from flask import Blueprint, Flask

from collab.permissions import grant_roles

bp = Blueprint("specs", __name__)


def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint, and its roles' permissions."""
    from collab.specs.permissions import ROLE_PERMISSIONS

    grant_roles(ROLE_PERMISSIONS)
    from collab.specs import activity, routes  # noqa: F401  (their routes and hook-ups register on import)

    app.register_blueprint(bp)
