"""Accounts: signing in and out, passwords, profiles."""

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__)



def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint."""
    from collab.accounts import routes, two_step_routes  # noqa: F401  (their routes and hook-ups register on import)

    app.register_blueprint(bp)
