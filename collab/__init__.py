"""Collab: collaborative commissioning for public human services."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, redirect, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from collab.db import MAX_DATABASE_INT
from config import load_config

BASE_DIR = Path(__file__).resolve().parent.parent


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` limited to what an integer column can hold; larger numbers give 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", MAX_DATABASE_INT)
        super().__init__(map, *args, **kwargs)


# trust-web: security headers ---------------------------------------------------------
#: Scripts and styles only from files on this site (no inline script, no style attributes,
#: no eval), nothing embedded, no framing, forms only sent back here.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Only the EMPTY style attribute: htmx copies an element's attributes when it settles a
        # swap, including a style="" left by the browser, and refusing that would only make noise.
        # The hash is SHA-256 of the empty string; it permits no style at all.
        "style-src-attr 'unsafe-hashes' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, errors, CLI."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
    )
    # Ids in addresses are database integers: a number too big for the column is "not
    # found" here, not an "integer out of range" failure in PostgreSQL. Set before any
    # blueprint adds its routes, so every <int:...> uses it.
    app.url_map.converters["int"] = DatabaseIdConverter
    app.config.update(load_config())
    if config:
        app.config.update(config)
    if app.config.get("COLLAB_ENV") == "production":  # trust-web: say what is unwise
        from config import production_warnings

        for warning in production_warnings(app.config):
            app.logger.warning("Production configuration: %s", warning)
    if app.config.get("TRUSTED_PROXIES"):
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    _init_extensions(app)
    _register_blueprints(app)
    _register_templating(app)
    _register_errors(app)
    _register_request_guards(app)

    from collab.cli import register_cli

    register_cli(app)

    @app.after_request
    def security_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # trust-web: the Content-Security-Policy and friends, on every response.
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("COLLAB_ENV") == "production":
            response.headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        # Nothing but the static files may be kept by a browser or a proxy: pages show
        # people's names and drafts, and exports are private documents.
        # The page cache (speed, issue 10) marks the pages it answers for: they revalidate instead.
        if request.endpoint != "static" and not g.get("cache_control_set"):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response

    return app


def _init_extensions(app: Flask) -> None:
    from collab.accounts.models import User
    from collab.db import db, request_cache
    from collab.extensions import csrf, htmx, limiter, login_manager

    db.init_app(app, engine=app.config.get("ENGINE"))
    from collab import page_cache  # speed (issue 10): the page cache (memory, or Redis with REDIS_URL)

    page_cache.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = "Sign in to see that page."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(identity: str) -> User | None:
        try:
            user_id, version = (int(part) for part in identity.split(":", 1))
        except ValueError:
            return None
        # speed (issue 10): the person and their unread notification count in one statement,
        # built once per process.
        row = db.session.execute(_user_with_unread_count(), {"user_id": user_id}).first()
        user = row[0] if row is not None else None
        if row is not None:
            request_cache()["unread_notifications"] = row[1] or 0
        if user is None or user.session_version != version or not user.is_active:
            return None
        # Sessions and accounts (issue 7): the browser's server-side session must still exist.
        from collab.accounts.signin import current_session_row

        if current_session_row(user) is None:
            return None
        return user

    @app.before_request
    def _load_user_from_this_request() -> None:
        # Flask-Login caches the user on g; when an application context is reused
        # across requests (tests, CLI) that would carry one request's user into the next.
        g.pop("_login_user", None)

    # Sessions and accounts (issue 7): server-side sessions, idle timeout, remember-me tokens.
    from collab.accounts import signin

    signin.init_app(app)

    @login_manager.unauthorized_handler
    def unauthorized() -> Response:
        from collab.web import is_safe_next

        target = request.full_path.rstrip("?") if request.method == "GET" else None
        if htmx:
            # A fragment must never become a sign-in page: send the whole window there.
            current = request.headers.get("HX-Current-URL", "")
            from urllib.parse import urlsplit

            path = urlsplit(current).path if current else None
            target = path if is_safe_next(path) else None
        login_url = url_for("accounts.sign_in", next=target) if is_safe_next(target) else url_for(
            "accounts.sign_in"
        )
        if htmx:
            response = Response("", 204)
            response.headers["HX-Redirect"] = login_url
            return response
        return redirect(login_url, code=303 if request.method != "GET" else 302)  # type: ignore[return-value]


def _register_blueprints(app: Flask) -> None:
    """Each area hooks itself up in its own ``init_app`` (blueprint, permissions, …)."""
    from collab import (
        accounts,
        agreements,
        alliances,
        documents,
        foryou,
        notifications,
        pages,
        resources,
        specs,
        value,
        workshops,
    )

    app.register_blueprint(pages.bp)
    # foryou last: its page gathers the items every other area registers.
    areas = (accounts, alliances, documents, notifications, agreements, specs, resources, workshops, value, foryou)
    for area in areas:
        area.init_app(app)


@functools.cache
def _user_with_unread_count() -> Any:
    """The statement that loads the signed-in person with their unread count (built once: building
    it costs more than running it)."""
    from sqlalchemy import bindparam

    from collab.accounts.models import User
    from collab.notifications.models import Notification
    from collab.notifications.services import still_needs

    unread = select(func.count(Notification.id)).where(still_needs(User.id)).scalar_subquery()
    return select(User, unread).where(User.id == bindparam("user_id"))


def format_datetime(value: datetime | None, with_time: bool = True) -> str:
    """GOV.UK style in UK time: 25 November 2026 at 6:51pm (collab.timezone says why)."""
    from collab.timezone import format_datetime as in_uk_time

    return in_uk_time(value, with_time)


def _register_templating(app: Flask) -> None:
    from collab.alliances.models import Alliance, Role
    from collab.markdown import render_markdown
    from collab.security import Permission, can

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = lambda v: format_datetime(v, with_time=False)
    from collab import templating

    templating.init_app(app)  # polish (issue 9): UK time in the PDF certificate, "Error: " titles
    from collab import chrome

    chrome.init_app(app)  # speed (issue 10): the header's and footer's addresses built once
    from collab.web import ALLIANCE_SECTIONS

    app.jinja_env.globals.update(
        can=can, Permission=Permission, Role=Role, alliance_sections=ALLIANCE_SECTIONS
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def navigation() -> dict[str, Any]:
        def my_alliances() -> list[Alliance]:
            if not current_user.is_authenticated:
                return []
            # speed (issue 10): from the memberships loaded once per request (one statement).
            from collab.security import my_memberships

            return [m.alliance for m in my_memberships(current_user)]  # ordered by alliance name

        return {"my_alliances": my_alliances}


def _register_request_guards(app: Flask) -> None:
    from flask import abort

    @app.before_request
    def _refuse_nul_characters() -> None:
        # No page takes a NUL character in its address, and PostgreSQL refuses them
        # in queries: answer "not found" rather than failing. (Form fields are checked
        # by BaseForm.validate with a message beside the field.)
        if "\x00" in request.path:
            abort(404)
        if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
            abort(400)


def _wait_message(error: HTTPException) -> str | None:
    """For a rate limit, how long to wait, from the limit that was hit (it is configurable)."""
    limit = getattr(getattr(error, "limit", None), "limit", None)
    if error.code != 429 or limit is None:
        return None
    minutes = max(1, round(limit.get_expiry() / 60))
    wait = "a minute" if minutes == 1 else f"{minutes} minutes"
    return f"There have been too many attempts in a short time. Wait {wait}, then try again."


def _too_large_message(error: HTTPException, app: Flask) -> str | None:
    """trust-web: for a 413, what the limit is and what to do."""
    if error.code != 413:
        return None
    megabytes = app.config.get("MAX_CONTENT_LENGTH") or 0
    limit = f"{megabytes / (1024 * 1024):g} MB" if megabytes else "the limit"
    return (
        f"What you sent is larger than {limit}, so it was not read and nothing was saved. "
        "Go back, make the text shorter or choose a smaller file, and try again."
    )


def _register_errors(app: Flask) -> None:
    from collab.db import db
    from collab.errors import DomainError
    from collab.extensions import htmx

    titles = {
        400: "Sorry, there is a problem with that request",
        403: "You do not have permission to do that",
        404: "Page not found",
        405: "Sorry, that is not something this page can do",
        409: "Someone else changed this at the same time",
        413: "That is too large to send",
        422: "Sorry, we could not use what you sent",
        429: "Too many attempts",
        500: "Sorry, there is a problem with the service",
    }

    def render_error(code: int, message: str | None = None, title: str | None = None) -> tuple[str, int]:
        from flask import render_template

        template = "errors/_error.html" if htmx else "errors/error.html"
        return (
            render_template(
                template, code=code, title=title or titles.get(code, titles[500]), message=message
            ),
            code,
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> tuple[str, int]:
        """A rule broken outside a form (a button, a link): undo the request, say why, with its status."""
        db.session.rollback()
        return render_error(error.status, error.message)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        from collab.security_log import log_event  # issue 7: security events

        log_event("csrf-failed", reason=error.description)
        return render_error(
            400,
            "The form had expired or was sent from somewhere else. "
            "Go back, reload the page and try again. Nothing was saved.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        # Sessions and accounts (issue 7): security events for refusals.
        if error.code == 403:
            from collab.security_log import log_event

            log_event("forbidden")
        elif error.code == 429 and request.endpoint == "accounts.sign_in":
            from collab.accounts.services import find_by_email
            from collab.security_log import log_event

            account = find_by_email(db.session, request.form.get("email", "")[:254])
            log_event("sign-in-limited", user_id=account.id if account else None)
        response = error.get_response()
        body, code = render_error(
            error.code,
            getattr(error, "user_message", None) or _wait_message(error) or _too_large_message(error, app),
            getattr(error, "user_title", None),  # the real reason as the title (e.g. drafting closed)
        )
        response.set_data(body)
        response.content_type = "text/html; charset=utf-8"
        return response

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> tuple[str, int]:
        app.logger.exception("Unhandled error")
        db.session.rollback()
        return render_error(500)
