"""Commenting feels right (issue 9): what htmx gets back after a comment, a reply or a support,
and counts that agree wherever they are shown."""

from __future__ import annotations

import re

from collab.alliances.models import Role
from collab.db import db
from collab.specs import services
from tests.factories import login_as, make_alliance, member
from tests.specs.helpers import comment_on, make_spec, paragraph_with


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def _badge(html: str, paragraph_id: int) -> str | None:
    """The number in a paragraph's count badge, or None if the page has no badge for it."""
    found = re.search(rf'<span class="collab-count" id="count-p-{paragraph_id}"[^>]*>(\d+)<span', html)
    return found.group(1) if found else None


def test_a_comment_by_htmx_is_announced_focused_and_updates_the_badge(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    paragraph = paragraph_with(spec, "listened")
    login_as(client, member(alliance, Role.SERVICE_USER))
    headers = {"HX-Request": "true", "HX-Target": f"thread-p-{paragraph.id}",
               "HX-Current-URL": f"http://localhost{_base(spec)}"}
    made = client.post(f"{_base(spec)}/paragraphs/{paragraph.id}/comments",
                       data={"body": "Evening help, please."}, headers=headers)
    html = made.get_data(as_text=True)
    assert made.status_code == 200
    assert html.lstrip().startswith(f'<section id="thread-p-{paragraph.id}"')
    # The polite live region in base.html gets the words, out of band.
    assert '<div id="collab-status" data-hx-swap-oob="innerHTML">Your comment was added</div>' in html
    # The new comment can take the focus (static/js/collab.js moves it there).
    sc = services.paragraph_comments(db.session, spec, paragraph, None, True)[0]
    assert re.search(rf'id="comment-{sc.comment_id}" tabindex="-1" data-collab-focus', html)
    # The badge comes out of band with the same number as the heading.
    assert 'data-hx-swap-oob="true"' in html and _badge(html, paragraph.id) == "1"
    assert "Comments on this paragraph (1)" in html


def test_no_badge_is_sent_to_the_paragraphs_own_page(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    paragraph = paragraph_with(spec, "listened")
    login_as(client, member(alliance, Role.SERVICE_USER))
    url = f"{_base(spec)}/paragraphs/{paragraph.id}"
    headers = {"HX-Request": "true", "HX-Target": f"thread-p-{paragraph.id}", "HX-Current-URL": f"http://localhost{url}"}
    html = client.post(f"{url}/comments", data={"body": "Evening help."}, headers=headers).get_data(as_text=True)
    assert "Your comment was added" in html and _badge(html, paragraph.id) is None


def test_without_javascript_a_comment_redirects_to_it_and_nothing_is_out_of_band(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    paragraph = paragraph_with(spec, "listened")
    login_as(client, member(alliance, Role.SERVICE_USER))
    made = client.post(f"{_base(spec)}/paragraphs/{paragraph.id}/comments", data={"body": "Evening help."})
    assert made.status_code == 303 and "#comment-" in made.headers["Location"]
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "Your comment has been added." in page and "data-hx-swap-oob" not in page


def test_a_bad_comment_by_htmx_is_422_and_announces_nothing(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    paragraph = paragraph_with(spec, "listened")
    login_as(client, member(alliance, Role.SERVICE_USER))
    headers = {"HX-Request": "true", "HX-Target": f"thread-p-{paragraph.id}"}
    bad = client.post(f"{_base(spec)}/paragraphs/{paragraph.id}/comments", data={"body": " "}, headers=headers)
    assert bad.status_code == 422 and "collab-status" not in bad.get_data(as_text=True)


def test_badge_and_heading_count_the_same_comments(client, session):
    """Replies and hidden or deleted comments count in neither; both say how many comments the thread lists."""
    alliance = make_alliance()
    spec = make_spec(alliance)
    paragraph = paragraph_with(spec, "listened")
    first = comment_on(spec, "listened", body="First")
    comment_on(spec, "listened", body="Second")
    services.reply(db.session, member(alliance, Role.PROVIDER), first, body="A reply")
    viewer = member(alliance, Role.SERVICE_USER)
    login_as(client, viewer)
    page = client.get(_base(spec)).get_data(as_text=True)
    assert _badge(page, paragraph.id) == "2"
    thread = client.get(f"{_base(spec)}/paragraphs/{paragraph.id}").get_data(as_text=True)
    assert "Comments on this paragraph (2)" in thread
    assert services.paragraph_counts(db.session, spec, viewer, False)[paragraph.id] == 2


def test_a_reply_by_htmx_is_announced_and_focused(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    sam = member(alliance, Role.FACILITATOR, display_name="Sam")
    sc = comment_on(spec, "listened", by=sam)
    login_as(client, member(alliance, Role.SERVICE_USER))
    headers = {"HX-Request": "true", "HX-Target": f"thread-p-{sc.paragraph_id}"}
    made = client.post(f"{_base(spec)}/comments/{sc.id}/replies", data={"body": "Yes, and weekends."}, headers=headers)
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and ">Your reply to Sam was added</div>" in html
    assert "data-collab-focus" in html and _badge(html, sc.paragraph_id) is None  # replies do not change the badge


def test_reply_box_and_new_comment_box_say_which_is_which(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    sam = member(alliance, Role.FACILITATOR, display_name="Sam")
    sc = comment_on(spec, "listened", by=sam)
    login_as(client, member(alliance, Role.SERVICE_USER))
    html = client.get(f"{_base(spec)}/paragraphs/{sc.paragraph_id}").get_data(as_text=True)
    assert "Reply to Sam’s comment" in html and "Your reply to Sam</label>" in html
    assert "Add a new comment on this paragraph" in html and "Your comment on this paragraph</label>" in html
    assert 'class="collab-new-comment"' in html and "collab-reply__box" in html


def test_this_matters_to_me_too_shows_its_pressed_state_and_undo(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = comment_on(spec, "listened")
    supporter = member(alliance, Role.PROVIDER)
    login_as(client, supporter)
    url = f"{_base(spec)}/comments/{sc.id}/support"
    headers = {"HX-Request": "true", "HX-Target": f"support-{sc.id}"}
    before = client.get(f"{_base(spec)}/paragraphs/{sc.paragraph_id}").get_data(as_text=True)
    assert 'aria-pressed="false">This matters to me too' in before
    pressed = client.post(url, data={"action": "add"}, headers=headers).get_data(as_text=True)
    assert 'aria-pressed="true">You said this matters to you — undo' in pressed
    assert "1 person says this matters to them" in pressed
    undone = client.post(url, data={"action": "remove"}, headers=headers).get_data(as_text=True)
    assert 'aria-pressed="false">This matters to me too' in undone and "0 people say" in undone
    client.post(url, data={"action": "add"}, headers=headers)
    # The page cache keys on the person: the next reader of the same page sees their own state.
    login_as(client, member(alliance, Role.PROVIDER, display_name="Other"))
    other = client.get(f"{_base(spec)}/paragraphs/{sc.paragraph_id}").get_data(as_text=True)
    assert 'aria-pressed="false">This matters to me too' in other
