"""Workshop contributions in "you said, we did": counted as groups with their size, filterable by workshop (issue 11)."""

from __future__ import annotations

import csv
import io
import re

from collab.alliances.models import Role
from collab.db import db
from collab.specs import services as spec_services
from collab.specs.models import Outcome
from collab.workshops import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import comment_on, make_spec
from tests.workshops.helpers import make_past, make_workshop


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _setting(session):
    """A spec with one service user's comment and comments from two workshops' tables."""
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    spec = make_spec(alliance)
    own = comment_on(spec, "listened", body="Please listen to me.")
    march = make_past(make_workshop(alliance, title="Evening support"), days=3)
    april = make_past(make_workshop(alliance, title="Crisis café"), days=1)
    section = spec.sections[0].id
    table2 = services.add_contributions(session, organiser, march, group_name="table 2", people=4,
                                        lines="More evening sessions\nPeer workers on every shift")
    table3 = services.add_contributions(session, organiser, march, group_name="table 3", people=5,
                                        lines="A quiet room")
    cafe = services.add_contributions(session, organiser, april, group_name="the café group", people=6,
                                      lines="Open until midnight")
    posted = [services.contribution_to_comment(session, organiser, c, section) for c in table2 + table3 + cafe]
    session.flush()
    return alliance, organiser, spec, own, march, april, posted


def test_workshop_comments_are_counted_as_groups_with_their_size(client, session):
    alliance, organiser, spec, own, march, april, posted = _setting(session)
    assert [p.group_size for p in posted] == [4, 4, 5, 6]
    assert {p.source_key for p in posted[:3]} == {f"workshop:{march.id}"}
    spec_services.respond(session, organiser, posted[2], outcome=Outcome.NOT_CHANGED, text="We have no room yet.")
    counts = spec_services.report_counts(session, spec, organiser, True)
    # The organiser typed them in, but not one of them is counted as a commissioner's comment.
    assert set(counts.by_role) == {Role.SERVICE_USER}
    assert counts.by_role[Role.SERVICE_USER]["comments"] == 1
    assert counts.groups is not None
    assert counts.groups["comments"] == 4 and counts.groups["people"] == 4 + 4 + 5 + 6
    assert counts.groups["responded"] == 1 and counts.groups[Outcome.NOT_CHANGED.value] == 1
    assert counts.total == 5

    login_as(client, member(alliance, Role.SERVICE_USER))
    page = client.get(f"/alliances/{alliance.slug}/specs/{spec.id}/you-said-we-did")
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert "Groups at workshops and events (speaking for 19 people) 4 1" in text
    assert "Commissioners" not in text
    day = march.local_start
    assert f"From the {day.day} {day:%B} workshop, table 2 (4 people), added by" in text
    assert "a group of 4 people" in text and "a group of 6 people" in text


def test_the_report_can_be_filtered_by_workshop_and_so_can_its_spreadsheet(client, session):
    alliance, organiser, spec, own, march, april, posted = _setting(session)
    login_as(client, member(alliance, Role.PROVIDER))
    base = f"/alliances/{alliance.slug}/specs/{spec.id}/you-said-we-did"
    html = client.get(base).get_data(as_text=True)
    # A plain GET form (works without JavaScript) listing the workshops whose comments are here.
    assert re.search(r'<form method="get" action="[^"]*/you-said-we-did"', html)
    march_label = f"{march.short_date} workshop: Evening support"
    april_label = f"{april.short_date} workshop: Crisis café"
    select = re.search(r'<select class="govuk-select" id="source" name="source">(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert options == [("", "Everywhere (all comments)"), (f"workshop:{march.id}", f"{march_label} (3 comments)"),
                       (f"workshop:{april.id}", f"{april_label} (1 comment)")]

    only_march = client.get(base, query_string={"source": f"workshop:{march.id}"})
    assert only_march.status_code == 200
    text = _text(only_march.get_data(as_text=True))
    assert f"Showing only comments from the {march_label}" in text
    assert "More evening sessions" in text and "A quiet room" in text
    assert "Open until midnight" not in text and "Please listen to me." not in text
    assert "Groups at workshops and events (speaking for 13 people) 3" in text
    assert "Service users" not in text
    assert re.search(rf"you-said-we-did.csv\?source=workshop(:|%3A){march.id}\"", only_march.get_data(as_text=True))

    rows = _csv(client.get(f"{base}.csv", query_string={"source": f"workshop:{april.id}"}))
    assert [r["Comment"] for r in rows] == ["Open until midnight"]
    assert rows[0]["Speaks for (people)"] == "6" and rows[0]["Role"] == "Group"
    assert rows[0]["Where it came from"] == april_label
    everything = _csv(client.get(f"{base}.csv"))
    assert len(everything) == 5
    mine = next(r for r in everything if r["Comment"] == "Please listen to me.")
    assert mine["Speaks for (people)"] == "1" and mine["Role"] not in ("", "Group")
    assert mine["Where it came from"] == ""

    # A workshop none of these comments came from (or any made-up value) shows the whole report.
    other = make_workshop(alliance, title="Nothing posted")
    for value in (f"workshop:{other.id}", "nonsense", "workshop:999999"):
        response = client.get(base, query_string={"source": value})
        assert response.status_code == 200
        assert "Please listen to me." in response.get_data(as_text=True)
        assert len(_csv(client.get(f"{base}.csv", query_string={"source": value}))) == 5


def test_a_spec_with_no_workshop_comments_has_no_filter_and_no_group_row(client, session):
    alliance = make_alliance()
    spec = make_spec(alliance)
    comment_on(spec, "listened", body="Please listen to me.")
    db.session.flush()
    login_as(client, member(alliance, Role.SERVICE_USER))
    html = client.get(f"/alliances/{alliance.slug}/specs/{spec.id}/you-said-we-did").get_data(as_text=True)
    assert 'name="source"' not in html and "Groups at workshops" not in html
