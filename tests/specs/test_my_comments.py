""""My comments": everything I said, in every specification, with what happened to it."""

from __future__ import annotations

from collab.alliances import services as alliances
from collab.alliances.models import Role
from collab.documents import services as documents
from collab.specs import services
from collab.specs.models import Outcome
from tests.factories import add_member, login_as, make_alliance, make_user
from tests.specs.helpers import make_spec, paragraph_with


def text(response) -> str:
    return response.get_data(as_text=True)


def test_every_comment_i_made_with_what_happened(client, session):
    me = make_user(display_name="Cleo")
    river, north = make_alliance(name="River Alliance"), make_alliance(name="North Alliance")
    for alliance in (river, north):
        add_member(alliance, me, Role.SERVICE_USER)
    sam = add_member(river, make_user(display_name="Sam Rivers"), Role.FACILITATOR).user
    boss = river.memberships[0].user
    crisis, youth = make_spec(river, title="Crisis support"), make_spec(north, title="Youth work")
    answered = services.add_comment(session, me, paragraph_with(crisis, "listened"), body="Please **listen**.")
    services.respond(session, boss, answered, outcome=Outcome.NOT_CHANGED, text="We already do.")
    hidden = services.add_comment(session, me, paragraph_with(crisis, "A&E"), body="Rude words.")
    documents.hide_comment(session, boss, hidden.comment, "Personal details")
    services.add_comment(session, sam, paragraph_with(crisis, "four hours"), body="Cleo said two hours.", on_behalf_of=me)
    services.add_comment(session, me, paragraph_with(youth, "Carers"), body="Young carers too.")
    # Someone else's comment is not mine.
    services.add_comment(session, add_member(river, make_user(), Role.SERVICE_USER).user,
                         paragraph_with(crisis, "listened"), body="Someone else's view.")
    login_as(client, me)
    page = text(client.get("/my-comments"))
    assert "4 comments" in page
    assert "Someone else's view" not in page
    assert "<strong>listen</strong>" in page and "Not changed" in page and "They said: We already do." in page
    assert "Hidden" in page and "The reason they gave: Personal details" in page
    assert "added for you by Sam Rivers" in page and "Cleo said two hours." in page
    assert "Waiting for a response" in page and "North Alliance" in page and "Youth work" in page
    assert f'href="/alliances/{river.slug}/specs/{crisis.id}/paragraphs/{answered.paragraph_id}#comment-{answered.comment_id}"' in page
    # Newest first.
    assert page.index("Young carers too.") < page.index("Please <strong>listen</strong>")
    # Left an alliance: its comments are no longer shown there.
    alliances.leave(session, next(m for m in north.memberships if m.user_id == me.id))
    page = text(client.get("/my-comments"))
    assert "Young carers too." not in page and "3 comments" in page


def test_no_comments_yet_points_to_for_you(client, session):
    login_as(client, make_user())
    page = text(client.get("/my-comments"))
    assert "You have not commented on a specification yet" in page and 'href="/for-you"' in page


def test_the_account_page_links_to_my_comments(client, session):
    login_as(client, make_user())
    assert 'href="/my-comments"' in text(client.get("/account"))
