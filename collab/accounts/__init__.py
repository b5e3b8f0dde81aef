"""Accounts: signing in and out, passwords, profiles."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from collab.accounts import routes, two_step_routes  # noqa: E402,F401
