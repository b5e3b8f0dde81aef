"""Key result areas: six at most, status in words and trend; CSV import with a preview of every row."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from collab.db import db
from collab.errors import DomainError
from collab.value import services
from collab.value.models import KraStatus
from tests.factories import login_as
from tests.value.helpers import add_kras, make_value_world

D = Decimal


def _second_period(world):
    return services.add_period(db.session, world.commissioner, world.alliance, label="This half year",
                               starts_on=date(2030, 1, 1), ends_on=date(2030, 6, 30), reports_due_on=date(2030, 7, 31))


def test_an_alliance_keeps_six_key_result_areas_or_fewer(session):
    world = make_value_world()
    add_kras(world, 6)
    with pytest.raises(DomainError, match="6 key result areas or fewer"):
        add_kras(world, 1)


def test_the_minimum_cannot_be_better_than_the_target(session):
    world = make_value_world()
    with pytest.raises(DomainError, match="cannot be better"):
        services.add_kra(db.session, world.commissioner, world.alliance, name="Waits", measure="Days waited",
                         unit="days", direction="less", baseline=D(30), target=D(10), minimum=D(5))


def test_the_scorecard_says_where_each_kra_stands_and_its_trend(session):
    world = make_value_world()
    met, middling, below = add_kras(world, 3)
    later = _second_period(world)
    for kra, first, second in ((met, "70", "85"), (middling, "75", "65"), (below, "55", "55")):
        services.record_result(db.session, world.commissioner, kra, world.period, value=D(first))
        services.record_result(db.session, world.commissioner, kra, later, value=D(second))
    lines = services.scorecard(db.session, world.alliance)
    assert [(s.status, s.trend) for s in lines] == [
        (KraStatus.MET, "Better than last period"),
        (KraStatus.ABOVE_MINIMUM, "Worse than last period"),
        (KraStatus.BELOW_MINIMUM, "The same as last period"),
    ]
    standing = services.standing(lines)
    assert (standing.total, standing.met, standing.below_minimum) == (3, 1, 1)


def test_less_is_better_kras_are_judged_the_other_way(session):
    world = make_value_world()
    kra = services.add_kra(db.session, world.commissioner, world.alliance, name="Waits", measure="Days waited",
                           unit="days", direction="less", baseline=D(30), target=D(10), minimum=D(20))
    assert kra.status_of(D(9)) == KraStatus.MET
    assert kra.status_of(D(15)) == KraStatus.ABOVE_MINIMUM
    assert kra.status_of(D(21)) == KraStatus.BELOW_MINIMUM


CSV = (
    "Key result area,Period,Result,Note\n"
    "KRA 1,Last half year,81,New\n"        # add
    "KRA 2,Last half year,70,\n"           # change (from 65)
    "KRA 3,Last half year,55,\n"           # same
    "KRA 9,Last half year,10,\n"           # refuse: no such KRA
    "KRA 1,Next year,10,\n"                # refuse: no such period
    "KRA 4,Last half year,lots,\n"         # refuse: not a number
    "KRA 1,Last half year,82,\n"           # refuse: duplicate of line 2
)


def test_the_import_preview_lists_every_change_and_every_refusal_with_its_reason(session):
    world = make_value_world()
    kras = add_kras(world, 4)
    services.record_result(db.session, world.commissioner, kras[1], world.period, value=D(65))
    services.record_result(db.session, world.commissioner, kras[2], world.period, value=D(55))
    preview = services.preview_results(db.session, world.alliance, CSV)
    assert [(r.line, r.action) for r in preview.rows] == [
        (2, "add"), (3, "change"), (4, "same"), (5, "refuse"), (6, "refuse"), (7, "refuse"), (8, "refuse")]
    reasons = [r.reason for r in preview.refused]
    assert "no key result area called \u201cKRA 9\u201d" in reasons[0]
    assert "no period called \u201cNext year\u201d" in reasons[1]
    assert "not a number" in reasons[2]
    assert "Line 2 already gives" in reasons[3]
    assert preview.rows[1].before == "65.00 %" and preview.rows[1].after == "70 %"
    services.import_results(db.session, world.commissioner, world.alliance, CSV)
    values = {s.kra.name: s.value for s in services.scorecard(db.session, world.alliance)}
    assert values == {"KRA 1": D(81), "KRA 2": D(70), "KRA 3": D(55), "KRA 4": None}


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"), ("Name,Value\nx,1\n", "Missing: Key result area"), ("a" * 1_000_001, "too big")])
def test_a_file_that_cannot_be_imported_is_refused_whole(session, text, message):
    world = make_value_world()
    with pytest.raises(DomainError, match=message):
        services.preview_results(db.session, world.alliance, text)


def test_import_pages_preview_then_apply(client, session):
    import io

    world = make_value_world()
    add_kras(world, 4)
    login_as(client, world.commissioner)
    base = f"/alliances/{world.alliance.slug}/value/kras/import"
    page = client.post(base, data={"file": (io.BytesIO(CSV.encode()), "results.csv")},
                       content_type="multipart/form-data")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Check before you import" in body
    assert body.count(">Refused<") == 4 and "no key result area called" in body
    assert services.scorecard(db.session, world.alliance)[0].value is None  # the preview changed nothing
    assert client.post(f"{base}/apply", data={"text": CSV}).status_code == 303
    session.expire_all()
    assert services.scorecard(db.session, world.alliance)[0].value == D(81)
    bad = client.post(base, data={"file": (io.BytesIO(b"\xff\xfe\x00"), "x.csv")}, content_type="multipart/form-data")
    assert bad.status_code == 422 and "CSV UTF-8" in bad.get_data(as_text=True)
    none = client.post(base, data={}, content_type="multipart/form-data")
    assert none.status_code == 422 and "Choose a CSV file" in none.get_data(as_text=True)
