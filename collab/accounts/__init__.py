"""Accounts: signing in and out, passwords, profiles."""

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__)



def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint and the job that forgets ended sign-ins."""
    from collab.accounts import jobs, routes, two_step_routes  # noqa: F401  (their routes and hook-ups register on import)
    from collab.jobs import register_periodic

    register_periodic(
        "purge-ended-sign-ins", jobs.purge_ended_sign_ins, "17 * * * *",
        "delete the records of sign-ins that have ended (the privacy notice's promise)",
    )

    app.register_blueprint(bp)
    # Page cache (issue 10): what a person's row shows on pages; their sessions and tokens show nowhere.
    from collab import revisions
    from collab.accounts.models import PasswordResetToken, RememberToken, SignInSession, User
    from collab.accounts.two_step_models import RecoveryCode, TwoStep

    revisions.site_wide(User, ignore=["password_hash", "session_version", "last_login_at"])
    revisions.private(PasswordResetToken, RememberToken, SignInSession, TwoStep, RecoveryCode)
