"""The For you page, where people land after signing in, and the panel on each alliance home."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.agreements import services as agreements
from collab.alliances.models import Role
from collab.db import utcnow
from collab.foryou.models import AttentionVisit
from collab.specs import services as specs
from tests.agreements.helpers import first_clause, make_cast, propose_change, start
from tests.factories import PASSWORD, add_member, login_as, make_alliance, make_user
from tests.specs.helpers import make_spec, paragraph_with
from tests.specs.test_query_counts import counting


def text(response) -> str:
    return response.get_data(as_text=True)


def test_signing_in_lands_on_for_you(client, session):
    me = make_user(email="ada@example.org")
    response = client.post("/sign-in", data={"email": "ada@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/for-you"
    assert client.get("/").headers["Location"] == "/for-you"
    page = text(client.get("/for-you"))
    assert "<h1 class=\"govuk-heading-l\">For you</h1>" in page
    assert "You are not in an alliance yet" in page
    assert me.id


def test_for_you_lists_what_needs_you_nearest_first_with_links(client, session):
    cast = make_cast(name="Riverside Test Alliance")
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement), by=cast.provider_b)
    spec = make_spec(cast.alliance)
    login_as(client, cast.service_user)
    page = text(client.get("/for-you"))
    assert "What needs you (2)" in page
    consult = page.index("Have your say on “Crisis support”")
    respond = page.index(f"Respond to the proposal “{proposal.heading}”")
    assert respond < consult  # the proposal closes in 7 days, the consultation in 28
    assert f'href="/alliances/{cast.alliance.slug}/agreement/proposals/{proposal.id}"' in page
    assert f'href="/alliances/{cast.alliance.slug}/specs/{spec.id}"' in page
    assert "Due in 7 days" in page and "Due in 28 days" in page
    assert "Riverside Test Alliance" in page
    assert "What changed in the last two weeks" in page
    assert 'href="/my-comments"' in page
    # After answering, it is gone.
    agreements.respond(session, cast.service_user, proposal, response="agree")
    specs.add_comment(session, cast.service_user, paragraph_with(spec, "listened"), body="Good.")
    page = text(client.get("/for-you"))
    assert "Nothing needs you right now" in page


def test_what_changed_since_your_last_visit(client, session):
    alliance = make_alliance()
    me = add_member(alliance, make_user(), Role.SERVICE_USER).user
    login_as(client, me)
    client.get("/for-you")
    visit = session.scalar(select(AttentionVisit).where(AttentionVisit.user_id == me.id, AttentionVisit.scope == "all"))
    assert visit is not None
    # Make the first visit yesterday's: today's visit is a new sitting.
    visit.seen_at = visit.sitting_started_at = utcnow() - timedelta(days=1)
    session.flush()
    add_member(alliance, make_user(display_name="Newcomer"), Role.OBSERVER)
    page = text(client.get("/for-you"))
    assert "What changed since your last visit" in page
    assert "Newcomer joined as an observer" in page
    # A reload in the same sitting still shows it.
    assert "Newcomer joined as an observer" in text(client.get("/for-you"))


def test_the_alliance_home_has_a_panel_of_its_own_items(client, session):
    cast = make_cast(name="Panel Alliance")
    other = make_alliance(name="Elsewhere Alliance")
    add_member(other, cast.service_user, Role.SERVICE_USER)
    make_spec(cast.alliance, title="Day care")
    make_spec(other, title="Youth work")
    login_as(client, cast.service_user)
    home = text(client.get(f"/alliances/{cast.alliance.slug}"))
    # The home page (which may come from the page cache) fetches the personal panel on its own.
    assert f'data-hx-get="/alliances/{cast.alliance.slug}/for-you"' in home
    panel = text(client.get(f"/alliances/{cast.alliance.slug}/for-you", headers={"HX-Request": "true"}))
    assert "For you in this alliance" in panel
    assert "Have your say on “Day care”" in panel
    assert "Youth work" not in panel
    assert 'href="/for-you"' in panel
    # Observers have nothing to do there, and visitors of a public alliance see no panel at all.
    login_as(client, cast.observer)
    assert "Nothing here needs you right now" in text(
        client.get(f"/alliances/{cast.alliance.slug}/for-you", headers={"HX-Request": "true"})
    )


def test_the_for_you_page_costs_the_same_statements_with_one_alliance_or_four(client, session, engine):
    me = make_user()

    def busy_alliance(name: str) -> None:
        cast = make_cast(name=name)
        add_member(cast.alliance, me, Role.PROVIDER, cast.org_a)
        agreement = start(cast)
        agreements.publish(session, cast.commissioner, agreement)
        agreements.open_drafting(session, cast.commissioner, agreement)
        propose_change(cast, agreement, first_clause(agreement), by=cast.provider_b)
        spec = make_spec(cast.alliance)
        mine = specs.add_comment(session, me, paragraph_with(spec, "listened"), body="Mine.")
        specs.reply(session, cast.provider_b, mine, body="A reply.")
        make_spec(cast.alliance, title="Another")

    def statements() -> tuple[int, str]:
        client.get("/for-you")
        with counting(engine) as seen:
            page = text(client.get("/for-you"))
        return seen[0], page

    busy_alliance("First Busy Alliance")
    login_as(client, me)
    one, page = statements()
    assert page.count("Respond to the proposal") == 1 and page.count("Sign version 1") == 1
    for n in range(3):
        busy_alliance(f"Busy Alliance {n}")
    four, page = statements()
    assert page.count("Respond to the proposal") == 4 and page.count("Sign version 1") == 4
    assert page.count("Have your say on “Another”") == 4
    assert one == four, (one, four)
    assert four <= 30


def test_a_busy_database_does_not_stop_the_page(client, session, monkeypatch):
    """SQLite allows one writer: when noting the visit finds the database busy, the page still shows."""
    from sqlalchemy.exc import OperationalError

    from collab.foryou import services as foryou

    cast = make_cast(name="Busy Alliance")
    make_spec(cast.alliance, title="Day care")
    login_as(client, cast.service_user)

    def busy(*args, **kwargs):
        raise OperationalError("UPDATE attention_visit", {}, Exception("database is locked"))

    monkeypatch.setattr(foryou, "record_visit", busy)
    page = client.get("/for-you")
    assert page.status_code == 200
    assert "Have your say on “Day care”" in text(page)
