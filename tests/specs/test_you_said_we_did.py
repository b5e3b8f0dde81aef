"""'You said, we did' cannot claim a change that never happened, and shows the change it points to (issue 7, defect 9)."""

from __future__ import annotations

import csv
import io

import pytest

from collab.alliances.models import Role
from collab.errors import DomainError
from collab.specs import services
from collab.specs.models import Outcome
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import comment_on, make_spec


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def _edit(session, actor, section, old: str, new: str) -> None:
    assert old in section.body
    services.save_section(session, actor, section, section.lock_version, heading=section.heading,
                          body=section.body.replace(old, new))


@pytest.mark.parametrize("outcome", [Outcome.CHANGED, Outcome.PARTLY_CHANGED])
def test_changed_is_refused_when_the_section_was_not_edited(session, outcome) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened")
    with pytest.raises(DomainError) as refused:
        services.respond(session, boss, sc, outcome=outcome, text="We changed it.", change_section=spec.sections[0])
    assert refused.value.field == "change_section"
    assert "“Outcomes” has not been changed since this comment was made on draft 1" in str(refused.value)
    assert sc.response is None
    # A different section that was edited is not the one named: still refused.
    _edit(session, boss, spec.sections[1], "Riverside", "Riverside and Hillbrook")
    with pytest.raises(DomainError):
        services.respond(session, boss, sc, outcome=outcome, text="We changed it.", change_section=spec.sections[0])
    # Once the named section really changed, the answer is taken.
    _edit(session, boss, spec.sections[0], "four hours", "two hours")
    response = services.respond(session, boss, sc, outcome=outcome, text="We changed it.", change_section=spec.sections[0])
    assert response.change_version_number is None  # the change is in the working draft, not shared yet


def test_a_change_already_shared_is_found_in_its_draft(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened")
    _edit(session, boss, spec.sections[0], "four hours", "two hours")
    services.share_redraft(session, boss, spec, note="Quicker visits")
    _edit(session, boss, spec.sections[1], "Riverside", "Riverside and Hillbrook")
    services.share_redraft(session, boss, spec, note="A wider area")
    response = services.respond(session, boss, sc, outcome=Outcome.CHANGED, text="Quicker now.",
                                change_section=spec.sections[0])
    assert response.change_version_number == 2
    # A comment made on draft 3 about the same section has seen that change already.
    later = comment_on(spec, "two hours")
    assert later.version_number == 3
    with pytest.raises(DomainError, match="since this comment was made on draft 3"):
        services.respond(session, boss, later, outcome=Outcome.CHANGED, text="Done", change_section=spec.sections[0])


def test_a_change_put_back_before_sharing_is_not_claimed_by_the_draft(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened")
    outcomes = spec.sections[0]
    _edit(session, boss, outcomes, "four hours", "two hours")
    services.respond(session, boss, sc, outcome=Outcome.CHANGED, text="Quicker now.", change_section=outcomes)
    _edit(session, boss, outcomes, "two hours", "four hours")  # put back as it was
    _edit(session, boss, spec.sections[1], "Riverside", "Riverside and Hillbrook")
    services.share_redraft(session, boss, spec, note="A wider area")
    session.refresh(sc.response)
    assert sc.response.change_version_number is None


def test_the_respond_form_explains_why_changed_was_refused(client, session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    sc = comment_on(spec, "listened")
    login_as(client, commissioner_of(alliance))
    url = f"{_base(spec)}/comments/{sc.id}/respond"
    form = {"outcome": "changed", "text": "We added it.", "change_section": str(spec.sections[0].id)}
    refused = client.post(url, data=form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "govuk-error-summary" in html and "has not been changed since this comment was made on draft 1" in html
    assert 'href="#change_section"' in html
    session.expire_all()
    assert sc.response is None


def _answered_with_a_real_change(session):
    """A comment on one paragraph, answered "changed" for an edit to another paragraph of its section."""
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    sc = comment_on(spec, "listened", body="Please be quicker.")
    _edit(session, boss, spec.sections[0], "seen within four hours", "seen within two hours")
    services.respond(session, boss, sc, outcome=Outcome.CHANGED, text="We made visits quicker.",
                     change_section=spec.sections[0])
    return alliance, spec, sc, boss


def test_the_report_shows_the_text_change_the_answer_points_to(client, session) -> None:
    alliance, spec, sc, boss = _answered_with_a_real_change(session)
    login_as(client, member(alliance, Role.SERVICE_USER))
    before_sharing = client.get(f"{_base(spec)}/you-said-we-did").get_data(as_text=True)
    assert "The change will be in the next draft." in before_sharing
    services.share_redraft(session, boss, spec, note="Quicker visits")
    html = client.get(f"{_base(spec)}/you-said-we-did").get_data(as_text=True)
    row = html[html.index(f'id="report-{sc.id}"'):]
    row = row[: row.index('class="collab-report__row"', 1) if 'class="collab-report__row"' in row[1:] else None]
    assert "How “Outcomes” changed in draft 2:" in row
    assert '<span class="govuk-visually-hidden">[removed: </span>four<' in row
    assert '<span class="govuk-visually-hidden">[added: </span>two<' in row
    # Compact: the unchanged parts of the section are cut down, not repeated in full.
    assert "Fewer people go to A&amp;E" not in row
    assert f'{_base(spec)}/compare?from=1&amp;to=2' in row


def test_the_comment_page_links_to_the_draft_with_the_change(client, session) -> None:
    alliance, spec, sc, boss = _answered_with_a_real_change(session)
    # The link compares the draft the comment was made on with the draft that has the change.
    services.share_redraft(session, boss, spec, note="Quicker visits")
    login_as(client, member(alliance, Role.SERVICE_USER))
    html = client.get(f"{_base(spec)}/paragraphs/{sc.paragraph_id}").get_data(as_text=True)
    assert f'{_base(spec)}/compare?from=1&amp;to=2' in html and "see the change in draft 2" in html
    compare = client.get(f"{_base(spec)}/compare?from=1&to=2").get_data(as_text=True)
    assert "[added: </span>two" in compare


def test_the_csv_shows_the_text_change(client, session) -> None:
    alliance, spec, sc, boss = _answered_with_a_real_change(session)
    services.share_redraft(session, boss, spec, note="Quicker visits")
    login_as(client, member(alliance, Role.SERVICE_USER))
    response = client.get(f"{_base(spec)}/you-said-we-did.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    row = next(r for r in rows if r["Comment"] == "Please be quicker.")
    assert row["Outcome"] == "Changed" and row["Section changed"] == "Outcomes"
    assert row["Changed in version"] == "2"
    assert "seen within [removed: four] [added: two] hours" in row["How the section changed"]
