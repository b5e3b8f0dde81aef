"""Accounts: signing in and out, passwords, profiles."""

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__)

from collab.accounts import routes, two_step_routes  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint."""
    app.register_blueprint(bp)
