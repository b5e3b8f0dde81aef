"""Shared machinery for versioned Markdown documents (the agreement now, specifications next).

- ``diff``: word-level differences and accessible tracked-changes HTML.
- ``canonical``: the documented canonical Markdown of a frozen version, and its SHA-256.
- ``locking``: optimistic locking (compare-and-swap on ``lock_version``) and ``EditConflict``;
  collab/documents/merge.py and templates/documents/_merge.html merge both people's changes after a conflict.
- ``models`` / ``services`` / ``subjects``: discussion threads keyed by (subject_type, subject_id),
  threaded comments, edit/delete own within 15 minutes, hide with a reason, bulk loading.
- ``routes``: the comment routes every document type shares; ``views``: a document page includes
  templates/documents/_thread.html with the context from ``views.thread_context``.

To give a second document type comments: register a subject loader
(``collab.documents.subjects.register_subject``), and on its page call
``thread_context(subject_type, subject_id, subject)`` and include "documents/_thread.html".
"""

from flask import Blueprint, Flask

from collab.permissions import grant_roles

bp = Blueprint("documents", __name__)



@bp.record_once
def _template_helpers(state: object) -> None:
    from collab.documents.diff import render_diff

    state.app.add_template_global(render_diff, "render_diff")  # type: ignore[attr-defined]


def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint, and its roles' permissions."""
    from collab.documents.permissions import ROLE_PERMISSIONS

    grant_roles(ROLE_PERMISSIONS)
    from collab.documents import activity, routes  # noqa: F401  (their routes and hook-ups register on import)

    app.register_blueprint(bp)
