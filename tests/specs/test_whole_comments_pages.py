"""The pages for comments on a whole section and on the whole specification: with htmx and without."""

from __future__ import annotations

import re

from collab.alliances.models import Role
from collab.db import db
from collab.specs import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import make_spec


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def _empty(spec):
    return next(s for s in spec.sections if not s.body.strip())


def _badge(html: str, key: str) -> str | None:
    found = re.search(rf'<span class="collab-count" id="count-{key}"[^>]*>(\d+)<span', html)
    return found.group(1) if found else None


def test_every_section_even_an_empty_one_and_the_whole_spec_can_be_commented_on(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    empty = _empty(spec)
    login_as(client, member(alliance, Role.SERVICE_USER))
    page = client.get(_base(spec)).get_data(as_text=True)
    assert page.count(">Comment on this section<") == len(spec.sections)
    # The empty section says so, and its link is right under it.
    section_html = page.split(f'id="section-{empty.id}"', 1)[1].split("</section>", 1)[0]
    assert "Nothing written yet." in section_html
    assert f'href="{_base(spec)}/sections/{empty.id}/as-a-whole"' in section_html
    assert f'data-hx-target="#thread-s-{empty.id}"' in section_html and _badge(section_html, f"s-{empty.id}") == "0"
    assert "Comment on the specification as a whole" in page and f'href="{_base(spec)}/as-a-whole"' in page
    assert _badge(page, "spec") == "0"


def test_an_observer_sees_the_links_but_is_not_asked_to_comment(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    login_as(client, member(alliance, Role.OBSERVER))
    page = client.get(_base(spec)).get_data(as_text=True)
    assert "See comments on this section" in page and "See comments on the specification as a whole" in page
    thread = client.get(f"{_base(spec)}/as-a-whole").get_data(as_text=True)
    assert "Add a new comment" not in thread


def test_a_section_comment_by_htmx_is_announced_focused_and_updates_the_badge(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    empty = _empty(spec)
    login_as(client, member(alliance, Role.SERVICE_USER))
    headers = {"HX-Request": "true", "HX-Target": f"thread-s-{empty.id}", "HX-Current-URL": f"http://localhost{_base(spec)}"}
    thread = client.get(f"{_base(spec)}/sections/{empty.id}/as-a-whole", headers=headers).get_data(as_text=True)
    assert thread.lstrip().startswith(f'<section id="thread-s-{empty.id}"')
    assert "Add a new comment on this section as a whole" in thread and f'id="body-s-{empty.id}"' in thread
    made = client.post(f"{_base(spec)}/sections/{empty.id}/as-a-whole/comments", data={"body": "Nothing about nights."}, headers=headers)
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and html.lstrip().startswith(f'<section id="thread-s-{empty.id}"')
    assert '<div id="collab-status" data-hx-swap-oob="innerHTML">Your comment was added</div>' in html
    sc = services.section_comments(db.session, spec, empty, None, True)[0]
    assert re.search(rf'id="comment-{sc.comment_id}" tabindex="-1" data-collab-focus', html)
    assert "Comments on this section as a whole (1)" in html and _badge(html, f"s-{empty.id}") == "1"
    assert _badge(client.get(_base(spec)).get_data(as_text=True), f"s-{empty.id}") == "1"


def test_a_whole_spec_comment_without_javascript_redirects_to_it(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    login_as(client, member(alliance, Role.PROVIDER))
    made = client.post(f"{_base(spec)}/as-a-whole/comments", data={"body": "A good start overall."})
    assert made.status_code == 303 and made.headers["Location"].startswith(f"{_base(spec)}/as-a-whole#comment-")
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "Your comment has been added." in page and "A good start overall." in page
    assert "<h1 class=\"govuk-heading-l\">Comments on the whole specification</h1>" in page
    assert "data-hx-swap-oob" not in page


def test_an_empty_comment_is_422_with_the_error_by_the_box(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    section = spec.sections[0]
    login_as(client, member(alliance, Role.SERVICE_USER))
    bad = client.post(f"{_base(spec)}/sections/{section.id}/as-a-whole/comments", data={"body": "  "})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "govuk-error-summary" in html and f'id="body-s-{section.id}-error"' in html
    headers = {"HX-Request": "true", "HX-Target": "thread-spec"}
    bad = client.post(f"{_base(spec)}/as-a-whole/comments", data={"body": ""}, headers=headers)
    assert bad.status_code == 422 and bad.get_data(as_text=True).lstrip().startswith('<section id="thread-spec"')


def test_replies_support_and_responses_come_back_to_the_right_place(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    empty = _empty(spec)
    author = member(alliance, Role.SERVICE_USER)
    on_section = services.add_comment(db.session, author, empty, body="Nothing about nights.")
    on_spec = services.add_comment(db.session, author, spec, body="Overall fine.")
    login_as(client, member(alliance, Role.PROVIDER))
    headers = {"HX-Request": "true", "HX-Target": "thread-spec"}
    replied = client.post(f"{_base(spec)}/comments/{on_spec.id}/replies", data={"body": "Agreed."}, headers=headers)
    assert replied.status_code == 200 and replied.get_data(as_text=True).lstrip().startswith('<section id="thread-spec"')
    replied = client.post(f"{_base(spec)}/comments/{on_section.id}/replies", data={"body": "Yes, nights."})
    assert replied.headers["Location"].startswith(f"{_base(spec)}/sections/{empty.id}/as-a-whole#comment-")
    supported = client.post(f"{_base(spec)}/comments/{on_spec.id}/support", data={"action": "add"})
    assert supported.headers["Location"] == f"{_base(spec)}/as-a-whole#comment-{on_spec.comment_id}"
    login_as(client, commissioner_of(alliance))
    form = client.get(f"{_base(spec)}/comments/{on_spec.id}/respond").get_data(as_text=True)
    assert "About: the whole specification" in form and f'href="{_base(spec)}/as-a-whole#comment-{on_spec.comment_id}"' in form
    answered = client.post(f"{_base(spec)}/comments/{on_section.id}/respond",
                           data={"outcome": "answered", "text": "We will add nights."})
    assert answered.headers["Location"] == f"{_base(spec)}/sections/{empty.id}/as-a-whole#comment-{on_section.comment_id}"


def test_lists_say_where_each_comment_is(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    empty = _empty(spec)
    author = member(alliance, Role.SERVICE_USER)
    services.add_comment(db.session, author, empty, body="Nothing about nights.")
    services.add_comment(db.session, author, spec, body="Overall fine.")
    login_as(client, author)
    report = client.get(f"{_base(spec)}/you-said-we-did").get_data(as_text=True)
    assert "On the whole section" in report and "On the whole specification" in report
    assert "The whole specification</h3>" in report
    comments = client.get(f"{_base(spec)}/comments").get_data(as_text=True)
    assert f'href="{_base(spec)}/as-a-whole#comment-' in comments
    assert f'href="{_base(spec)}/sections/{empty.id}/as-a-whole#comment-' in comments
    mine = client.get("/my-comments").get_data(as_text=True)
    assert f"On the whole section “{empty.heading}”" in mine and "On the whole specification" in mine
    assert f'href="{_base(spec)}/as-a-whole#comment-' in mine
    csv = client.get(f"{_base(spec)}/you-said-we-did.csv")
    text = csv.get_data(as_text=True)
    csv.close()
    assert "On the whole specification" in text and "On the whole section" in text


def test_the_shared_change_and_hide_routes_know_section_threads(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    author = member(alliance, Role.SERVICE_USER)
    sc = services.add_comment(db.session, author, spec.sections[0], body="Nothing about nights.")
    login_as(client, author)
    edit = client.get(f"/alliances/{alliance.slug}/comments/{sc.comment_id}/edit")
    assert edit.status_code == 200
    changed = client.post(f"/alliances/{alliance.slug}/comments/{sc.comment_id}/edit", data={"body": "Nights, please."})
    assert changed.status_code == 303 and f"/sections/{spec.sections[0].id}/as-a-whole" in changed.headers["Location"]
