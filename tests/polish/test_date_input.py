"""Every date is asked for in the GOV.UK day / month / year boxes, with one kind of error message."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from collab.dateinput import DateInputField
from collab.forms import BaseForm
from collab.timezone import today_in_london
from tests.agreements.helpers import first_clause, make_cast, start
from tests.factories import login_as
from tests.specs.helpers import make_spec


class OneDate(BaseForm):
    when = DateInputField("When do comments close?", what="date comments close")


class OptionalDate(BaseForm):
    when = DateInputField("Review date (optional)", what="review date", required=False)


def check(form_class, **sent):
    form = form_class(formdata=MultiDict({f"when-{k}" if k in ("day", "month", "year") else k: v for k, v in sent.items()}), meta={"csrf": False})
    valid = form.validate()
    return valid, form.when


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("27", "3", "2027", date(2027, 3, 27)),
        ("07", "03", "2027", date(2027, 3, 7)),
        (" 1 ", "December", "2026", date(2026, 12, 1)),
        ("1", "dec", "2026", date(2026, 12, 1)),
        ("29", "2", "2028", date(2028, 2, 29)),
    ],
)
def test_real_dates_are_accepted(app, day, month, year, expected):
    with app.test_request_context():
        valid, field = check(OneDate, day=day, month=month, year=year)
    assert valid and field.data == expected and not field.errors


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "marked"),
    [
        ("", "", "", "Enter the date comments close", ["day", "month", "year"]),
        ("27", "", "2027", "The date comments close must include a month", ["month"]),
        ("", "", "2027", "The date comments close must include a day and month", ["day", "month"]),
        ("27", "3", "", "The date comments close must include a year", ["year"]),
        ("31", "2", "2027", "The date comments close must be a real date", ["day", "month", "year"]),
        ("29", "2", "2027", "The date comments close must be a real date", ["day", "month", "year"]),
        ("27", "13", "2027", "The date comments close must be a real date", ["day", "month", "year"]),
        ("27", "Marchember", "2027", "The date comments close must be a real date", ["month"]),
        ("x", "3", "2027", "The date comments close must be a real date", ["day"]),
        ("27", "3", "27", "The year must include 4 numbers", ["year"]),
    ],
)
def test_wrong_dates_have_one_kind_of_message(app, day, month, year, message, marked):
    with app.test_request_context():
        valid, field = check(OneDate, day=day, month=month, year=year)
        assert not valid
        assert field.errors == [message]
        assert [part for part in ("day", "month", "year") if field.part_has_error(part)] == marked
        assert field.error_target == f"when-{marked[0]}"
        # What was typed is shown again.
        assert [field.parts[p] for p in ("day", "month", "year")] == [day.strip(), month, year]


def test_one_value_is_taken_only_in_iso_format(app):
    with app.test_request_context():
        assert check(OneDate, when="2027-03-27")[1].data == date(2027, 3, 27)
        valid, field = check(OneDate, when="31/12/2026")
        assert not valid and field.errors == ["The date comments close must be a real date"]
        valid, field = check(OneDate)
        assert not valid and field.errors == ["Enter the date comments close"]


def test_an_optional_date_may_be_left_empty_but_not_half_filled(app):
    with app.test_request_context():
        valid, field = check(OptionalDate, day="", month="", year="")
        assert valid and field.data is None
        valid, field = check(OptionalDate, day="3", month="", year="")
        assert not valid and field.errors == ["The review date must include a month and year"]


def test_the_boxes_on_the_page(client, session):
    cast = make_cast()
    agreement = start(cast)
    login_as(client, cast.provider_a)
    url = f"/alliances/{cast.alliance.slug}/agreement/proposals/new?clause={first_clause(agreement).id}"
    page = client.get(url).get_data(as_text=True)
    assert 'class="govuk-date-input" id="closes_on"' in page
    for part in ("day", "month", "year"):
        assert f'id="closes_on-{part}" name="closes_on-{part}" type="text" inputmode="numeric"' in page
    assert re.search(r"<legend[^>]*>Closing date</legend>", page)
    soon = today_in_london() + timedelta(weeks=4)
    assert f"For example, {soon.day} {soon.month} {soon.year}." in page


def _propose(client, cast, agreement, **dates):
    url = f"/alliances/{cast.alliance.slug}/agreement/proposals/new?clause={first_clause(agreement).id}"
    return client.post(url, data={"heading": "Meetings", "body": "We meet every month.", "reason": "It helps.", **dates})


def test_a_wrong_date_is_explained_and_the_summary_links_to_the_first_wrong_box(client, session):
    cast = make_cast()
    agreement = start(cast)
    login_as(client, cast.provider_a)
    response = _propose(client, cast, agreement, **{"closes_on-day": "27", "closes_on-month": "", "closes_on-year": "2027"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<a href="#closes_on-month">The closing date must include a month</a>' in page
    assert 'id="closes_on-day" name="closes_on-day" type="text" inputmode="numeric" spellcheck="false" value="27"' in page
    assert 'govuk-input--error" id="closes_on-month"' in page
    assert 'govuk-input--error" id="closes_on-day"' not in page

    response = _propose(client, cast, agreement, **{"closes_on-day": "31", "closes_on-month": "12", "closes_on-year": "2026x"})
    assert '<a href="#closes_on-year">The closing date must be a real date</a>' in response.get_data(as_text=True)


def test_a_date_in_the_past_is_refused_beside_the_boxes(client, session):
    cast = make_cast()
    agreement = start(cast)
    login_as(client, cast.provider_a)
    past = today_in_london() - timedelta(days=1)
    response = _propose(client, cast, agreement, **{"closes_on-day": str(past.day), "closes_on-month": str(past.month), "closes_on-year": str(past.year)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<a href="#closes_on-day">The closing date must be today or in the future</a>' in page


def test_a_good_date_in_boxes_makes_the_proposal(client, session):
    cast = make_cast()
    agreement = start(cast)
    login_as(client, cast.provider_a)
    soon = today_in_london() + timedelta(days=10)
    response = _propose(client, cast, agreement, **{"closes_on-day": str(soon.day), "closes_on-month": soon.strftime("%B"), "closes_on-year": str(soon.year)})
    assert response.status_code == 303
    assert soon.strftime(f"{soon.day} %B %Y") in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_consultation_dates_use_the_same_boxes(client, session):
    cast = make_cast()
    spec = make_spec(cast.alliance, author=cast.commissioner, open_consultation=False)
    login_as(client, cast.commissioner)
    url = f"/alliances/{cast.alliance.slug}/specs/{spec.id}/consultation"
    page = client.get(url).get_data(as_text=True)
    today = today_in_london()
    assert f'name="opens_on-day" type="text" inputmode="numeric" spellcheck="false" value="{today.day}"' in page
    response = client.post(url, data={"opens_on-day": str(today.day), "opens_on-month": str(today.month), "opens_on-year": str(today.year),
                                      "closes_on-day": "", "closes_on-month": "", "closes_on-year": ""})
    assert response.status_code == 422
    assert '<a href="#closes_on-day">Enter the date comments close</a>' in response.get_data(as_text=True)


def test_no_form_in_collab_uses_the_browser_date_box():
    """Every date question is the three GOV.UK boxes: no wtforms DateField, no <input type="date">."""
    import inspect
    import pkgutil
    from importlib import import_module
    from pathlib import Path

    from wtforms import DateField
    from wtforms.form import FormMeta

    import collab

    offenders = []
    for info in pkgutil.walk_packages(collab.__path__, "collab."):
        module = import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, FormMeta) and value.__module__ == module.__name__:
                for field_name, unbound in inspect.getmembers(value):
                    if getattr(unbound, "field_class", None) is not None and issubclass(unbound.field_class, DateField):
                        offenders.append(f"{module.__name__}.{name}.{field_name}")
    root = Path(collab.__file__).parent.parent
    for path in [*root.joinpath("collab").rglob("*.py"), *root.joinpath("templates").rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        if "DateField(" in text.replace("DateInputField(", "") or re.search(r"""type=["']date["']""", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []
