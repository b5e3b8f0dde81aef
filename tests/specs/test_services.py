"""Specification rules: drafting, versions, comments that survive redrafts, responses, the publish guard."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collab.alliances.models import Role
from collab.audit import AuditEntry, describe
from collab.documents.locking import EditConflict
from collab.errors import DomainError, NotAllowed
from collab.notifications.models import Notification
from collab.specs import services
from collab.specs.models import AnchorState, CommentSupport, Outcome, SpecStatus
from tests.factories import commissioner_of, make_alliance, member
from tests.specs.helpers import OUTCOMES_TEXT, comment_on, make_spec, paragraph_with, paragraphs


def test_new_spec_has_the_nine_standard_sections(session) -> None:
    alliance = make_alliance()
    spec = services.create_spec(session, commissioner_of(alliance), alliance, title="Crisis", service_area="Mental health")
    assert [s.heading for s in spec.sections] == [
        "Outcomes", "Who the service is for", "Eligibility and access", "Service model", "Quality standards",
        "Key result areas and measures", "Budget envelope", "Social value commitments",
        "How people who use the service stay involved",
    ]
    assert spec.status == SpecStatus.DRAFTING


def test_sections_can_be_added_and_reordered(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    added = services.add_section(session, commissioner_of(alliance), spec, heading="Transport", body="We pay for taxis.")
    assert added.position == 10
    services.move_section(session, commissioner_of(alliance), added, "up")
    assert [s.heading for s in sorted(spec.sections, key=lambda s: s.position)][-2:] == ["Transport", "How people who use the service stay involved"]
    with pytest.raises(DomainError):
        services.move_section(session, commissioner_of(alliance), sorted(spec.sections, key=lambda s: s.position)[0], "up")


def test_a_stale_section_edit_is_refused_not_lost(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    section = spec.sections[0]
    stale = section.lock_version
    provider = member(alliance, Role.PROVIDER)
    services.save_section(session, provider, section, stale, heading=section.heading, body="First save wins.")
    with pytest.raises(EditConflict) as caught:
        services.save_section(session, commissioner_of(alliance), section, stale, heading=section.heading, body="Second save.")
    assert caught.value.current.body == "First save wins."


def test_saving_stores_the_plain_language_score(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    assert spec.sections[0].readability["words"] > 10
    assert services.load_score(spec.sections[0].readability).passes


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


def test_redraft_needs_a_change(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    with pytest.raises(DomainError, match="Nothing has changed"):
        services.share_redraft(session, commissioner_of(alliance), spec, note="Again")


def test_comments_only_between_the_consultation_dates(session) -> None:
    from datetime import timedelta

    from collab.db import utcnow

    alliance = make_alliance()
    spec = make_spec(alliance)
    today = utcnow().date()
    spec.consultation_opens_on = today + timedelta(days=1)
    with pytest.raises(DomainError, match="Comments open on"):
        comment_on(spec, "listened")
    spec.consultation_opens_on, spec.consultation_closes_on = today - timedelta(days=9), today - timedelta(days=1)
    with pytest.raises(DomainError, match="Comments closed on"):
        comment_on(spec, "listened")
    spec.consultation_closes_on = today
    assert comment_on(spec, "listened").id


def test_comments_only_during_consultation(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    services.close_consultation(session, commissioner_of(alliance), spec)
    with pytest.raises(DomainError, match="closed"):
        comment_on(spec, "People feel listened to")


def test_on_behalf_comment_shows_both_names_and_counts_as_service_user(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    facilitator = member(alliance, Role.FACILITATOR, display_name="Sam")
    sc = services.add_comment(session, facilitator, paragraph_with(spec, "listened"), body="Please listen.", on_behalf_of_name="Cleo")
    assert sc.comment.byline == "Cleo, added by Sam"
    assert sc.speaker_role == Role.SERVICE_USER
    cleo = member(alliance, Role.PROVIDER, display_name="Pat")
    sc2 = services.add_comment(session, facilitator, paragraph_with(spec, "listened"), body="x", on_behalf_of=cleo)
    assert sc2.speaker_role == Role.PROVIDER


def test_support_is_once_per_person(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = comment_on(spec, "listened")
    fan = member(alliance, Role.SERVICE_USER)
    assert services.support(session, fan, sc) is True
    assert services.support(session, fan, sc) is False
    assert sc.support_count == 1
    assert session.scalar(select(func.count(CommentSupport.id))) == 1
    with pytest.raises(DomainError, match="your own"):
        services.support(session, sc.comment.author, sc)
    assert services.withdraw_support(session, fan, sc) is True
    assert sc.support_count == 0


def test_response_rules_and_notification(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = comment_on(spec, "listened")
    boss = commissioner_of(alliance)
    with pytest.raises(DomainError, match="why"):
        services.respond(session, boss, sc, outcome=Outcome.NOT_CHANGED, text=" ")
    with pytest.raises(DomainError, match="section"):
        services.respond(session, boss, sc, outcome=Outcome.CHANGED, text="Done")
    section = spec.sections[0]
    services.save_section(session, boss, section, section.lock_version, heading=section.heading, body=section.body + "\n\nNew promise.")
    services.respond(session, boss, sc, outcome=Outcome.CHANGED, text="We added it.", change_section=spec.sections[0])
    note = session.scalar(select(Notification).where(Notification.user_id == sc.comment.author_id))
    assert note is not None and "changed" in note.title
    assert sc.response.change_version_number is None
    services.share_redraft(session, boss, spec, note="Added a promise")
    session.refresh(sc.response)
    assert sc.response.change_version_number == 2


def test_publish_guard(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    first = comment_on(spec, "listened")
    comment_on(spec, "Carers")
    services.close_consultation(session, boss, spec)
    with pytest.raises(DomainError, match="2 comments are still waiting"):
        services.publish(session, boss, spec)
    facilitator = member(alliance, Role.FACILITATOR)
    with pytest.raises(NotAllowed):
        services.publish(session, facilitator, spec, override_reason="Deadline")
    services.respond(session, boss, first, outcome=Outcome.ANSWERED, text="Thanks")
    version = services.publish(session, boss, spec, override_reason="The contract must start in April.")
    assert spec.status == SpecStatus.PUBLISHED and version.stage == SpecStatus.PUBLISHED
    assert spec.publish_override_reason == "The contract must start in April." and spec.publish_override_unanswered == 1
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "spec.published"))
    assert entry.detail["unanswered"] == 1 and "1 unanswered" in describe(entry)


def test_publish_without_override_when_all_answered(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened")
    services.close_consultation(session, boss, spec)
    services.respond(session, boss, sc, outcome=Outcome.ANSWERED, text="Thanks")
    services.publish(session, boss, spec)
    assert spec.publish_override_reason is None


def test_hidden_comments_do_not_block_publishing(session) -> None:
    from collab.documents import services as documents

    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened")
    documents.hide_comment(session, boss, sc.comment, "Personal details")
    services.close_consultation(session, boss, spec)
    services.publish(session, boss, spec)
    assert spec.is_published


def test_report_has_every_comment_once_with_its_outcome(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    made = {}
    first = spec.sections[0]
    services.save_section(session, boss, first, first.lock_version, heading=first.heading, body=first.body + "\n\nMore.")
    for text, outcome in [("listened", Outcome.CHANGED), ("four hours", Outcome.PARTLY_CHANGED),
                          ("A&E", Outcome.NOT_CHANGED), ("Carers", Outcome.ANSWERED), ("adults aged", None)]:
        sc = comment_on(spec, text, body=f"About {text}")
        if outcome:
            services.respond(session, boss, sc, outcome=outcome, text=f"Reply {text}", change_section=spec.sections[0])
        made[sc.id] = outcome
        services.reply(session, boss, sc, body="Thanks for this")
    rows = list(services.report_rows(session, spec, boss, True))
    assert sorted(r.id for r in rows) == sorted(made)
    assert {r.id: (r.response.outcome if r.response else None) for r in rows} == made
    counts = services.report_counts(session, spec, boss, True)
    assert counts.total == 5 and counts.awaiting == 1
    assert counts.by_outcome == dict.fromkeys(Outcome, 1)
    assert counts.by_role[Role.SERVICE_USER]["comments"] == 5
    csv_rows = list(services.report_csv_rows(session, spec, boss, True))
    assert len(csv_rows) == 5 and all(len(row) == len(services.CSV_HEADER) for row in csv_rows)
    outcomes = [row[services.CSV_HEADER.index("Outcome")] for row in csv_rows]
    assert "Awaiting response" in outcomes and "Partly changed" in outcomes


def test_filters(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    a = comment_on(spec, "listened")
    b = comment_on(spec, "Carers", by=member(alliance, Role.PROVIDER))
    services.respond(session, boss, a, outcome=Outcome.ANSWERED, text="Thanks")

    def ids(**kw):
        return {sc.id for sc in session.scalars(services.comments_query(spec, services.CommentFilter(**kw), boss, True))}

    assert ids() == {a.id, b.id}
    assert ids(status="awaiting") == {b.id}
    assert ids(status="responded") == {a.id}
    assert ids(service_users=True) == {a.id}
    assert ids(section_id=spec.sections[1].id) == {b.id}


def test_hidden_comment_visible_only_to_moderators_and_author(session) -> None:
    from collab.documents import services as documents

    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened")
    documents.hide_comment(session, boss, sc.comment, "Rude")
    other = member(alliance, Role.SERVICE_USER)

    def visible(viewer, moderator):
        return [x.id for x in session.scalars(services.comments_query(spec, services.CommentFilter(), viewer, moderator))]

    assert visible(boss, True) == [sc.id]
    assert visible(sc.comment.author, False) == [sc.id]
    assert visible(other, False) == []
    assert services.report_counts(session, spec, boss, True).total == 1
    assert services.report_counts(session, spec, sc.comment.author, False).total == 1
    assert services.report_counts(session, spec, other, False).total == 0
    assert services.unanswered_count(session, spec) == 0


def test_compare_versions(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    section = spec.sections[1]
    services.save_section(session, boss, section, section.lock_version, heading=section.heading, body="Only adults in Riverside.")
    services.share_redraft(session, boss, spec, note="Shorter")
    changes = services.compare(session, services.get_version(session, spec, 1), services.get_version(session, spec, 2))
    assert [c.changed for c in changes][:2] == [False, True]


def test_audit_sentences_read_well(session) -> None:
    alliance = make_alliance()
    make_spec(alliance)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action.like("spec.%")).order_by(AuditEntry.id)).all()
    sentences = [describe(e) for e in entries]
    assert any("opened" in s and "Crisis support" in s for s in sentences)
    assert all(not s.startswith(e.actor_name + ":") for s, e in zip(sentences, entries, strict=False))


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
