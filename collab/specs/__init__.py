"""Service specifications: drafted together, commented on paragraph by paragraph, answered in "you said, we did"."""

from flask import Blueprint, Flask

from collab.permissions import Permission, grant_roles

bp = Blueprint("specs", __name__)


def init_app(app: Flask) -> None:
    """Hook this area into the app: blueprint, permissions, navigation, comment subjects, activity."""
    from collab.documents.subjects import register_subject
    from collab.specs import services, views
    from collab.specs.permissions import ROLE_PERMISSIONS
    from collab.web import add_alliance_section

    grant_roles(ROLE_PERMISSIONS)
    # Page cache (issue 10): rows without an alliance of their own reach it through their parent.
    from collab import revisions
    from collab.specs.models import (
        CommentSupport,
        Spec,
        SpecClauseLink,
        SpecComment,
        SpecResponse,
        SpecSectionVersion,
        SpecVersion,
    )

    revisions.through(CommentSupport, SpecComment, "spec_comment_id")
    revisions.through(SpecClauseLink, Spec, "spec_id")
    revisions.through(SpecResponse, Spec, "spec_id")
    revisions.through(SpecSectionVersion, SpecVersion, "version_id")
    add_alliance_section("Service specifications", "specs.index", Permission.SPEC_VIEW, order=20)
    # The shared comment routes (change, delete, hide) load spec paragraphs through this.
    register_subject(services.SUBJECT, views.load_paragraph_subject)
    register_subject(services.SECTION_SUBJECT, views.load_section_subject)
    register_subject(services.WHOLE_SUBJECT, views.load_whole_subject)
    from collab.attention import register_items
    from collab.jobs import register_periodic
    from collab.specs import activity, routes  # noqa: F401  (their routes and hook-ups register on import)
    from collab.specs.attention import spec_items

    register_items("specs", spec_items)

    # Issue 9: "comments close in three days" reminders, hourly through the day (each person once).
    register_periodic(
        "consultation-reminders", "collab.specs.jobs:remind_closing_consultations", "0 8-20 * * *",
        "remind people who can comment that a consultation closes in three days",
    )
    app.register_blueprint(bp)
