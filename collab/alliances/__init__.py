"""Alliances: organisations, alliances, membership, invitations and activity."""

from flask import Blueprint, Flask

from collab.permissions import grant_roles

bp = Blueprint("alliances", __name__)



def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint, and its roles' permissions."""
    from collab.alliances.permissions import ROLE_PERMISSIONS

    grant_roles(ROLE_PERMISSIONS)
    from collab.alliances import activity, routes  # noqa: F401  (their routes and hook-ups register on import)
    from collab.alliances.attention import alliance_items
    from collab.attention import register_items

    register_items("alliances", alliance_items)

    app.register_blueprint(bp)
    # Page cache (issue 10): an organisation's details show on every alliance it belongs to.
    from collab import revisions
    from collab.alliances.models import Organisation, OrganisationCorrection

    revisions.site_wide(Organisation)
    revisions.site_wide(OrganisationCorrection)
    from collab import page_cache
    from collab.alliances.services import get_alliance
    from collab.db import db

    page_cache.register_alliance_loader(lambda slug: get_alliance(db.session, slug))
