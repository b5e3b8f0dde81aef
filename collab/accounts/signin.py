"""The one way a person becomes signed in, whichever door they came through.

Password sign-in, a second step, and accepting an invitation that creates an account all end
here, so that every rule about starting a session (a fresh session, nothing carried over from
before, the remember-me choice) lives in one place.
"""

from __future__ import annotations

from flask import session
from flask_login import login_user, logout_user

from collab.accounts.models import User


def complete_sign_in(user: User, *, remember: bool = False) -> None:
    """Start a fresh signed-in session for ``user`` in this browser."""
    session.clear()  # nothing carried over from before sign-in
    login_user(user, remember=remember)


def end_sign_in() -> None:
    """End the signed-in session in this browser, remember-me cookie included.

    The session is cleared *before* ``logout_user``: Flask-Login records in the session that
    the remember-me cookie must be deleted, and clearing afterwards would wipe that note and
    leave the cookie to sign the next person at this computer straight back in.
    """
    session.clear()
    logout_user()
