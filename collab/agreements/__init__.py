"""The values-based alliance agreement: drafting, proposals and consent, versions, signatures."""

from flask import Blueprint, Flask

from collab.permissions import grant_roles
from collab.security import Permission
from collab.web import add_alliance_section

bp = Blueprint("agreements", __name__)

add_alliance_section("Agreement", "agreements.show", Permission.AGREEMENT_VIEW, order=10)

from collab import cli  # noqa: E402


def _check_signed_versions(session: object) -> list[str]:
    """`flask verify-audit` also re-hashes every published version and every signature."""
    from collab.agreements.services import verify_all

    return verify_all(session)  # type: ignore[arg-type]


if _check_signed_versions not in cli.AUDIT_CHECKS:
    cli.AUDIT_CHECKS.append(_check_signed_versions)


def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint, and its roles' permissions."""
    from collab.agreements.permissions import ROLE_PERMISSIONS

    grant_roles(ROLE_PERMISSIONS)
    from collab.agreements import activity, routes  # noqa: F401  (their routes and hook-ups register on import)

    app.register_blueprint(bp)
