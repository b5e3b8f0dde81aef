"""The For you page: what needs you, and what changed since your last visit."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from collab.alliances.access import load_alliance
from collab.extensions import htmx
from collab.foryou import bp, views
from collab.security import membership_for


@bp.get("/for-you")
@login_required
def index() -> str:
    """What needs you in every alliance, nearest due first, and what changed since your last visit."""
    context, visit = views.for_you_page()
    views.keep_visit(visit)
    return render_template("foryou/index.html", **context, person=current_user)


@bp.get("/alliances/<slug>/for-you")
@login_required
def alliance_panel(slug: str) -> str | Response:
    """The personal panel of an alliance's home page, fetched after the (cacheable) page itself.

    It is never part of the page cache: it shows what needs *you* and what changed since *your*
    last visit here, and looking at it is what counts as a visit. Without JavaScript the home
    page links to the For you page instead; a plain visit here goes there too.
    """
    alliance = load_alliance(slug)
    membership = membership_for(current_user, alliance)
    if membership is None:
        abort(404)  # a public alliance's visitors have nothing here
    if not htmx:
        return redirect(url_for("foryou.index"))
    context, visit = views.alliance_panel(alliance, membership)
    views.keep_visit(visit)
    return render_template("foryou/_alliance_panel.html", **context)
