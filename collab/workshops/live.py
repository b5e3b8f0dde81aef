"""The live board's idle polls, answered before the application runs (issue 11: idle clients must be cheap).

Every open board asks ``.../board/live`` every 1.5 seconds with the ETag it has. Almost always
nothing has changed, and the answer is a bare ``304 Not Modified``. Going through Flask for it
(session check, the person, their memberships, the alliance, the workshop, the revision: seven
statements and 5-10 ms of CPU) made 200 idle boards slow every other page down by 90-100% on a
2-worker server. ``IdleBoardPolls`` is a WSGI middleware that answers those polls itself, with
one indexed SQL statement and no Flask request at all; anything it is not sure about goes on to
the application, which gives the full answer (the board, 401/404, a new sign-in ...).

Why a 304 from here is safe. The ETag is an HMAC (keyed with ``SECRET_KEY``) over the workshop,
its board revision, the person, their role in the alliance and their browser's sign-in session;
the board route makes the same tag (``etag_for``). Nobody can make one without the key, and a tag
only works for the browser session it was given to. A 304 is sent only when the one statement
finds, all at once:

- the sign-in session in the (signed) session cookie, not timed out, and not due its once-a-minute
  "last seen" update (the application does that, and answers the poll too);
- its account, active and with the session version in the cookie (signing out everywhere ends it);
- that person's membership of the alliance in the address, with a role that may see workshops;
- the workshop, in that alliance, at the revision the tag was made for.

So someone signed out, timed out, removed from the alliance or moved to another role gets the
application's own answer (sign in, 404, or a fresh board) on their very next poll, and a 304 tells
only what the person already knows: "nothing changed since the board you have".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import bindparam, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from collab.accounts.models import SignInSession, User
from collab.alliances.models import Alliance, Membership
from collab.db import utcnow
from collab.permissions import Permission, permissions_for_role
from collab.security import hash_token

#: The address of a board poll (the workshop id as the route's ``<int:...>`` accepts it).
POLL_PATH = re.compile(r"^/alliances/([a-z0-9-]{1,100})/workshops/([1-9][0-9]{0,9})/board/live$")

#: How often the application itself must see a poll: it writes "last seen" (the idle timeout) once a minute.
TOUCH_EVERY = timedelta(minutes=1)

_KEY_CONTEXT = b"collab workshop board etag v1|"


def _key(secret: str | bytes) -> bytes:
    raw = secret.encode() if isinstance(secret, str) else secret
    return hashlib.sha256(_KEY_CONTEXT + raw).digest()


def board_etag(key: bytes, workshop_id: int, revision: int, user_id: int, role: str, sid_hash: str) -> str:
    """The board's entity tag for one person in one browser session (quoted, as sent in ``ETag``)."""
    message = f"{workshop_id}|{revision}|{user_id}|{role}|{sid_hash}".encode()
    mac = base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()[:16]).rstrip(b"=").decode()
    return f'"b{workshop_id}.{revision}.{mac}"'


def etag_for(app: Flask, workshop_id: int, revision: int, user_id: int, role: str, sid: str | None) -> str:
    """The tag the board route sends; the middleware answers 304 to exactly this tag."""
    return board_etag(_key(app.secret_key or ""), workshop_id, revision, user_id, role,
                      hash_token(sid) if sid else "")


def _if_none_match(header: str) -> list[str]:
    return [value.strip() for value in header.split(",") if value.strip()][:8]


class IdleBoardPolls:
    """WSGI middleware: answer an unchanged board poll with 304 from one indexed statement, or pass it on."""

    def __init__(self, app: Flask, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.answered = 0  # polls answered here (for tests and the bench)
        self.passed = 0  # polls handed to the application
        self._serializer: tuple[Any, Any] | None = None
        self._autocommit: tuple[Engine, Engine] | None = None
        self._cached: tuple[Any, tuple[bytes, str, int, timedelta, timedelta, list[tuple[str, str]]]] | None = None

    # Set up from the app's configuration on first use (tests change SECRET_KEY after create_app).
    def _settings(self) -> tuple[bytes, str, int, timedelta, timedelta, list[tuple[str, str]]]:
        if self._cached is not None and self._cached[0] == self.app.secret_key:
            return self._cached[1]
        config = self.app.config
        headers = [*_every_response_headers(self.app), ("Vary", "Cookie, HX-Request, HX-Target")]
        settings = (
            _key(self.app.secret_key or ""), config["SESSION_COOKIE_NAME"],
            int(self.app.permanent_session_lifetime.total_seconds()),
            timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]),
            headers,
        )
        self._cached = (self.app.secret_key, settings)
        return settings

    def _read(self, params: dict[str, Any]) -> Any:
        """Run the statement on a connection of its own (no ORM session), or on the one the tests bind."""
        factory: sessionmaker[Session] = self.app.extensions["collab_db_session_factory"]
        bind = factory.kw["bind"]
        if not isinstance(bind, Engine):
            return bind.execute(_statement(), params).first()
        if bind.dialect.name == "postgresql":
            # One SELECT needs no transaction: in autocommit mode psycopg sends no BEGIN and no COMMIT
            # (set on the connection in the client; the pool puts it back as it was). Same pool.
            if self._autocommit is None or self._autocommit[0] is not bind:
                self._autocommit = (bind, bind.execution_options(isolation_level="AUTOCOMMIT"))
            with self._autocommit[1].connect() as connection:
                return connection.execute(_statement(), params).first()
        with bind.connect() as connection:
            row = connection.execute(_statement(), params).first()
            connection.commit()
        return row

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "GET" and environ.get("HTTP_IF_NONE_MATCH"):
            match = POLL_PATH.match(environ.get("PATH_INFO", ""))
            if match is not None:
                headers = self._unchanged(environ, match.group(1), int(match.group(2)))
                if headers is not None:
                    self.answered += 1
                    start_response("304 NOT MODIFIED", headers)
                    return []
                self.passed += 1
        return self.wsgi_app(environ, start_response)

    def _unchanged(self, environ: dict[str, Any], slug: str, workshop_id: int) -> list[tuple[str, str]] | None:
        """The 304's headers when the tag the browser sent is this person's for the board as it is now, else None."""
        key, cookie_name, max_age, idle, absolute, headers = self._settings()
        cookie = _cookie(environ.get("HTTP_COOKIE", ""), cookie_name)
        if not cookie:
            return None
        if self._serializer is None or self._serializer[0] != self.app.secret_key:
            made = self.app.session_interface.get_signing_serializer(self.app)  # type: ignore[attr-defined]
            if made is None:
                return None
            self._serializer = (self.app.secret_key, made)
        serializer = self._serializer[1]
        try:
            data = serializer.loads(cookie, max_age=max_age)
            sid, identity = str(data["_sid"]), str(data["_user_id"])
            user_id, version = (int(part) for part in identity.split(":", 1))
        except Exception:  # noqa: BLE001 - a bad, old or foreign cookie: the application decides
            return None
        if "_flashes" in data:
            return None  # a message is waiting to be shown: let the application see this request
        sid_hash = hash_token(sid)
        params = {"workshop_id": workshop_id, "slug": slug, "user_id": user_id, "sid_hash": sid_hash}
        try:
            row = self._read(params)
        except Exception:  # noqa: BLE001 - the database is busy or down: the application answers
            return None
        if row is None:
            return None
        revision, role, session_version, active, created_at, last_seen_at = row
        now = utcnow()
        if (
            session_version != version or not active or Permission.WORKSHOP_VIEW not in permissions_for_role(role)
            or created_at + absolute <= now or last_seen_at + idle <= now or last_seen_at + TOUCH_EVERY <= now
        ):
            return None
        etag = board_etag(key, workshop_id, revision or 0, user_id, str(role), sid_hash)
        if not any(hmac.compare_digest(etag, sent) for sent in _if_none_match(environ["HTTP_IF_NONE_MATCH"])):
            return None
        return [("ETag", etag), *headers]


_STATEMENT: Any = None


def _statement() -> Any:
    """The one statement (built once): each table reached by a unique or primary key."""
    global _STATEMENT
    if _STATEMENT is None:
        from collab.workshops.models import Workshop

        _STATEMENT = (
            select(Workshop.board_revision, Membership.role, User.session_version, User.is_active_account,
                   SignInSession.created_at, SignInSession.last_seen_at)
            .select_from(Workshop)
            .join(Alliance, Alliance.id == Workshop.alliance_id)
            .join(Membership, (Membership.alliance_id == Alliance.id) & (Membership.user_id == bindparam("user_id")))
            .join(User, User.id == Membership.user_id)
            .join(SignInSession, SignInSession.user_id == User.id)
            .where(Workshop.id == bindparam("workshop_id"), Alliance.slug == bindparam("slug"),
                   SignInSession.id_hash == bindparam("sid_hash"))
        )
    return _STATEMENT


def _every_response_headers(app: Flask) -> list[tuple[str, str]]:
    """The headers the application's after-request hooks put on a board poll (security headers, no-store)."""
    with app.test_request_context("/alliances/a/workshops/1/board/live"):
        response = app.process_response(app.response_class(status=304))
    skip = {"content-type", "content-length", "set-cookie", "vary"}
    return [(name, value) for name, value in response.headers.items() if name.lower() not in skip]


def _cookie(header: str, name: str) -> str | None:
    """One cookie's value from a Cookie header (Flask's session cookie needs no unquoting)."""
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value.strip('"')
    return None


def init_app(app: Flask) -> None:
    """Put the middleware in front of the application."""
    app.wsgi_app = IdleBoardPolls(app, app.wsgi_app)  # type: ignore[method-assign]
    app.extensions["idle_board_polls"] = app.wsgi_app
