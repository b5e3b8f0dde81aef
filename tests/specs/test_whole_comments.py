"""Comments on a whole section (even one with nothing written yet) and on the whole specification (issue 9):
the rules, and everything that reads comments (order, counts, the report and its CSV, My comments, For you)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from collab.alliances.models import Role
from collab.db import db, utcnow
from collab.documents import services as documents
from collab.errors import DomainError
from collab.foryou import services as foryou
from collab.notifications.models import Notification
from collab.specs import services
from collab.specs.models import POSITION_SCALE, AnchorState, Outcome, SpecComment
from tests.factories import commissioner_of, make_alliance, member
from tests.specs.helpers import make_spec, paragraph_with


def _empty(spec):
    """A section with nothing written yet (make_spec writes only the first two)."""
    return next(s for s in spec.sections if not s.body.strip())


def test_a_comment_on_an_empty_section_is_about_the_section_as_a_whole(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    empty = _empty(spec)
    someone = member(alliance, Role.SERVICE_USER)
    sc = services.add_comment(session, someone, empty, body="Nothing here about evenings.")
    assert (sc.level, sc.section_id, sc.paragraph_id, sc.quote) == ("section", empty.id, None, "")
    assert sc.subject == (services.SECTION_SUBJECT, empty.id)
    assert sc.thread_dom_id == f"thread-s-{empty.id}" and sc.where_label == f"{empty.heading}: on the whole section"
    assert sc.position_key == empty.position * POSITION_SCALE + POSITION_SCALE - 1
    assert services.section_comments(session, spec, empty, someone, False) == [sc]


def test_a_comment_on_the_whole_specification_has_no_section(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = services.add_comment(session, member(alliance, Role.PROVIDER), spec, body="A good start overall.")
    assert (sc.level, sc.section_id, sc.paragraph_id, sc.position_key) == ("spec", None, None, -1)
    assert sc.subject == (services.WHOLE_SUBJECT, spec.id) and sc.where_label == "On the whole specification"
    assert services.section_comments(session, spec, None, None, True) == [sc]


def test_lists_come_in_reading_order_whole_spec_first_and_sections_after_their_paragraphs(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    first = spec.sections[0]
    person = member(alliance, Role.SERVICE_USER)
    on_section = services.add_comment(session, person, first, body="This section forgets carers.")
    on_paragraph = services.add_comment(session, person, paragraph_with(spec, "listened"), body="Yes.")
    on_empty = services.add_comment(session, person, _empty(spec), body="Say what happens at night.")
    on_spec = services.add_comment(session, person, spec, body="Overall fine.")
    listed = list(session.scalars(services.comments_query(spec, services.CommentFilter(), person, False)))
    assert listed == [on_spec, on_paragraph, on_section, on_empty]
    counts = services.whole_counts(session, spec, person, False)
    assert counts == {None: 1, first.id: 1, _empty(spec).id: 1}
    only_section = services.CommentFilter(section_id=first.id)
    assert list(session.scalars(services.comments_query(spec, only_section, person, False))) == [on_paragraph, on_section]


def test_comments_are_closed_with_the_consultation(session):
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    with pytest.raises(DomainError, match="Comments are closed"):
        services.add_comment(session, commissioner_of(alliance), spec.sections[0], body="Too early.")


def test_a_paragraph_comment_must_keep_its_section(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = services.add_comment(session, member(alliance, Role.SERVICE_USER), paragraph_with(spec, "listened"), body="Hm.")
    with pytest.raises(IntegrityError), session.begin_nested():
        sc.section_id = None
        session.flush()


def test_a_new_draft_renumbers_them_and_they_stay_current(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    person = member(alliance, Role.SERVICE_USER)
    empty = _empty(spec)
    on_empty = services.add_comment(session, person, empty, body="Nothing about nights.")
    on_spec = services.add_comment(session, person, spec, body="Overall fine.")
    services.move_section(session, boss, empty, "up")
    services.save_section(session, boss, empty, empty.lock_version, heading=empty.heading, body="Open every night.")
    services.share_redraft(session, boss, spec, note="Nights added")
    session.refresh(on_empty)
    session.refresh(on_spec)
    assert on_empty.position_key == empty.position * POSITION_SCALE + POSITION_SCALE - 1
    assert on_spec.position_key == -1
    assert on_empty.anchor == on_spec.anchor == AnchorState.CURRENT


def test_unanswered_counts_and_hidden_ones_are_left_out(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    person = member(alliance, Role.SERVICE_USER)
    services.add_comment(session, person, spec.sections[0], body="Section as a whole.")
    hidden = services.add_comment(session, person, spec, body="Rude words.")
    assert services.unanswered_count(session, spec) == 2
    documents.hide_comment(session, boss, hidden.comment, "Not kind")
    assert services.unanswered_count(session, spec) == 1
    other = member(alliance, Role.PROVIDER)
    assert services.report_counts(session, spec, other, False).total == 1
    assert services.report_counts(session, spec, person, False).total == 2  # the author still sees their own


def test_replies_responses_and_the_people_told(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    me = member(alliance, Role.SERVICE_USER)
    other = member(alliance, Role.PROVIDER)
    mine = services.add_comment(session, me, _empty(spec), body="Nothing about nights.")
    before = utcnow()
    reply = services.reply(session, other, mine, body="Agreed.", url="/somewhere")
    assert reply.thread_id == mine.comment.thread_id
    assert [node.comment.id for node in services.replies_for(session, [mine], me, False)[mine.comment_id]] == [reply.id]
    services.respond(session, boss, mine, outcome=Outcome.ANSWERED, text="We will add a night service.")
    told = session.scalars(select(Notification.kind).where(Notification.user_id == me.id)).all()
    assert "comment_reply" in told and "spec_comment_answered" in told
    changed = [i for i in foryou.gather(session, me, before).changed if "your comment" in i.title.lower()]
    assert len(changed) == 2
    assert all(f"/specs/{spec.id}/sections/{mine.section_id}/as-a-whole#comment-" in item.url for item in changed)


def test_for_you_links_a_reply_on_the_whole_spec_to_its_page(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    me = member(alliance, Role.SERVICE_USER)
    other = member(alliance, Role.PROVIDER)
    mine = services.add_comment(session, me, spec, body="Overall fine.")
    before = utcnow()
    services.reply(session, other, mine, body="Me too.")
    (item,) = [i for i in foryou.gather(session, me, before).changed if "replied" in i.title]
    assert f"/specs/{spec.id}/as-a-whole#comment-" in item.url


def test_the_report_csv_says_where_each_comment_is(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    person = member(alliance, Role.SERVICE_USER)
    empty = _empty(spec)
    services.add_comment(session, person, empty, body="Nothing about nights.")
    services.add_comment(session, person, spec, body="Overall fine.")
    rows = list(services.report_csv_rows(session, spec, person, False))
    assert [(r[1], r[2], r[4]) for r in rows] == [
        ("", "On the whole specification", "Overall fine."),
        (empty.heading, "On the whole section", "Nothing about nights."),
    ]


def test_a_workshop_style_group_comment_on_a_paragraph_still_works(session):
    """Group comments (workshops) keep their paragraph, their size and their source."""
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = services.add_comment(session, commissioner_of(alliance), paragraph_with(spec, "listened"), body="From table 2.",
                              on_behalf_of_name="Table 2", group_size=4, source_key="workshop:1", source_label="A workshop")
    assert sc.level == "paragraph" and sc.from_group and sc.group_size == 4
    assert db.session.get(SpecComment, sc.id).paragraph_id is not None


def test_a_section_not_yet_shared_takes_no_comments(session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    added = services.add_section(session, boss, spec, heading="Transport", body="")
    with pytest.raises(DomainError, match="not in the shared draft yet"):
        services.add_comment(session, member(alliance, Role.SERVICE_USER), added, body="How do I get there?")
