"""The For you page: what needs you, and what changed since your last visit."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from collab.foryou import bp, views


@bp.get("/for-you")
@login_required
def index() -> str:
    """What needs you in every alliance, nearest due first, and what changed since your last visit."""
    context, visit = views.for_you_page()
    views.keep_visit(visit)
    return render_template("foryou/index.html", **context, person=current_user)
