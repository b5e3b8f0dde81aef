"""The merge box for specification sections and details: both people's changes, or an explicit choice."""

from __future__ import annotations

from collab.alliances.models import Role
from collab.specs import services
from collab.specs.models import Spec, SpecSection
from tests.documents.forms import form_on
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import make_spec


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def test_a_section_saved_without_thinking_keeps_the_other_change(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    section = spec.sections[0]
    url = f"{_base(spec)}/sections/{section.id}"
    login_as(client, member(alliance, Role.PROVIDER))
    fields = form_on(client.get(url).get_data(as_text=True), "", having="merge_base")["fields"]
    original = fields["body"]
    # Someone else adds a paragraph at the start; this person adds one at the end.
    services.save_section(session, commissioner_of(alliance), section, section.lock_version, heading=section.heading,
                          body="Their first paragraph.\n\n" + original)
    session.flush()
    fields["body"] = original + "\n\nMy last paragraph."
    conflict = client.post(url, data=fields)
    assert conflict.status_code == 409
    again = form_on(conflict.get_data(as_text=True), "", having="merge_base")["fields"]
    assert again["body"] == "Their first paragraph.\n\n" + original + "\n\nMy last paragraph."
    assert client.post(url, data=again).status_code == 303
    assert session.get(SpecSection, section.id, populate_existing=True).body == again["body"]


def test_spec_details_conflict_asks_where_both_changed_the_easy_read(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance, open_consultation=False)
    url = f"{_base(spec)}/details"
    boss = commissioner_of(alliance)
    services.update_details(session, boss, spec, spec.lock_version, title=spec.title, service_area=spec.service_area,
                            summary=spec.summary, easy_read="Help when you need it.")
    session.flush()
    login_as(client, member(alliance, Role.FACILITATOR))
    fields = form_on(client.get(url).get_data(as_text=True), "", having="merge_base")["fields"]
    current = session.get(Spec, spec.id, populate_existing=True)
    services.update_details(session, boss, current, current.lock_version, title="Crisis help",
                            service_area=current.service_area, summary=current.summary,
                            easy_read="Help on the day you need it.")
    session.flush()
    fields["easy_read"] = "Help when you need it, day or night."
    conflict = client.post(url, data=fields)
    page = conflict.get_data(as_text=True)
    assert conflict.status_code == 409 and "Keep theirs" in page and "<textarea" not in page
    choices = form_on(page, "", having="resolve")["fields"]
    assert client.post(url, data=choices).status_code == 422
    chosen = client.post(url, data={**choices, "keep-easy_read-0": "mine"})
    box = form_on(chosen.get_data(as_text=True), "", having="merge_base")["fields"]
    assert box["title"] == "Crisis help" and box["easy_read"] == "Help when you need it, day or night."
    assert client.post(url, data=box).status_code == 303
    saved = session.get(Spec, spec.id, populate_existing=True)
    assert (saved.title, saved.easy_read) == ("Crisis help", "Help when you need it, day or night.")
