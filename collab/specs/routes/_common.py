"""Loading a specification and its parts for a route (404 when missing or not visible)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from collab.alliances.access import load_alliance
from collab.db import db
from collab.documents.visibility import may_read
from collab.security import Permission, require
from collab.specs import services, views
from collab.specs.models import Spec, SpecComment, SpecParagraph, SpecSection
from collab.web import get_or_404


def load_spec(slug: str, spec_id: int, permission: Permission = Permission.SPEC_VIEW) -> Spec:
    """The spec in this alliance (404 if it is not there or you cannot see the alliance)."""
    alliance = load_alliance(slug)
    spec = services.get_spec(db.session, alliance, spec_id)
    if spec is None:
        abort(404)
    require(permission, spec)
    return spec


def load_paragraph(spec: Spec, paragraph_id: int) -> SpecParagraph:
    """A paragraph of this spec (404 for another spec's paragraph)."""
    found = services.paragraph_for(db.session, spec, paragraph_id)
    if found is None:
        abort(404)
    return found


def load_section(spec: Spec, section_id: int) -> SpecSection:
    """A section of this spec (404 for another spec's section)."""
    return get_or_404(db.session, SpecSection, section_id, spec_id=spec.id)


def load_spec_comment(spec: Spec, spec_comment_id: int) -> SpecComment:
    """A comment on this spec; a hidden one only for moderators and its author."""
    sc = services.spec_comment_for(db.session, spec, spec_comment_id)
    if sc is None:
        abort(404)
    if not may_read(sc.comment, current_user, views.moderator(spec)):
        abort(404)
    return sc
