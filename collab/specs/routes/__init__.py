"""Specification pages: list, drafting, consultation, comments, responses, report, versions.

One module per sub-domain; importing this package registers all of their routes on ``bp``.
"""

from collab.documents.subjects import register_subject
from collab.security import Permission
from collab.specs import services, views
from collab.specs.routes import comments, drafting, reading, report, stages
from collab.web import add_alliance_section

__all__ = ["comments", "drafting", "reading", "report", "stages"]

add_alliance_section("Service specifications", "specs.index", Permission.SPEC_VIEW, order=20)

# Shared comment routes (change, delete, hide) load spec paragraphs through this.
register_subject(services.SUBJECT, views.load_paragraph_subject)
