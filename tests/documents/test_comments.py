"""Comment threads: replies, edit/delete within 15 minutes, moderation, on-behalf comments, bulk loading."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.documents import services
from collab.documents.models import Comment
from collab.documents.subjects import Subject, register_subject
from collab.errors import DomainError, NotAllowed
from collab.notifications.models import Notification
from tests.agreements.helpers import first_clause, make_cast, start
from tests.factories import login_as

SUBJECT = "agreement_clause"


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def setup(session):
    cast = make_cast()
    clause = first_clause(start(cast))
    return cast, clause


def test_threaded_replies_and_reply_notification(session, setup):
    cast, clause = setup
    first = services.add_comment(session, cast.service_user, cast.alliance, SUBJECT, clause.id, body="Can I block a decision?")
    reply = services.add_comment(session, cast.provider_a, cast.alliance, SUBJECT, clause.id, body="Yes, you can.", parent=first)
    tree = services.load_thread(session, SUBJECT, clause.id, viewer=cast.service_user)
    assert [n.comment.id for n in tree] == [first.id]
    assert [n.comment.id for n in tree[0].replies] == [reply.id]
    note = session.scalar(select(Notification).where(Notification.user_id == cast.service_user.id, Notification.kind == "comment_reply"))
    assert note.title == "Ann Provider replied to your comment"
    # Without a url from the caller, the link comes from the subject: the clause's thread.
    assert f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}#comment-{reply.id}" in note.url
    with pytest.raises(DomainError):
        services.add_comment(session, cast.provider_a, cast.alliance, SUBJECT, clause.id, body="   ")


def test_edit_and_delete_own_only_within_15_minutes(session, setup):
    cast, clause = setup
    comment = services.add_comment(session, cast.service_user, cast.alliance, SUBJECT, clause.id, body="First **try**")
    services.edit_comment(session, cast.service_user, comment, "Second *try*")
    assert comment.body_html == "<p>Second <em>try</em></p>" and comment.edited_at is not None
    with pytest.raises(NotAllowed):
        services.edit_comment(session, cast.provider_a, comment, "Not mine")
    comment.created_at = comment.created_at - timedelta(minutes=16)
    with pytest.raises(NotAllowed):
        services.edit_comment(session, cast.service_user, comment, "Too late")
    with pytest.raises(NotAllowed):
        services.delete_comment(session, cast.service_user, comment)
    fresh = services.add_comment(session, cast.service_user, cast.alliance, SUBJECT, clause.id, body="Oops")
    services.delete_comment(session, cast.service_user, fresh)
    assert fresh.is_deleted and fresh.body == ""
    tree = services.load_thread(session, SUBJECT, clause.id, viewer=cast.service_user)
    assert fresh.id not in [n.comment.id for n in tree]


def test_hidden_comments_show_only_to_moderators_and_the_author(session, setup):
    cast, clause = setup
    rude = services.add_comment(session, cast.provider_b, cast.alliance, SUBJECT, clause.id, body="Something rude")
    with pytest.raises(DomainError):
        services.hide_comment(session, cast.facilitator, rude, "")
    services.hide_comment(session, cast.facilitator, rude, "Please keep it kind")
    assert rude.hidden_reason == "Please keep it kind" and rude.hidden_by_id == cast.facilitator.id
    assert services.load_thread(session, SUBJECT, clause.id, viewer=cast.service_user) == []
    author_view = services.load_thread(session, SUBJECT, clause.id, viewer=cast.provider_b)
    assert author_view[0].show_text
    moderator_view = services.load_thread(session, SUBJECT, clause.id, viewer=cast.commissioner, moderator=True)
    assert moderator_view[0].show_text
    # With a reply under it, others see that something was hidden, but not what.
    services.add_comment(session, cast.provider_a, cast.alliance, SUBJECT, clause.id, body="I disagree", parent=rude)
    others = services.load_thread(session, SUBJECT, clause.id, viewer=cast.service_user)
    assert not others[0].show_text and len(others[0].replies) == 1
    assert services.comment_counts(session, SUBJECT, [clause.id]) == {clause.id: 1}
    told = session.scalar(select(Notification).where(Notification.user_id == cast.provider_b.id, Notification.kind == "comment_hidden"))
    assert "Please keep it kind" in told.body


def test_a_second_document_type_attaches_threads_to_its_own_elements(session, setup):
    cast, clause = setup
    register_subject("test_paragraph", lambda s, pid: Subject(cast.alliance, f"Paragraph {pid}", f"/p/{pid}") if pid < 100 else None)
    services.add_comment(session, cast.service_user, cast.alliance, "test_paragraph", clause.id, body="On a paragraph")
    services.add_comment(session, cast.service_user, cast.alliance, SUBJECT, clause.id, body="On the clause")
    assert services.comment_counts(session, "test_paragraph", [clause.id]) == {clause.id: 1}
    assert services.comment_counts(session, SUBJECT, [clause.id]) == {clause.id: 1}
    trees = services.load_threads(session, "test_paragraph", [clause.id, 99])
    assert [n.comment.body for n in trees[clause.id]] == ["On a paragraph"] and trees[99] == []


# Routes ------------------------------------------------------------------------------------


def _url(cast, clause) -> str:
    return f"/alliances/{cast.alliance.slug}/discussions/{SUBJECT}/{clause.id}/comments"


def test_service_user_comments_without_javascript(client, session, setup):
    cast, clause = setup
    login_as(client, cast.service_user)
    response = client.post(_url(cast, clause), data={"body": "Please use plain words"})
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}#comment-")
    page = client.get(response.headers["Location"])
    assert "Please use plain words" in _text(page)
    empty = client.post(_url(cast, clause), data={"body": ""})
    assert empty.status_code == 422 and "Enter your comment" in _text(empty)


def test_htmx_comment_returns_the_thread_fragment(client, session, setup):
    cast, clause = setup
    login_as(client, cast.provider_a)
    headers = {"HX-Request": "true", "HX-Target": f"thread-agreement-clause-{clause.id}"}
    response = client.post(_url(cast, clause), data={"body": "Looks good"}, headers=headers)
    assert response.status_code == 200
    body = _text(response)
    assert body.lstrip().startswith(f'<section id="thread-agreement-clause-{clause.id}"') and "Looks good" in body
    bad = client.post(_url(cast, clause), data={"body": ""}, headers=headers)
    assert bad.status_code == 422 and "Enter your comment" in _text(bad)


def test_facilitator_adds_a_comment_on_behalf_of_someone(client, session, setup):
    cast, clause = setup
    login_as(client, cast.facilitator)
    client.post(_url(cast, clause), data={"body": "I want easy read papers", "on_behalf_of_name": "Sunny"})
    comment = session.scalar(select(Comment).where(Comment.body == "I want easy read papers"))
    assert comment.byline == "Sunny, added by Sam Facilitator"
    # Others cannot put words in someone else's mouth: the name is ignored.
    login_as(client, cast.provider_a)
    client.post(_url(cast, clause), data={"body": "Pretend", "on_behalf_of_name": "Sunny"})
    assert session.scalar(select(Comment).where(Comment.body == "Pretend")).on_behalf_of_name is None


def test_reply_edit_delete_and_hide_pages(client, session, setup):
    cast, clause = setup
    comment = services.add_comment(session, cast.service_user, cast.alliance, SUBJECT, clause.id, body="My view")
    slug = cast.alliance.slug
    login_as(client, cast.provider_a)
    assert client.get(f"/alliances/{slug}/comments/{comment.id}/reply").status_code == 200
    assert client.get(f"/alliances/{slug}/comments/{comment.id}/edit").status_code == 403
    assert client.get(f"/alliances/{slug}/comments/{comment.id}/hide").status_code == 403
    login_as(client, cast.service_user)
    assert client.post(f"/alliances/{slug}/comments/{comment.id}/edit", data={"body": "My better view"}).status_code == 303
    login_as(client, cast.commissioner)
    missing = client.post(f"/alliances/{slug}/comments/{comment.id}/hide", data={"reason": ""})
    assert missing.status_code == 422 and "Enter why you are hiding this comment" in _text(missing)
    assert client.post(f"/alliances/{slug}/comments/{comment.id}/hide", data={"reason": "Personal details"}).status_code == 303
    session.expire_all()
    assert session.get(Comment, comment.id).hidden_reason == "Personal details"
    login_as(client, cast.service_user)
    page = _text(client.get(f"/alliances/{slug}/agreement/clauses/{clause.id}"))
    assert "Hidden from other members." in page and "Personal details" in page
    login_as(client, cast.provider_b)
    page = _text(client.get(f"/alliances/{slug}/agreement/clauses/{clause.id}"))
    assert "My better view" not in page and "Personal details" not in page


def test_comments_on_a_subject_of_another_alliance_are_not_found(client, session, setup):
    cast, clause = setup
    other = make_cast()
    login_as(client, other.commissioner)
    assert client.post(_url(cast, clause), data={"body": "Hello"}).status_code == 404
    other_url = f"/alliances/{other.alliance.slug}/discussions/{SUBJECT}/{clause.id}/comments"
    assert client.post(other_url, data={"body": "Hello"}).status_code == 404
    assert client.post(f"/alliances/{other.alliance.slug}/discussions/nonsense/1/comments", data={"body": "x"}).status_code == 404
