"""The page cache: heavy GET pages of an alliance kept whole, keyed by everything they show.

A route opts in with ``@cached_page(Permission.X)``, right under its ``@bp.get`` and above
``@login_required`` (so that the revisions are read before the person is loaded).
Only pages whose every input is in the key may: ``tests/test_page_cache.py`` compares each
cached page with a fresh rendering after random writes by random people.

The key of a page is made of:

- the address (path and query string), the htmx headers that pick a fragment, the host;
- the person (their id and session version) and their unread notification count, or "anonymous";
- the revision of the alliance in the address, of every alliance the person belongs to (the
  header's switcher names them; membership decides what they may see) and of the site (people's
  names, organisations): see ``collab.revisions``, which bumps them in the unit of work;
- today's date in UTC (a consultation opens and closes by date);
- the code and templates of this build (instances sharing one Redis may run different builds).

The revisions are read by the first statement of the request, before anything the page shows,
so a page is never stored under a key older than its data. The CSRF token is the one part of a
page that is not in the key: it is cut out before the page is stored and the reader's own is put
back. Nothing is served or stored while a flashed message is waiting, and only 200 responses
are stored.

Pages are kept in Redis when ``REDIS_URL`` is set (shared by every instance, expiring after
``PAGE_CACHE_SECONDS``), otherwise in this process's memory, at most ``PAGE_CACHE_MAX_BYTES``
(least recently used first out). ``PAGE_CACHE = False`` turns it off.

Conditional requests: each cached page carries a weak ``ETag`` made from its key and the
browser's CSRF token, so a repeat view answers ``304 Not Modified`` without rendering anything.
Signed-in pages say ``Cache-Control: private, no-cache`` (the browser keeps them but asks every
time); a public alliance's pages seen by someone not signed in say ``public, no-cache`` with
``Vary: Cookie``, so a shared proxy may keep them and revalidate.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import text

from collab.db import db, request_cache, sees_uncommitted_writes

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

#: Stands in for the CSRF token in a stored page.
CSRF_HOLE = "\x00collab-csrf\x00"
_FORMAT = "page-v1"


class Store(Protocol):
    def get(self, key: str) -> bytes | None: ...
    def set(self, key: str, value: bytes) -> None: ...
    def clear(self) -> None: ...


class MemoryStore:
    """Pages in this process's memory, least recently used out first beyond ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._items[key] = value
            self.size += len(value)
            while self.size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0

    def __len__(self) -> int:
        return len(self._items)


class RedisStore:
    """Pages in Redis, shared by every instance; each expires after ``seconds``."""

    def __init__(self, url: str, seconds: int, prefix: str = "collab:page:") -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.seconds = seconds
        self.prefix = prefix

    def get(self, key: str) -> bytes | None:
        try:
            return cast("bytes | None", self.client.get(self.prefix + key))
        except Exception:  # noqa: BLE001 - Redis down: render the page instead
            log.warning("page cache: Redis is not answering; pages are rendered without it", exc_info=True)
            return None

    def set(self, key: str, value: bytes) -> None:
        try:
            self.client.set(self.prefix + key, value, ex=self.seconds)
        except Exception:  # noqa: BLE001
            log.warning("page cache: Redis is not answering; the page was not kept", exc_info=True)

    def clear(self) -> None:
        try:
            for key in self.client.scan_iter(self.prefix + "*", count=500):
                self.client.delete(key)
        except Exception:  # noqa: BLE001
            log.warning("page cache: could not clear Redis", exc_info=True)


def _build_version() -> str:
    """A hash of this build's code and templates."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder, pattern in ((root / "collab", "*.py"), (root / "templates", "*.html")):
        for path in sorted(folder.rglob(pattern)):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class PageCache:
    def __init__(self, store: Store, enabled: bool = True) -> None:
        self.store = store
        self.enabled = enabled
        self.version = _build_version()
        self.hits = 0
        self.misses = 0


#: slug -> the alliance (registered by the alliances area, which core does not import).
_alliance_loader: Callable[[str], Any] | None = None


def register_alliance_loader(loader: Callable[[str], Any]) -> None:
    """The alliances area hands over how to find an alliance by its slug."""
    global _alliance_loader
    _alliance_loader = loader


def init_app(app: Flask) -> None:
    app.config.setdefault("PAGE_CACHE", os.environ.get("PAGE_CACHE", "on").lower() not in ("0", "off", "false", "no"))
    app.config.setdefault("PAGE_CACHE_MAX_BYTES", 64 * 1024 * 1024)
    app.config.setdefault("PAGE_CACHE_SECONDS", 24 * 3600)
    url = app.config.get("PAGE_CACHE_REDIS_URL", app.config.get("REDIS_URL"))
    store: Store = (
        RedisStore(url, app.config["PAGE_CACHE_SECONDS"]) if url else MemoryStore(app.config["PAGE_CACHE_MAX_BYTES"])
    )
    app.extensions["page_cache"] = PageCache(store, enabled=bool(app.config["PAGE_CACHE"]))


def cache_of(app: Flask | None = None) -> PageCache | None:
    return cast("PageCache | None", (app or current_app).extensions.get("page_cache"))


# The key -------------------------------------------------------------------------------------

_REVISIONS_SQL = text(
    "SELECT alliance_id, revision FROM alliance_revision WHERE alliance_id = 0 "
    "OR alliance_id IN (SELECT id FROM alliance WHERE slug = :slug) "
    "OR alliance_id IN (SELECT alliance_id FROM membership WHERE user_id = :uid)"
)


def _claimed_user_id() -> int:
    """The person the session cookie names (checked later, when the user is loaded), or 0."""
    raw = session.get("_user_id")
    try:
        return int(str(raw).split(":", 1)[0]) if raw else 0
    except ValueError:
        return 0


def _key(alliance_id: int, revisions: dict[int, int], cache: PageCache, moment: str = "") -> str:
    if current_user.is_authenticated:
        who = f"{current_user.get_id()}|{request_cache().get('unread_notifications', '?')}"
    else:
        who = "anonymous"
    parts = [
        _FORMAT, cache.version, request.scheme, request.host, request.path, request.query_string.decode("latin-1"),
        request.headers.get("HX-Request", ""), request.headers.get("HX-Target", ""),
        request.headers.get("HX-Boosted", ""), request.headers.get("HX-Trigger", ""),
        who, str(alliance_id), ",".join(f"{a}={r}" for a, r in sorted(revisions.items())),
        datetime.now(UTC).date().isoformat(), moment,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _etag(key: str) -> str:
    token = session.get("csrf_token", "")
    return hashlib.sha256(f"{key}|{token}".encode()).hexdigest()[:32]


def _pack(response: Response) -> bytes:
    vary = ",".join(response.vary)
    return f"{response.content_type}\n{vary}\n".encode() + response.get_data()


def _unpack(stored: bytes) -> tuple[str, str, bytes]:
    content_type, vary, body = stored.split(b"\n", 2)
    return content_type.decode(), vary.decode(), body


def _with_csrf(body: bytes) -> bytes:
    hole = CSRF_HOLE.encode()
    return body.replace(hole, generate_csrf().encode()) if hole in body else body


def _finish(response: Response, etag: str) -> Response:
    response.set_etag(etag, weak=True)
    response.vary.add("Cookie")
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = "public, no-cache"
    g.cache_control_set = True
    return response


def cached_page(permission: Any, *, changes_at: Callable[[Any], Any] | None = None) -> Callable[[F], F]:
    """Keep this GET page of an alliance (the ``slug`` in its address) in the page cache.

    ``permission`` is checked before a kept page is served, so nobody gets a page the route
    itself would refuse them (the route still checks everything when it renders).

    A page that changes with the time of day, not only with writes and the date, names
    ``changes_at(alliance)``: the next moment the passing of time alone changes the page (for
    example, the end of the next booking that then counts as given), or None. It is part of the
    key, read before the page is rendered: once that moment has passed the key is another one,
    so the kept page is neither served nor answered with a 304.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            cache = cache_of()
            if (
                cache is None or not cache.enabled or request.method not in ("GET", "HEAD")
                or "_flashes" in session or _alliance_loader is None
            ):
                return view(*args, **kwargs)
            if "_login_user" in g or sees_uncommitted_writes(db.session):
                # The person was loaded before the revisions were read (their name could be older
                # than the key), or the data may yet be rolled back: neither kept nor served.
                return view(*args, **kwargs)
            slug = kwargs["slug"]
            # First statement of the page: the revisions, before any data the page shows.
            rows = db.session.execute(_REVISIONS_SQL, {"slug": slug, "uid": _claimed_user_id()})
            revisions: dict[int, int] = {int(row[0]): int(row[1]) for row in rows.all()}
            from collab.security import can, my_memberships

            # A member's alliances came with their memberships (one statement for the header too).
            alliance = next((m.alliance for m in my_memberships(current_user) if m.alliance.slug == slug), None)
            if alliance is None:
                alliance = _alliance_loader(slug)

            if alliance is None or not can(permission, alliance):
                return view(*args, **kwargs)  # the route answers 404, 403 or sign in
            if current_user.is_authenticated and "unread_notifications" not in request_cache():
                return view(*args, **kwargs)  # signed in from a remember-me cookie: the count is not known yet
            key = _key(alliance.id, revisions, cache, "" if changes_at is None else repr(changes_at(alliance)))
            etag = _etag(key)
            if request.if_none_match.contains_weak(etag):
                return _finish(make_response("", 304), etag)
            stored = cache.store.get(key)
            if stored is not None:
                cache.hits += 1
                content_type, vary, body = _unpack(stored)
                response = make_response(_with_csrf(body), 200)
                response.content_type = content_type
                for header in filter(None, vary.split(",")):
                    response.vary.add(header)
                return _finish(response, _etag(key))  # the token may be new
            cache.misses += 1
            response = make_response(view(*args, **kwargs))
            if (
                response.status_code == 200 and response.mimetype == "text/html" and not response.direct_passthrough
                and "_flashes" not in session and "Set-Cookie" not in response.headers
            ):
                token = g.get("csrf_token")  # what generate_csrf() put in this page, if it was called
                body = response.get_data()
                if token:
                    body = body.replace(token.encode(), CSRF_HOLE.encode())
                stored_response = Response(body, content_type=response.content_type)
                for header in response.vary:
                    stored_response.vary.add(header)
                cache.store.set(key, _pack(stored_response))
                return _finish(response, _etag(key))  # the token may be new
            return response

        return cast(F, wrapper)

    return decorate


def public_for_visitors(view: F) -> F:
    """A page anyone may see, always rendered afresh (a tamper check must look at the data every time).

    For someone not signed in it says ``public, no-cache`` with an ``ETag`` of its body and
    ``Vary: Cookie``: a shared proxy may keep it, and asks each time; an unchanged page is a 304.
    """

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response = make_response(view(*args, **kwargs))
        if (
            request.method in ("GET", "HEAD") and response.status_code == 200 and not current_user.is_authenticated
            and "Set-Cookie" not in response.headers and not session.modified and not response.direct_passthrough
        ):
            response.add_etag(weak=True)
            response.vary.add("Cookie")
            response.headers["Cache-Control"] = "public, no-cache"
            g.cache_control_set = True
            response.make_conditional(request)
        return response

    return cast(F, wrapper)
