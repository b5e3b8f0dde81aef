"""Site-wide pages: start page, health check, statements, Markdown preview."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import text

from collab.db import db
from collab.extensions import limiter
from collab.markdown import render_markdown

bp = Blueprint("pages", __name__)

#: Longest text the preview will render: the longest Markdown field (a specification
#: section's text) takes 50,000 characters. Longer input is refused with a message.
PREVIEW_LIMIT = 50_000

#: The accessibility statement's dates, as the 2018 regulations ask: change REVIEWED at each review.
STATEMENT_PREPARED = date(2026, 12, 3)
STATEMENT_REVIEWED = date(2026, 12, 3)
#: When the privacy notice last changed.
PRIVACY_NOTICE_UPDATED = date(2026, 12, 3)


def _preview_limit() -> str:
    return current_app.config["PREVIEW_RATE_LIMIT"]


def _preview_key() -> str:
    """The preview is limited per account (everyone who can use it is signed in)."""
    return f"preview:{current_user.get_id()}"


@bp.get("/")
def home() -> Response | str:
    """The start page; signed-in people go straight to what needs them (For you)."""
    if current_user.is_authenticated:
        return redirect(url_for("foryou.index"))  # type: ignore[return-value]
    return render_template("pages/home.html")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Liveness and database check for load balancers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach the database is a 503
        db.session.rollback()
        return jsonify(status="error", database="unreachable", reason=type(error).__name__), 503
    return jsonify(status="ok", database="ok"), 200


@bp.get("/accessibility")
def accessibility() -> str:
    """Accessibility statement."""
    return render_template(
        "pages/accessibility.html", statement_prepared=STATEMENT_PREPARED, statement_reviewed=STATEMENT_REVIEWED
    )


@bp.get("/glossary")
def glossary() -> str:
    """What the words Collab uses mean, in plain English."""
    from collab.glossary import TERMS

    return render_template("pages/glossary.html", terms=TERMS)


@bp.get("/privacy")
def privacy() -> str:
    """Privacy notice."""
    return render_template("pages/privacy.html", notice_updated=PRIVACY_NOTICE_UPDATED)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon, where browsers look for it without being told (made by scripts/make_favicon.py)."""
    # Read whole (5 kB), so no file is left open when a client drops the connection.
    icon = Path(current_app.static_folder or "static", "favicon.ico").read_bytes()
    return Response(icon, mimetype="image/vnd.microsoft.icon")


@bp.post("/preview")
@login_required
@limiter.limit(_preview_limit, key_func=_preview_key)
def preview() -> tuple[str, int]:
    """Render Markdown for the live preview beside a text box (htmx)."""
    # The text box says which of the form's fields it is (?field=purpose).
    source = request.form.get(request.args.get("field", "markdown"), "")
    # Nothing below needs the database: end the session's transaction now, so that rendering
    # never holds a database connection or lock (on SQLite a lock would stop everyone else).
    db.session.close()
    if len(source) > PREVIEW_LIMIT:
        message = (
            f"This text is too long to preview: it has {len(source):,} characters "
            f"and the most is {PREVIEW_LIMIT:,}. Make it shorter to see a preview."
        )
        return render_template("_macros/_preview.html", html=None, too_long=message), 422
    return render_template("_macros/_preview.html", html=render_markdown(source)), 200
