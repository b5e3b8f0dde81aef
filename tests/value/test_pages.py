"""Value pages as people use them: report, confirm, the value page and its CSV, the model and the modeller."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from collab.db import db
from collab.value import money, services
from collab.value.models import ReportStatus, TargetCost
from tests.factories import login_as
from tests.value.helpers import commit_and_report, make_value_world


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_a_provider_reports_and_a_commissioner_confirms_then_the_value_page_shows_it(client, session):
    world = make_value_world()
    c = commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "100")
    login_as(client, world.small_provider)
    base = f"/alliances/{world.alliance.slug}/value"
    page = client.get(f"{base}/commitments/{c.id}/report")
    assert "Report what you delivered" in _text(page)
    sent = client.post(f"{base}/commitments/{c.id}/report",
                       data={"amount": "80", "note": "Two local groups", "evidence_url": "https://example.org/log"})
    assert sent.status_code == 303
    session.expire_all()
    report = c.report
    assert report.status == ReportStatus.SUBMITTED
    login_as(client, world.commissioner)
    assert client.post(f"{base}/reports/{report.id}/confirm").status_code == 303
    session.expire_all()
    assert c.report.status == ReportStatus.CONFIRMED
    body = _text(client.get(base))
    assert "£1,200" in body  # 80 hours × £15
    assert body.count("<svg") == 4 and body.count('<table class="govuk-table"') >= 5
    assert "Counts, in each measure" in body


def test_a_report_with_a_bad_amount_comes_back_with_the_error(client, session):
    world = make_value_world()
    c = commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "100")
    login_as(client, world.small_provider)
    for bad in ("lots", "NaN", "Infinity", "1.234", "-5"):
        response = client.post(f"/alliances/{world.alliance.slug}/value/commitments/{c.id}/report", data={"amount": bad})
        assert response.status_code == 422, bad
        assert "There is a problem" in _text(response)
    session.expire_all()
    assert c.report is None


def test_a_provider_cannot_report_for_another_organisation(client, session):
    world = make_value_world()
    c = commit_and_report(world, world.large_org, world.large_provider, world.measure("Volunteer hours"), "100")
    login_as(client, world.small_provider)
    assert client.post(f"/alliances/{world.alliance.slug}/value/commitments/{c.id}/report",
                       data={"amount": "5"}).status_code == 403


def test_a_query_starts_the_reports_comment_thread(client, session):
    world = make_value_world()
    c = commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "100", "90")
    login_as(client, world.commissioner)
    url = f"/alliances/{world.alliance.slug}/value/reports/{c.report.id}"
    assert client.post(f"{url}/query", data={"reason": "Which groups?"}).status_code == 303
    login_as(client, world.small_provider)
    page = _text(client.get(url))
    assert "Which groups?" in page and "Queried" in page


def test_csv_exports_keep_money_and_counts_apart(client, session):
    world = make_value_world()
    commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "100", "80",
                      confirm=True)
    login_as(client, world.large_provider)  # open book: any member
    base = f"/alliances/{world.alliance.slug}/value"
    theme = list(csv.reader(io.StringIO(_text(client.get(f"{base}/theme.csv")).lstrip("\ufeff"))))
    assert theme[0][0] == "Theme" and "(£, money value)" in theme[0][1]
    assert ["Wellbeing and a stronger community", "1500.00", "1200.00", "0.00"] in theme
    counts = list(csv.reader(io.StringIO(_text(client.get(f"{base}/counts.csv")).lstrip("\ufeff"))))
    row = next(r for r in counts if r[1].startswith("Volunteer hours"))
    assert row[2:] == ["hours", "More is better", "100.00", "80.00", "1"]
    commitments = _text(client.get(f"{base}/commitments.csv"))
    assert "version 1" in commitments and world.small_org.name in commitments


def test_the_starter_set_and_a_new_measure_version_through_the_pages(client, session):
    world = make_value_world()
    measure = world.measure("Volunteer hours")
    login_as(client, world.commissioner)
    url = f"/alliances/{world.alliance.slug}/value/framework/measures/{measure.id}"
    response = client.post(url, data={"name": measure.current.name, "unit": "hours", "direction": "more",
                                      "proxy_per_unit": "16.50", "proxy_source": "Our 2026 survey"})
    assert response.status_code == 303
    session.expire_all()
    assert measure.current_number == 2 and measure.current.proxy_per_unit == Decimal("16.50")
    no_source = client.post(url, data={"name": "X", "unit": "hours", "direction": "more", "proxy_per_unit": "2"})
    assert no_source.status_code == 422 and "comes from" in _text(no_source)


def _set_target(client, world, shares: dict[int, tuple[str, str, str, str]]) -> object:
    data = {"year": "2026", "amount": "1,000,000", "rule": "gate"}
    for org_id, (gain, pain, cap, contract) in shares.items():
        data.update({f"gain_{org_id}": gain, f"pain_{org_id}": pain, f"cap_{org_id}": cap,
                     f"contract_{org_id}": contract})
    return client.post(f"/alliances/{world.alliance.slug}/value/risk-and-reward/target", data=data)


def test_shares_that_do_not_add_up_are_refused_and_nothing_is_saved(client, session):
    world = make_value_world()
    login_as(client, world.commissioner)
    response = _set_target(client, world, {world.small_org.id: ("60", "50", "", "100000"),
                                           world.large_org.id: ("30", "50", "", "900000")})
    assert response.status_code == 422
    assert "The shares of gain add up to 90%" in _text(response)
    assert db.session.query(TargetCost).count() == 0
    bad_number = _set_target(client, world, {world.small_org.id: ("abc", "50", "", "1")})
    assert bad_number.status_code == 422 and "Enter a number" in _text(bad_number)


def test_the_modeller_shows_each_members_gain(client, session):
    world = make_value_world()
    login_as(client, world.commissioner)
    assert _set_target(client, world, {world.small_org.id: ("40", "30", "20000", "200000"),
                                       world.large_org.id: ("60", "70", "", "800000")}).status_code == 303
    login_as(client, world.small_provider)
    page = _text(client.get(f"/alliances/{world.alliance.slug}/value/risk-and-reward"
                            "?actual=900000&kras_total=6&kras_met=6&kras_below=0"))
    assert "a saving of £100,000" in page
    assert "£40,000" in page and "+20.0%" in page  # 40% of the saving; 20% of a £200,000 contract
    assert page.count("Worked examples") == 1 and "Over budget, past a cap" in page


def test_no_float_reaches_the_money_code_from_the_pages(client, session, monkeypatch):
    """Wrap the money code so that any float handed to it fails the test, then use every money page."""
    seen: list[str] = []

    def spy(name, real):
        def wrapped(*args, **kwargs):
            for value in [*args, *kwargs.values()]:
                for item in (value if isinstance(value, list | tuple) else [value]):
                    parts = vars(item).values() if hasattr(item, "__dataclass_fields__") else [item]
                    if any(isinstance(p, float) for p in parts):
                        seen.append(f"{name}: {item!r}")
            return real(*args, **kwargs)
        return wrapped

    for name in ("share_out", "worked_examples", "allocate", "check_shares"):
        monkeypatch.setattr(money, name, spy(name, getattr(money, name)))
    world = make_value_world()
    login_as(client, world.commissioner)
    assert _set_target(client, world, {world.small_org.id: ("33.3333", "50", "1000.50", "1"),
                                       world.large_org.id: ("66.6667", "50", "", "2")}).status_code == 303
    for actual in ("900000", "1000000.01", "1,250,000.99"):
        assert client.get(f"/alliances/{world.alliance.slug}/value/risk-and-reward",
                          query_string={"actual": actual, "kras_total": 6, "kras_met": 5, "kras_below": 0}).status_code == 200
    assert not seen, seen
    target = services.target_costs(db.session, world.alliance)[0]
    assert all(type(line.gain_share) is Decimal for line in target.shares)


@pytest.mark.parametrize("query", ["actual=abc", "actual=1e400", "actual=1&kras_total=6&kras_met=4&kras_below=3"])
def test_the_modeller_answers_nonsense_with_422(client, session, query):
    world = make_value_world()
    login_as(client, world.commissioner)
    _set_target(client, world, {world.small_org.id: ("100", "100", "", "1")})
    response = client.get(f"/alliances/{world.alliance.slug}/value/risk-and-reward?{query}&kras_total=6")
    assert response.status_code == 422
    assert "There is a problem" in _text(response)
