"""Account rules: creating people, checking passwords, resetting them, ending sessions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from collab import audit
from collab.accounts.models import PasswordResetToken, User
from collab.db import utcnow
from collab.errors import DomainError
from collab.mail import external_url, send_after_commit
from collab.security import (
    burn_password_check,
    hash_password,
    hash_token,
    needs_rehash,
    new_token,
    verify_password,
)
from collab.security_log import log_event
from collab.timezone import format_datetime

#: zxcvbn's 0-4 score; 3 is "safely unguessable" for a site that stores passwords slowly hashed.
MIN_PASSWORD_SCORE = 3
#: zxcvbn judges only the first 72 characters: its time grows with the length it reads.
ZXCVBN_MAX_LENGTH = 72
WEAK_PASSWORD_MESSAGE = (
    "Choose a password that is harder to guess. This one is too common, or too close to your "
    "name or email address. A few unrelated words together make a strong password."
)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    session: Session,
    email: str,
    password: str,
    display_name: str,
    *,
    is_site_admin: bool = False,
    pronouns: str | None = None,
    check_strength: bool = False,
) -> User:
    """Create an account; the email must not be in use."""
    email = normalise_email(email)
    if check_strength:
        check_password_strength(password, user_inputs=[email, display_name])
    if find_by_email(session, email) is not None:
        raise DomainError("An account with that email address already exists. Sign in instead.", "email")
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        pronouns=pronouns,
        is_site_admin=is_site_admin,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this email and password, or None; equally slow either way."""
    user = find_by_email(session, email)
    if user is None or not user.is_active:
        burn_password_check(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def start_password_reset(
    session: Session, email: str, *, link_for: Callable[[str], str] | None = None, valid_hours: int | None = None
) -> None:
    """Email a single-use reset link if the address has an account; say nothing either way.

    ``link_for`` turns the token into the absolute link and ``valid_hours`` is how long it
    works (the route passes both; left out, they come from the application).
    """
    user = find_by_email(session, email)
    if user is None or not user.is_active:
        return
    token, token_hash = new_token()
    hours = valid_hours if valid_hours is not None else current_app.config["PASSWORD_RESET_HOURS"]
    session.add(
        PasswordResetToken(user=user, token_hash=token_hash, expires_at=utcnow() + timedelta(hours=hours))
    )
    session.flush()
    link = link_for(token) if link_for is not None else external_url(url_for("accounts.reset_password", token=token))
    send_after_commit(
        session,
        user.email,
        "Reset your Collab password",
        f"Hello {user.display_name},\n\n"
        f"Someone asked to reset the password for your Collab account.\n"
        f"To choose a new password, open this link within {hours} hours:\n\n{link}\n\n"
        "The link works once. If you did not ask for this, you can ignore this email: "
        "your password has not changed.\n",
    )


def valid_reset_token(session: Session, token: str) -> PasswordResetToken | None:
    """The unused, unexpired reset token matching ``token``, or None."""
    row = session.scalar(select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def reset_password(session: Session, token: str, new_password: str, *, forgotten_link: str | None = None) -> User:
    """Use a reset token once to set a new password; ends every session.

    ``forgotten_link`` is the absolute link to ask for another reset, for the email that tells
    the person (left out, it comes from the application).
    """
    row = valid_reset_token(session, token)
    if row is None:
        raise DomainError("This link has expired or has already been used. Ask for a new one.")
    # Mark it used only if nobody else did in the meantime: a token works exactly once.
    claimed = session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.id == row.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("This link has expired or has already been used. Ask for a new one.")
    user = row.user
    check_password_strength(new_password, user_inputs=[user.email, user.display_name])
    _set_password(session, user, new_password)
    audit.record(session, user, "account.password_reset", user, label=user.display_name)
    _tell_password_changed(session, user, "reset", forgotten_link)
    return user


def change_password(
    session: Session, user: User, current: str, new_password: str, *, forgotten_link: str | None = None
) -> None:
    """Change the password after checking the current one; ends every other session.

    ``forgotten_link`` is as for ``reset_password``.
    """
    if not verify_password(user.password_hash, current):
        raise DomainError("Your current password is not right", "current_password")
    check_password_strength(new_password, user_inputs=[user.email, user.display_name])
    _set_password(session, user, new_password)
    audit.record(session, user, "account.password_changed", user, label=user.display_name)
    _tell_password_changed(session, user, "changed", forgotten_link)


def check_password_strength(password: str, user_inputs: list[str] | None = None) -> None:
    """Refuse a password that is common or easy to guess (checked offline with zxcvbn's word lists)."""
    # Each input whole and in pieces: "rosa.lind@example.org" gives rosa.lind, rosa, lind, example...
    words: list[str] = []
    for given in user_inputs or []:
        if given:
            words += [given, given.split("@")[0], *re.split(r"[\s.@_+\-]+", given)]
    result = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=[word for word in words if len(word) > 2])
    if result["score"] >= MIN_PASSWORD_SCORE:
        return
    raise DomainError(WEAK_PASSWORD_MESSAGE, "password")


def _tell_password_changed(session: Session, user: User, how: str, forgotten_link: str | None) -> None:
    """Email the person, so that a change they did not make does not go unnoticed."""
    when = format_datetime(utcnow())
    link = forgotten_link or external_url(url_for("accounts.forgotten_password"))
    send_after_commit(
        session,
        user.email,
        "Your Collab password has been changed",
        f"Hello {user.display_name},\n\n"
        f"The password for your Collab account was {how} on {when}.\n"
        "You have been signed out on your other devices.\n\n"
        "If you did this, you do not need to do anything.\n\n"
        "If you did not, someone else may know your password. Choose a new one straight away "
        f"with this link, and tell the person who runs your alliance:\n\n{link}\n",
    )

def _set_password(session: Session, user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    # Any other reset link sent earlier stops working too: the password it would replace is gone.
    session.execute(
        update(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    end_all_sessions(session, user)


def end_all_sessions(session: Session, user: User) -> None:
    """Invalidate every session and remember-me cookie the user has."""
    from collab.accounts.signin import end_other_sessions

    user.session_version = (user.session_version or 1) + 1
    end_other_sessions(session, user)
    session.flush()


def update_profile(
    session: Session, user: User, *, display_name: str, pronouns: str | None, access_needs: str | None
) -> None:
    access_needs_changed = (user.access_needs or None) != (access_needs or None)
    user.display_name = display_name
    user.pronouns = pronouns or None
    user.access_needs = access_needs or None
    session.flush()
    if access_needs_changed:
        # Who saw or changed sensitive personal information is worth a security line (never the text).
        log_event("access-needs-changed", user_id=user.id, subject_user_id=user.id)
