""""My comments": everything you said on every specification, and what happened to it."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from collab.specs import bp, views


@bp.get("/my-comments")
@login_required
def my_comments() -> str:
    """Your comments on every specification you can still see, newest first, with what happened to each."""
    return render_template("specs/my_comments.html", **views.my_comments_context())
