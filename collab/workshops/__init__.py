"""Co-production workshops: planned together, run with a live ideas board, turned into changes afterwards."""

from flask import Blueprint, Flask

from collab.permissions import Permission, grant_roles

bp = Blueprint("workshops", __name__)


def init_app(app: Flask) -> None:
    """Hook this area into the app: blueprint, permissions, navigation, "For you" items, activity."""
    from collab.attention import register_items
    from collab.web import add_alliance_section
    from collab.workshops.foryou import workshop_items
    from collab.workshops.permissions import ROLE_PERMISSIONS

    grant_roles(ROLE_PERMISSIONS)
    from collab.jobs import register_periodic
    from collab.workshops.retention import forget_access_needs

    register_periodic(
        "forget-workshop-access-needs", forget_access_needs, "40 2 * * *",
        "remove the access needs given for workshops that ended more than 30 days ago (the privacy notice's promise)",
    )
    add_alliance_section("Workshops", "workshops.index", Permission.WORKSHOP_VIEW, order=30)
    register_items("workshops", workshop_items)
    # Page cache (issue 10): a workshop's rows belong to the workshop's alliance; feed tokens show nowhere.
    from collab import revisions
    from collab.workshops import activity, routes  # noqa: F401  (their routes and hook-ups register on import)
    from collab.workshops.models import CalendarFeed, Contribution, Decision, Idea, Theme, Vote, Workshop

    for model in (Contribution, Decision, Idea, Theme, Vote):
        revisions.through(model, Workshop, "workshop_id")
    revisions.private(CalendarFeed)

    app.register_blueprint(bp)
    # Issue 11: idle board polls are answered 304 in front of the application (one statement each).
    from collab.workshops import live

    live.init_app(app)
