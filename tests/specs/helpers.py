"""Factories for specification tests."""

from __future__ import annotations

from datetime import timedelta

from collab.accounts.models import User
from collab.alliances.models import Alliance, Role
from collab.db import db, utcnow
from collab.specs import services
from collab.specs.models import Spec, SpecComment, SpecParagraph
from tests.factories import commissioner_of, member

OUTCOMES_TEXT = """People in crisis get help quickly, from people who understand.

- People are seen within four hours
- People feel listened to
- Fewer people go to A&E in a crisis"""

WHO_TEXT = """The service is for adults aged 18 or over who live in Riverside.

Carers and family members can use the service too."""


def make_spec(alliance: Alliance, *, author: User | None = None, open_consultation: bool = True, title: str = "Crisis support") -> Spec:
    """A spec with two written sections, open for comments unless told otherwise."""
    author = author or commissioner_of(alliance)
    spec = services.create_spec(db.session, author, alliance, title=title, service_area="Adult mental health",
                                summary="Help for adults in a mental health crisis.")
    first, second = spec.sections[0], spec.sections[1]
    services.save_section(db.session, author, first, first.lock_version, heading=first.heading, body=OUTCOMES_TEXT)
    services.save_section(db.session, author, second, second.lock_version, heading=second.heading, body=WHO_TEXT)
    if open_consultation:
        today = utcnow().date()
        services.open_consultation(db.session, author, spec, opens_on=today - timedelta(days=7),
                                   closes_on=today + timedelta(days=28))
    return spec


def paragraphs(spec: Spec) -> list[SpecParagraph]:
    from sqlalchemy import select

    return list(
        db.session.scalars(
            select(SpecParagraph).where(SpecParagraph.spec_id == spec.id).order_by(SpecParagraph.section_id, SpecParagraph.position)
        )
    )


def paragraph_with(spec: Spec, text: str) -> SpecParagraph:
    return next(p for p in paragraphs(spec) if text in p.text)


def comment_on(spec: Spec, text: str, *, by: User | None = None, body: str = "I think this matters.") -> SpecComment:
    by = by or member(spec.alliance, Role.SERVICE_USER)
    return services.add_comment(db.session, by, paragraph_with(spec, text), body=body)
