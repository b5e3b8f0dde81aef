"""The one way a person becomes signed in, whichever door they came through, and stays so.

Password sign-in, a second step, and accepting an invitation that creates an account all end
in ``complete_sign_in``, so that every rule about starting a session lives in one place:

- Each signed-in browser has a row in ``sign_in_session``. The browser's (signed) session
  cookie holds a random id (``_sid``); the database holds only its SHA-256. Deleting the row
  ends that session wherever the cookie has been copied to.
- A session ends after ``SESSION_IDLE_MINUTES`` without a request (``last_seen_at`` is written
  at most once a minute, not on every request) and ``SESSION_ABSOLUTE_HOURS`` after sign-in.
- "Keep me signed in" sets our own cookie (``REMEMBER_COOKIE_NAME``) holding a random token,
  stored hashed in ``remember_token``, valid for ``REMEMBER_COOKIE_DURATION``. Each use swaps it
  for a new one; an already-used token coming back means it was copied, so every token of that
  sign-in (its family) is deleted. Flask-Login's own remember-me cookie is not used.
- ``session_version`` on the user is still part of Flask-Login's id: bumping it (with
  ``end_all_sessions``) ends every session even before its row is looked at.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Response, current_app, flash, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import Executable

from collab.accounts.models import RememberToken, SignInSession, User
from collab.db import db, utcnow
from collab.security import hash_token
from collab.security_log import log_event

#: How often ``last_seen_at`` is written: enough for an idle timeout counted in minutes.
TOUCH_EVERY = timedelta(minutes=1)

#: Keys Flask-Login and we keep in the Flask session for a signed-in person.
_SIGN_IN_KEYS = ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds", "_sid")


# Rows -----------------------------------------------------------------------------------


def create_session_row(dbs: Session, user: User) -> str:
    """Add a sign-in session row for ``user``; return the raw id for the browser (not committed)."""
    return _add_session_row(dbs, user)[0]


def _add_session_row(dbs: Session, user: User) -> tuple[str, SignInSession]:
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    agent = ip = None
    from flask import has_request_context

    if has_request_context():
        from collab.extensions import client_ip

        agent = (request.user_agent.string or "")[:200] or None
        ip = client_ip()[:45]
    row = SignInSession(user_id=user.id, id_hash=hash_token(raw), created_at=now, last_seen_at=now,
                        user_agent=agent, ip_address=ip)
    dbs.add(row)
    dbs.flush()
    return raw, row


def _expiry_message(row: SignInSession, now: datetime) -> str | None:
    """Why this session has ended (in words for the person), or None if it has not."""
    config = current_app.config
    minutes, hours = config["SESSION_IDLE_MINUTES"], config["SESSION_ABSOLUTE_HOURS"]
    if row.created_at + timedelta(hours=hours) <= now:
        return f"You were signed out because you signed in more than {hours} hours ago. Sign in again to carry on."
    if row.last_seen_at + timedelta(minutes=minutes) <= now:
        return (
            f"You were signed out because Collab had not been used for {minutes} minutes. "
            "Sign in again to carry on."
        )
    return None


def _new_remember_token(dbs: Session, user: User, family: str | None = None) -> str:
    raw = secrets.token_urlsafe(32)
    dbs.add(
        RememberToken(
            user_id=user.id,
            token_hash=hash_token(raw),
            family=family or secrets.token_hex(16),
            expires_at=utcnow() + current_app.config["REMEMBER_COOKIE_DURATION"],
        )
    )
    dbs.flush()
    return raw


def end_other_sessions(dbs: Session, user: User) -> None:
    """Delete every sign-in session and remember-me token of ``user`` (the caller starts a new one if needed)."""
    dbs.execute(delete(SignInSession).where(SignInSession.user_id == user.id))
    dbs.execute(delete(RememberToken).where(RememberToken.user_id == user.id))


# Starting and ending ---------------------------------------------------------------------


def complete_sign_in(user: User, *, remember: bool = False, how: str = "password") -> None:
    """Start a fresh signed-in session for ``user`` in this browser, and COMMIT.

    It commits the request's database session itself, because the session row must exist
    before the browser uses its cookie: call it last, after the route's own changes are
    committed (or as the route's commit), then redirect.
    """
    previous = session.get("_sid")
    if previous:  # someone else was signed in at this browser: their session ends here
        db.session.execute(delete(SignInSession).where(SignInSession.id_hash == hash_token(previous)))
    session.clear()  # nothing carried over from before sign-in
    raw, g.sign_in_session = _add_session_row(db.session, user)
    if remember:
        g.set_remember_token = _new_remember_token(db.session, user)
    db.session.commit()
    session["_sid"] = raw
    login_user(user, remember=False)  # our own remember-me cookie, not Flask-Login's
    log_event("sign-in", user_id=user.id, how=how, remember=remember)


def end_sign_in() -> None:
    """End the signed-in session in this browser, remember-me token included, and COMMIT.

    The server-side row goes, so a copy of the cookie stops working too. The session is
    cleared *before* ``logout_user``, which then finds nothing left to carry over.
    """
    from flask_login import current_user

    user_id = current_user.id if current_user.is_authenticated else None
    raw = session.get("_sid")
    if raw:
        db.session.execute(delete(SignInSession).where(SignInSession.id_hash == hash_token(raw)))
    token = request.cookies.get(current_app.config["REMEMBER_COOKIE_NAME"])
    if token:
        row = db.session.scalar(select(RememberToken).where(RememberToken.token_hash == hash_token(token)))
        if row is not None:
            db.session.execute(delete(RememberToken).where(RememberToken.family == row.family))
        g.clear_remember_token = True
    db.session.commit()
    g.sign_in_session = None
    session.clear()
    logout_user()
    if user_id is not None:
        log_event("sign-out", user_id=user_id)


# Every request ---------------------------------------------------------------------------


def current_session_row(user: User) -> SignInSession | None:
    """The checked sign-in session of this request, if it belongs to ``user`` (for the user loader)."""
    row = g.get("sign_in_session")
    return row if row is not None and row.user_id == user.id else None


#: Built once (speed, issue 10): every request runs it, and building it costs more than running it.
_SESSION_BY_HASH = select(SignInSession).where(SignInSession.id_hash == bindparam("id_hash"))


def _check_session() -> None:
    """Before each request: keep, touch, end or restore (from remember-me) this browser's session."""
    if request.endpoint == "static":
        return
    now = utcnow()
    raw = session.get("_sid")
    row = None
    if raw:
        row = db.session.scalar(_SESSION_BY_HASH, {"id_hash": hash_token(raw)})
        message = _expiry_message(row, now) if row is not None else None
        if row is not None and message:
            db.session.delete(row)
            _commit_quietly()
            log_event("session-expired", user_id=row.user_id)
            row = None
            if not request.cookies.get(current_app.config["REMEMBER_COOKIE_NAME"]):
                flash(message, "info")
    if row is None:
        if any(key in session for key in _SIGN_IN_KEYS):
            for key in _SIGN_IN_KEYS:
                session.pop(key, None)
        row = _restore_from_remember_token(now)
    elif row.last_seen_at + TOUCH_EVERY <= now and _commit_quietly(
        update(SignInSession).where(SignInSession.id == row.id).values(last_seen_at=now)
    ):
        row.last_seen_at = now
    g.sign_in_session = row


def _commit_quietly(statement: Executable | None = None) -> bool:
    """Run ``statement`` (if any) and commit the bookkeeping; if the database is busy it can wait.

    On SQLite two requests of one browser can touch its session at once, and the second finds the
    database locked, whether at the UPDATE or at the COMMIT: the page must still be served. Returns
    whether it was written.
    """
    try:
        if statement is not None:
            db.session.execute(statement)
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        return False
    return True


def _restore_from_remember_token(now: datetime) -> SignInSession | None:
    name = current_app.config["REMEMBER_COOKIE_NAME"]
    token = request.cookies.get(name)
    if not token:
        return None
    g.clear_remember_token = True  # unless it is swapped for a new one below
    token_row = db.session.scalar(select(RememberToken).where(RememberToken.token_hash == hash_token(token)))
    if token_row is None:
        return None
    if token_row.used_at is not None:
        # A used token came back: someone kept a copy. End every token of that sign-in.
        db.session.execute(delete(RememberToken).where(RememberToken.family == token_row.family))
        _commit_quietly()
        log_event("remember-token-replayed", user_id=token_row.user_id)
        return None
    user = token_row.user
    if token_row.expires_at <= now or not user.is_active:
        db.session.delete(token_row)
        _commit_quietly()
        return None
    claimed = db.session.execute(
        update(RememberToken)
        .where(RememberToken.id == token_row.id, RememberToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return None
    g.set_remember_token = _new_remember_token(db.session, user, family=token_row.family)
    g.clear_remember_token = False
    raw, row = _add_session_row(db.session, user)
    db.session.commit()
    session["_sid"] = raw
    login_user(user, remember=False)
    log_event("sign-in", user_id=user.id, how="remember-me")
    return row


def _set_remember_cookie(response: Response) -> Response:
    """After each request: write or delete our remember-me cookie as the request decided."""
    if request.endpoint == "static":
        return response
    config = current_app.config
    name = config["REMEMBER_COOKIE_NAME"]
    options: dict[str, Any] = {
        "path": "/",
        "secure": config.get("REMEMBER_COOKIE_SECURE", False),
        "httponly": True,
        "samesite": config.get("REMEMBER_COOKIE_SAMESITE", "Lax"),
    }
    token = g.get("set_remember_token")
    if token:
        duration: timedelta = config["REMEMBER_COOKIE_DURATION"]
        response.set_cookie(name, token, max_age=int(duration.total_seconds()), expires=utcnow() + duration, **options)
    elif g.get("clear_remember_token"):
        response.delete_cookie(name, **options)
    return response


def init_app(app: Flask) -> None:
    """Check this browser's session on every request (after Flask-Login's per-request reset)."""
    app.before_request(_check_session)
    app.after_request(_set_remember_cookie)
