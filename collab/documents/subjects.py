"""What a discussion thread can be about: each document type registers its subjects.

The shared comment routes (collab/documents/routes.py) take a subject type and id from the
URL. They call the loader registered for that type, which returns a ``Subject`` (or None if
there is no such thing); the routes then check that it belongs to the alliance in the URL.

    register_subject("spec_paragraph", load_paragraph_subject)

    def load_paragraph_subject(session, paragraph_id) -> Subject | None:
        p = session.get(SpecParagraph, paragraph_id)
        if p is None:
            return None
        return Subject(alliance=p.spec.alliance, label=f"Paragraph in {p.section.title}",
                       url=url_for("specs.show", ...) + f"#paragraph-{p.id}",
                       open_for_comments=p.spec.is_in_consultation,
                       closed_reason="Comments are closed: consultation has ended.")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session


@dataclass
class Subject:
    #: The alliance that owns the thing; its members may see and join the thread.
    alliance: Any
    #: A short name for it, such as "Clause 3: Decision making".
    label: str
    #: Where its thread is shown; comment forms come back here.
    url: str
    open_for_comments: bool = True
    closed_reason: str = "Comments are closed."
    #: False when the document type starts its comments through its own route (because it stores
    #: more with each one, as specifications do); the shared routes then accept only replies.
    top_level_comments: bool = True


SubjectLoader = Callable[[Session, int], Subject | None]

_LOADERS: dict[str, SubjectLoader] = {}


def register_subject(subject_type: str, loader: SubjectLoader) -> None:
    """Let threads be attached to things of this type (call once, at import)."""
    _LOADERS[subject_type] = loader


def load_subject(session: Session, subject_type: str, subject_id: int) -> Subject | None:
    loader = _LOADERS.get(subject_type)
    return loader(session, subject_id) if loader is not None else None
