"""Accounts: signing in and out, passwords, profiles."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from collab.accounts import routes  # noqa: E402,F401
from collab.accounts import two_step_routes  # noqa: E402,F401  (two-step sign-in, issue 7)
