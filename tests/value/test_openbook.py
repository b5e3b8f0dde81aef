"""Open book: every member's figures, seen by every member (observers too), never by other alliances."""

from __future__ import annotations

import io
from decimal import Decimal

from collab.alliances.models import Role
from collab.db import db
from collab.value import services
from tests.factories import add_member, login_as, make_user
from tests.value.helpers import make_value_world

D = Decimal


def test_every_member_sees_every_members_figures_and_outsiders_do_not(client, session):
    world = make_value_world()
    services.save_line(db.session, world.small_provider, world.alliance, world.small_org, world.period,
                       cost_line="Staff", budget=D("120000"), actual=D("118500.50"), note="One post vacant")
    services.save_line(db.session, world.large_provider, world.alliance, world.large_org, world.period,
                       cost_line="Premises", budget=D("40000"), actual=D("43000"))
    observer = add_member(world.alliance, make_user(), Role.OBSERVER).user
    login_as(client, observer)
    page = client.get(f"/alliances/{world.alliance.slug}/value/open-book").get_data(as_text=True)
    assert "£118,500.50" in page and "£43,000" in page and "One post vacant" in page
    assert "£3,000 over" in page and "£1,499.50 under" in page
    exported = client.get(f"/alliances/{world.alliance.slug}/value/open-book.csv").get_data(as_text=True)
    assert "118500.50" in exported and world.large_org.name in exported
    other = make_value_world()
    login_as(client, other.commissioner)
    assert client.get(f"/alliances/{world.alliance.slug}/value/open-book").status_code == 404
    assert client.get(f"/alliances/{world.alliance.slug}/value/open-book.csv").status_code == 404


def test_the_open_book_gives_the_models_actual_cost(session):
    world = make_value_world()
    services.save_line(db.session, world.small_provider, world.alliance, world.small_org, world.period,
                       cost_line="Staff", budget=D("100"), actual=D("90.10"))
    services.save_line(db.session, world.large_provider, world.alliance, world.large_org, world.period,
                       cost_line="Staff", budget=D("100"), actual=D("120"))
    assert services.actual_cost_for_year(db.session, world.alliance, world.period.starts_on.year) == D("210.10")
    assert services.actual_cost_for_year(db.session, world.alliance, 1999) is None


def test_a_member_imports_only_its_own_figures_with_a_preview(client, session):
    world = make_value_world()
    services.save_line(db.session, world.small_provider, world.alliance, world.small_org, world.period,
                       cost_line="Staff", budget=D("100"), actual=D("90"))
    text = ("Period,Cost line,Budget,Actual,Note\n"
            f"{world.period.label},Staff,100,95,\n"
            f"{world.period.label},Travel,\"1,200\",£950.25,Mileage\n"
            f"{world.period.label},Food,-5,1,\n"
            "Someday,Staff,1,1,\n")
    preview = services.preview_lines(db.session, world.alliance, world.small_org, text)
    assert [r.action for r in preview.rows] == ["change", "add", "refuse", "refuse"]
    assert preview.rows[0].before == "budget £100.00, actual £90.00"
    login_as(client, world.small_provider)
    base = f"/alliances/{world.alliance.slug}/value/open-book/import"
    page = client.post(base, data={"file": (io.BytesIO(text.encode()), "book.csv")}, content_type="multipart/form-data")
    assert page.status_code == 200 and page.get_data(as_text=True).count(">Refused<") == 2
    assert client.post(f"{base}/apply", data={"text": text}).status_code == 303
    session.expire_all()
    lines = {(line.organisation_id, line.cost_line): line.actual for line in services.lines_of(db.session, world.alliance)}
    assert lines == {(world.small_org.id, "Staff"): D("95.00"), (world.small_org.id, "Travel"): D("950.25")}
