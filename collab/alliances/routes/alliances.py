"""Alliance pages: the list, the switcher, creating and editing an alliance, its home page."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.alliances import bp, services, views
from collab.alliances.access import load_alliance
from collab.alliances.forms import AllianceForm
from collab.alliances.models import Visibility
from collab.db import db
from collab.page_cache import cached_page
from collab.security import Permission, can, require
from collab.web import attempt, form_status, redirect_to


@bp.get("/alliances")
@login_required
def index() -> str:
    """The alliances you belong to, and public ones you could look at."""
    return render_template(
        "alliances/index.html",
        mine=services.alliances_for(db.session, current_user),
        public=services.public_alliances(db.session, exclude_user=current_user),
    )


@bp.get("/alliances/switch")
@login_required
def switch() -> Response:
    """The header's alliance switcher (a plain GET form)."""
    slug = request.args.get("alliance", "")
    alliance = services.get_alliance(db.session, slug) if slug else None
    if alliance is None or not can(Permission.ALLIANCE_VIEW, alliance):
        return redirect(url_for("alliances.index"))  # type: ignore[return-value]
    return redirect(url_for("alliances.home", slug=alliance.slug))  # type: ignore[return-value]


@bp.route("/alliances/new", methods=["GET", "POST"])
@login_required
def create() -> Response | tuple[str, int]:
    """Create an alliance; you become its first commissioner."""
    require(Permission.ALLIANCE_CREATE)
    form = AllianceForm()
    if "preview" not in request.form and form.validate_on_submit():
        done = attempt(form, lambda: services.create_alliance(
            db.session, current_user, name=form.name.data, purpose=form.purpose.data,
            outcomes=form.outcome_list, visibility=Visibility(form.visibility.data),
        ))
        if done:
            flash(f"{done.value.name} has been created. Next, invite its members.", "success")
            return redirect_to(url_for("alliances.home", slug=done.value.slug))
    status = form_status() if "preview" not in request.form else 200
    return render_template("alliances/form.html", form=form, alliance=None), status


@bp.get("/alliances/<slug>")
@cached_page(Permission.ALLIANCE_VIEW)
def home(slug: str) -> str:
    """An alliance's home page: purpose, outcomes, organisations, people and recent activity."""
    alliance = load_alliance(slug)
    # The "For you in this alliance" panel is personal: the page fetches it from foryou.alliance_panel.
    return render_template("alliances/home.html", **views.home_page(alliance))


@bp.route("/alliances/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Response | tuple[str, int]:
    """Change the alliance's name, purpose, outcomes and visibility."""
    alliance = load_alliance(slug, Permission.ALLIANCE_EDIT)
    # Filled from plain values, not obj=alliance: its outcomes are rows, the form wants lines.
    form = AllianceForm(
        data={
            "name": alliance.name,
            "purpose": alliance.purpose,
            "outcomes": "\n".join(o.text for o in alliance.outcomes),
            "visibility": alliance.visibility.value,
        }
    )
    if "preview" not in request.form and form.validate_on_submit():
        done = attempt(form, lambda: services.update_alliance(
            db.session, current_user, alliance, name=form.name.data, purpose=form.purpose.data,
            outcomes=form.outcome_list, visibility=Visibility(form.visibility.data),
        ))
        if done:
            flash("The alliance's details have been saved.", "success")
            return redirect_to(url_for("alliances.home", slug=alliance.slug))
    status = form_status() if "preview" not in request.form else 200
    return render_template("alliances/form.html", form=form, alliance=alliance), status
