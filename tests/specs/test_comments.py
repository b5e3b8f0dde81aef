"""Comment rules: when comments are taken, on behalf of someone, support, responses, filters, hidden comments."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from collab.alliances.models import Role
from collab.errors import DomainError
from collab.notifications.models import Notification
from collab.specs import services
from collab.specs.models import CommentSupport, Outcome
from tests.factories import commissioner_of, make_alliance, make_user, member
from tests.specs.helpers import comment_on, make_spec, paragraph_with


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
    services.close_consultation(session, commissioner_of(alliance), spec, reason="Enough comments to work with")
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


def test_a_comment_for_someone_is_for_a_member_or_a_named_person_not_both(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    facilitator = member(alliance, Role.FACILITATOR, display_name="Sam")
    paragraph = paragraph_with(spec, "listened")
    pat = member(alliance, Role.PROVIDER, display_name="Pat")
    outsider = make_user(display_name="Not In It")
    for person_id, name, field in [(999_999, None, "on_behalf_of"), (outsider.id, None, "on_behalf_of"),
                                   (pat.id, "Cleo", "on_behalf_of_name")]:
        with pytest.raises(DomainError) as refused:
            services.add_comment_for(session, facilitator, paragraph, body="x", person_id=person_id, name=name)
        assert refused.value.field == field
    assert services.add_comment_for(session, facilitator, paragraph, body="x", person_id=pat.id, name=None).comment.byline == "Pat, added by Sam"
    assert services.add_comment_for(session, facilitator, paragraph, body="x", person_id=None, name=None).comment.byline == "Sam"


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
