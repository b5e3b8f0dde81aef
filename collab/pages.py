"""Site-wide pages: start page, health check, statements, Markdown preview."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from collab.db import db
from collab.markdown import render_markdown

bp = Blueprint("pages", __name__)

#: Longest text the preview will render; longer input is cut, not refused.
PREVIEW_LIMIT = 100_000


@bp.get("/")
def home() -> Response | str:
    """The start page; signed-in people go straight to their alliances."""
    if current_user.is_authenticated:
        return redirect(url_for("alliances.index"))  # type: ignore[return-value]
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
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
def privacy() -> str:
    """Privacy notice."""
    return render_template("pages/privacy.html")


@bp.post("/preview")
@login_required
def preview() -> str:
    """Render Markdown for the live preview beside a text box (htmx)."""
    # The text box says which of the form's fields it is (?field=purpose).
    source = request.form.get(request.args.get("field", "markdown"), "")
    return render_template("_macros/_preview.html", html=render_markdown(source[:PREVIEW_LIMIT]))
