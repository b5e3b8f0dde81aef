"""The merge box after an edit conflict starts from both people's changes: clicking "save" without
reading never loses the other person's change; where both changed the same words, a choice is needed."""

from __future__ import annotations

from collab.agreements import services
from collab.agreements.models import Clause
from tests.agreements.helpers import first_clause, make_cast, start
from tests.agreements.helpers import response_text as _text
from tests.documents.forms import form_on
from tests.factories import login_as

BODY = "We meet every month. We share our costs.\n\nDecisions are unanimous."


def _setup(session):
    cast = make_cast()
    clause = first_clause(start(cast))
    services.edit_clause(session, cast.commissioner, clause, heading="Purpose", body=BODY,
                         lock_version=clause.lock_version)
    session.flush()
    return cast, clause


def _edit_url(cast, clause) -> str:
    return f"/alliances/{cast.alliance.slug}/agreement/clauses/{clause.id}/edit"


def _open_form(client, cast, clause) -> dict:
    """The edit form as Ben's browser got it, before Ann saved."""
    return form_on(_text(client.get(_edit_url(cast, clause))), f"/clauses/{clause.id}/edit")["fields"]


def _ann_saves(session, cast, clause, body, heading="Purpose"):
    current = session.get(Clause, clause.id, populate_existing=True)
    services.edit_clause(session, cast.provider_a, current, heading=heading, body=body,
                         lock_version=current.lock_version)
    session.flush()


def _stored(session, clause) -> Clause:
    return session.get(Clause, clause.id, populate_existing=True)


def test_saving_the_merge_box_without_thinking_keeps_both_changes(client, session):
    cast, clause = _setup(session)
    login_as(client, cast.provider_b)
    fields = _open_form(client, cast, clause)
    _ann_saves(session, cast, clause, BODY.replace("every month", "every week"))
    body = f"clause-{clause.id}-body"
    fields[body] = fields[body].replace("our costs", "all our costs")
    conflict = client.post(_edit_url(cast, clause), data=fields)
    page = _text(conflict)
    assert conflict.status_code == 409 and "We have put both changes together" in page
    again = form_on(page, f"/clauses/{clause.id}/edit")["fields"]
    assert again[body] == "We meet every week. We share all our costs.\n\nDecisions are unanimous."
    # Ben clicks "Save the merged text" without reading: Ann's change is still there.
    assert client.post(_edit_url(cast, clause), data=again).status_code == 303
    assert _stored(session, clause).body == "We meet every week. We share all our costs.\n\nDecisions are unanimous."


def test_where_both_changed_the_same_words_there_is_no_save_until_a_choice_is_made(client, session):
    cast, clause = _setup(session)
    login_as(client, cast.provider_b)
    fields = _open_form(client, cast, clause)
    _ann_saves(session, cast, clause, BODY.replace("every month", "every week") + "\n\nWe review it each year.")
    body = f"clause-{clause.id}-body"
    fields[body] = fields[body].replace("every month", "every fortnight")
    conflict = client.post(_edit_url(cast, clause), data=fields)
    page = _text(conflict)
    assert conflict.status_code == 409
    assert "You both changed the same words in 1 place" in page
    assert "Theirs, saved by Ann Provider" in page and "We meet every week." in page and "We meet every fortnight." in page
    assert "Keep theirs" in page and "Keep mine" in page and "Keep both" in page
    assert "<textarea" not in page and "Save the merged text" not in page  # no box to save from yet
    choices = form_on(page, f"/clauses/{clause.id}/edit")
    assert "keep-body-0" not in choices["fields"]  # nothing is chosen for them
    # Sending the choices form without choosing: refused, nothing saved.
    refused = client.post(_edit_url(cast, clause), data=choices["fields"])
    assert refused.status_code == 422 and "Choose what to keep in place 1" in _text(refused)
    assert _stored(session, clause).body.startswith("We meet every week.")
    # Keep both: the merged text comes back into the box to check, then save.
    chosen = client.post(_edit_url(cast, clause), data={**choices["fields"], "keep-body-0": "both"})
    assert chosen.status_code == 200 and "Your choices are in" in _text(chosen)
    box = form_on(_text(chosen), f"/clauses/{clause.id}/edit")["fields"]
    assert box[body] == ("We meet every week. We meet every fortnight. We share our costs.\n\n"
                         "Decisions are unanimous.\n\nWe review it each year.")
    assert client.post(_edit_url(cast, clause), data=box).status_code == 303
    assert _stored(session, clause).body == box[body]


def test_keep_mine_keeps_the_rest_of_their_change(client, session):
    cast, clause = _setup(session)
    login_as(client, cast.provider_b)
    fields = _open_form(client, cast, clause)
    _ann_saves(session, cast, clause, BODY.replace("every month", "every week") + "\n\nWe review it each year.",
               heading="Our purpose")
    body = f"clause-{clause.id}-body"
    fields[body] = fields[body].replace("every month", "every fortnight")
    choices = form_on(_text(client.post(_edit_url(cast, clause), data=fields)), f"/clauses/{clause.id}/edit")
    box = form_on(_text(client.post(_edit_url(cast, clause), data={**choices["fields"], "keep-body-0": "mine"})),
                  f"/clauses/{clause.id}/edit")["fields"]
    assert box[body].startswith("We meet every fortnight.") and box[body].endswith("We review it each year.")
    assert box[f"clause-{clause.id}-heading"] == "Our purpose"  # their heading change merged in too


def test_a_third_save_while_choosing_starts_the_merge_again(client, session):
    cast, clause = _setup(session)
    login_as(client, cast.provider_b)
    fields = _open_form(client, cast, clause)
    _ann_saves(session, cast, clause, BODY.replace("every month", "every week"))
    body = f"clause-{clause.id}-body"
    fields[body] = fields[body].replace("every month", "every fortnight")
    choices = form_on(_text(client.post(_edit_url(cast, clause), data=fields)), f"/clauses/{clause.id}/edit")
    _ann_saves(session, cast, clause, BODY.replace("every month", "every week") + "\n\nA late addition.")
    again = client.post(_edit_url(cast, clause), data={**choices["fields"], "keep-body-0": "theirs"})
    assert again.status_code == 409 and "A late addition." in _text(again)
    assert "Keep theirs" in _text(again)


def test_the_merge_works_in_place_with_htmx(client, session):
    cast, clause = _setup(session)
    login_as(client, cast.provider_b)
    fields = _open_form(client, cast, clause)
    _ann_saves(session, cast, clause, BODY.replace("every month", "every week"))
    fields[f"clause-{clause.id}-body"] = fields[f"clause-{clause.id}-body"].replace("our costs", "all our costs")
    headers = {"HX-Request": "true", "HX-Target": f"clause-{clause.id}"}
    conflict = client.post(_edit_url(cast, clause), data=fields, headers=headers)
    assert conflict.status_code == 409
    assert _text(conflict).lstrip().startswith(f'<section class="collab-clause collab-clause--editing" id="clause-{clause.id}"')
