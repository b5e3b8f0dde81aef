"""Paragraph rules: freezing a version, comments carried over to redrafts and kept in reading order."""

from __future__ import annotations

from collab.specs import services
from collab.specs.models import AnchorState, SpecStatus
from tests.factories import commissioner_of, make_alliance
from tests.specs.helpers import OUTCOMES_TEXT, comment_on, make_spec, paragraphs


def test_opening_consultation_freezes_version_one_with_paragraphs(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    assert spec.status == SpecStatus.CONSULTATION
    assert spec.current_version.number == 1
    texts = [p.text for p in paragraphs(spec)]
    assert "People are seen within four hours" in texts and len(texts) == 6
    assert len(spec.current_version.sha256) == 64


def test_comments_survive_a_redraft(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    author = commissioner_of(alliance)
    unchanged = comment_on(spec, "People feel listened to")
    moved = comment_on(spec, "Carers and family members")
    edited = comment_on(spec, "People are seen within four hours")
    removed = comment_on(spec, "Fewer people go to A&E")
    outcomes, who = spec.sections[0], spec.sections[1]
    services.save_section(
        session, author, outcomes, outcomes.lock_version, heading=outcomes.heading,
        body=OUTCOMES_TEXT.replace("within four hours", "within two hours").replace("\n- Fewer people go to A&E in a crisis", ""),
    )
    services.save_section(
        session, author, who, who.lock_version, heading=who.heading,
        body="Carers and family members can use the service too.\n\nThe service is for adults aged 18 or over who live in Riverside.",
    )
    version = services.share_redraft(session, author, spec, note="Faster response; clearer who it is for")
    assert version.number == 2
    session.expire_all()
    assert unchanged.anchor == AnchorState.CURRENT
    assert moved.anchor == AnchorState.MOVED and moved.paragraph.position == 0
    assert edited.anchor == AnchorState.EDITED
    assert edited.paragraph.text == "People are seen within two hours"
    assert edited.quote == "People are seen within four hours"  # the original text is kept
    assert removed.anchor == AnchorState.REMOVED and removed.paragraph.is_removed
    # Comments stay in their threads on the same paragraph identity.
    assert edited.comment.thread.subject_id == edited.paragraph_id


def test_comment_lists_follow_reading_order_after_a_reorder(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    first = comment_on(spec, "Carers")           # section 2
    second = comment_on(spec, "listened")        # section 1
    third = comment_on(spec, "quickly, from people")  # section 1, first paragraph

    def order():
        return [sc.id for sc in session.scalars(services.comments_query(spec, services.CommentFilter(), boss, True))]

    assert order() == [third.id, second.id, first.id]
    services.move_section(session, boss, spec.sections[1], "up")
    session.expire_all()
    assert order() == [first.id, third.id, second.id]
