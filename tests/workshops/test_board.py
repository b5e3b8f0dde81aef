"""The live ideas board: ideas (once, even when sent twice), on behalf with consent, themes, merging, dot voting,
and the cheap live update (304 while nothing changed)."""

from __future__ import annotations

import pytest

from collab.alliances.models import Role
from collab.db import db
from collab.errors import DomainError
from collab.notifications.models import Notification
from collab.workshops import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.workshops.helpers import make_workshop


@pytest.fixture
def setting(session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    workshop = make_workshop(alliance)
    for title in ("Welcome", "What works", "What to change"):
        services.add_agenda_item(db.session, organiser, workshop, title=title, minutes=20)
    people = [member(alliance, Role.SERVICE_USER) for _ in range(3)]
    return alliance, organiser, workshop, people


def test_facilitator_steps_through_the_agenda_and_ideas_go_to_the_item_on_screen(setting):
    alliance, organiser, workshop, people = setting
    assert services.step(db.session, organiser, workshop, "next").title == "Welcome"
    assert services.step(db.session, organiser, workshop, "next").title == "What works"
    idea = services.add_idea(db.session, people[0], workshop, "Peer workers on every shift")
    assert idea.agenda_item_id == workshop.agenda[1].id
    with pytest.raises(DomainError):
        services.step(db.session, organiser, workshop, "previous")
        services.step(db.session, organiser, workshop, "previous")


def test_an_idea_sent_twice_with_its_key_is_stored_once(setting):
    _, _, workshop, people = setting
    first = services.add_idea(db.session, people[0], workshop, "Open at weekends", client_key="abc123")
    again = services.add_idea(db.session, people[0], workshop, "Open at weekends", client_key="abc123")
    assert first.id == again.id
    assert len(services.ideas_of(db.session, workshop)) == 1


def test_every_change_bumps_the_board_revision(setting):
    alliance, organiser, workshop, people = setting
    seen = [services.board_revision(db.session, workshop.id)]
    services.add_idea(db.session, people[0], workshop, "One")
    seen.append(services.board_revision(db.session, workshop.id))
    services.add_theme(db.session, organiser, workshop, "Opening times")
    seen.append(services.board_revision(db.session, workshop.id))
    services.step(db.session, organiser, workshop, "next")
    seen.append(services.board_revision(db.session, workshop.id))
    assert seen == sorted(set(seen)) and len(seen) == 4


def test_ideas_for_someone_need_their_agreement_and_they_are_told(setting):
    alliance, organiser, workshop, people = setting
    with pytest.raises(DomainError, match="agreed") as caught:
        services.add_idea(db.session, organiser, workshop, "A quiet room", for_user_id=people[1].id)
    assert caught.value.field == "consent"
    idea = services.add_idea(db.session, organiser, workshop, "A quiet room", for_user_id=people[1].id, consent=True)
    assert idea.whose == people[1].display_name and idea.consent and idea.author_id == organiser.id
    note = db.session.query(Notification).filter_by(user_id=people[1].id, kind="workshop_idea_for_you").one()
    assert "A quiet room" in note.body
    by_name = services.add_idea(db.session, organiser, workshop, "Free tea", for_name="Dev (no device)", consent=True)
    assert by_name.whose == "Dev (no device)"
    stranger = member(make_alliance(), Role.SERVICE_USER)
    with pytest.raises(DomainError, match="member of this alliance"):
        services.add_idea(db.session, organiser, workshop, "x", for_user_id=stranger.id, consent=True)


def test_grouping_merging_and_dot_voting_give_a_ranked_list(setting):
    alliance, organiser, workshop, people = setting
    a = services.add_idea(db.session, people[0], workshop, "Evening opening")
    b = services.add_idea(db.session, people[1], workshop, "Open in the evenings")
    c = services.add_idea(db.session, people[2], workshop, "Peer support")
    times = services.add_theme(db.session, organiser, workshop, "Times")
    with pytest.raises(DomainError, match="already a theme"):
        services.add_theme(db.session, organiser, workshop, "times")
    services.move_to_theme(db.session, organiser, workshop, a.id, times.id)
    with pytest.raises(DomainError, match="Voting is not open"):
        services.vote(db.session, people[0], workshop, a.id, 1)
    services.open_voting(db.session, organiser, workshop, 2)
    assert services.vote(db.session, people[0], workshop, b.id, 1) == 1
    assert services.vote(db.session, people[0], workshop, b.id, 1) == 0
    with pytest.raises(DomainError, match="used all 2"):
        services.vote(db.session, people[0], workshop, c.id, 1)
    assert services.vote(db.session, people[0], workshop, b.id, -1) == 1
    services.vote(db.session, people[0], workshop, c.id, 1)
    services.vote(db.session, people[1], workshop, a.id, 1)
    services.vote(db.session, people[1], workshop, b.id, 1)
    services.vote(db.session, people[2], workshop, c.id, 1)
    # b is a duplicate of a: its dots move over, and people[1]'s two dots add up.
    services.merge(db.session, organiser, workshop, b.id, a.id)
    ranked = services.results(db.session, workshop)
    assert [(r.idea.text, r.dots, r.rank) for r in ranked] == [("Evening opening", 3, 1), ("Peer support", 2, 2)]
    assert services.dots_used(db.session, workshop, people[1]) == 2
    services.close_voting(db.session, organiser, workshop)
    with pytest.raises(DomainError, match="not open"):
        services.vote(db.session, people[2], workshop, a.id, 1)


def test_live_updates_answer_304_while_nothing_changes(client, setting):
    alliance, organiser, workshop, people = setting
    url = f"/alliances/{alliance.slug}/workshops/{workshop.id}/board/live"
    login_as(client, people[0])
    first = client.get(url)
    assert first.status_code == 200 and 'id="board"' in first.get_data(as_text=True)
    etag = first.headers["ETag"]
    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    login_as(client, people[1])
    assert client.post(f"/alliances/{alliance.slug}/workshops/{workshop.id}/board/ideas",
                       data={"text": "Someone else's idea"}).status_code == 303
    login_as(client, people[0])
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Someone else&#39;s idea" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != etag


def test_ideas_sent_by_the_page_script_get_json_back(client, setting):
    alliance, organiser, workshop, people = setting
    url = f"/alliances/{alliance.slug}/workshops/{workshop.id}/board/ideas"
    login_as(client, people[0])
    headers = {"X-Collab-Fetch": "1"}
    sent = client.post(url, data={"text": "Sent after a dropped connection", "client_key": "k1"}, headers=headers)
    resent = client.post(url, data={"text": "Sent after a dropped connection", "client_key": "k1"}, headers=headers)
    assert sent.status_code == resent.status_code == 201
    assert sent.json["id"] == resent.json["id"]
    refused = client.post(url, data={"text": "x" * 501, "client_key": "k2"}, headers=headers)
    assert refused.status_code == 422 and "500 characters" in refused.json["error"]


def test_the_board_fragment_for_htmx_after_a_vote(client, setting):
    alliance, organiser, workshop, people = setting
    idea = services.add_idea(db.session, people[0], workshop, "Home visits")
    services.open_voting(db.session, organiser, workshop, 3)
    login_as(client, people[1])
    response = client.post(f"/alliances/{alliance.slug}/workshops/{workshop.id}/board/vote",
                           data={"idea": str(idea.id), "change": "add"},
                           headers={"HX-Request": "true", "HX-Target": "board"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith('<div id="board"')
    assert "You have <strong>2</strong> of 3 dots left" in body


def test_moving_an_idea_by_keyboard_form_without_javascript(client, setting):
    alliance, organiser, workshop, people = setting
    idea = services.add_idea(db.session, people[0], workshop, "Transport help")
    theme = services.add_theme(db.session, organiser, workshop, "Getting there")
    login_as(client, organiser)
    board = client.get(f"/alliances/{alliance.slug}/workshops/{workshop.id}/board").get_data(as_text=True)
    assert f'id="move-{idea.id}"' in board and "Move to theme" in board
    response = client.post(f"/alliances/{alliance.slug}/workshops/{workshop.id}/board/move",
                           data={"idea": str(idea.id), "theme": str(theme.id)})
    assert response.status_code == 303
    db.session.expire_all()
    assert services.ideas_of(db.session, workshop)[0].theme_id == theme.id
