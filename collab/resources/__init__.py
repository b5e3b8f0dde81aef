"""Sharing resources across the alliance: the register, bookings with no double booking, needs and offers, value."""

from flask import Blueprint, Flask

from collab.permissions import Permission, grant_object_rule, grant_roles

bp = Blueprint("resources", __name__)


def init_app(app: Flask) -> None:
    """Hook this area into the app: blueprint, permissions, navigation, "For you" items, activity."""
    from collab.attention import register_items
    from collab.resources.permissions import OBJECT_RULES, ROLE_PERMISSIONS
    from collab.resources.views import attention_items
    from collab.web import add_alliance_section

    grant_roles(ROLE_PERMISSIONS)
    for permission, rule in OBJECT_RULES.items():
        grant_object_rule(permission, rule)
    add_alliance_section("Shared resources", "resources.index", Permission.RESOURCE_VIEW, order=40)
    register_items("resources", attention_items)
    from collab.db import utcnow
    from collab.resources import services
    from collab.resources.views import money

    app.add_template_filter(money, "money")
    app.add_template_global(utcnow, "now_utc")
    app.add_template_filter(lambda b: services.when_label(b.starts_at, b.ends_at), "booking_when")
    # Page cache (issue 10): opening hours and offers belong to their resource's or need's alliance;
    # a calendar-feed token shows on no page.
    from collab import revisions
    from collab.resources import activity, routes  # noqa: F401  (their routes and hook-ups register on import)
    from collab.resources.models import AvailabilityException, CalendarFeed, Need, NeedOffer, Resource, WeeklyOpening

    revisions.through(WeeklyOpening, Resource, "resource_id")
    revisions.through(AvailabilityException, Resource, "resource_id")
    revisions.through(NeedOffer, Need, "need_id")
    revisions.private(CalendarFeed)

    # Value, not price (issue 13): completed bookings count as in-kind value on the alliance's value page.
    from collab.resources.services.value import in_kind_lines, next_completion
    from collab.value.in_kind import register_in_kind_provider

    register_in_kind_provider("resources", in_kind_lines, next_change=next_completion)

    app.register_blueprint(bp)
