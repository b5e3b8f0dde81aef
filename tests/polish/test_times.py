"""Times are stored in UTC and shown in UK time (Europe/London), across the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

from collab.agreements import services
from collab.db import db
from collab.timezone import (
    format_certificate_time,
    format_date,
    format_datetime,
    in_london,
    iso_date_in_london,
    today_in_london,
)
from tests.agreements.helpers import first_clause, make_cast, propose_change, start
from tests.factories import login_as

SUMMER = datetime(2026, 7, 1, 13, 5, tzinfo=UTC)  # British Summer Time: 2:05pm in London
WINTER = datetime(2026, 1, 15, 13, 5, tzinfo=UTC)  # Greenwich Mean Time: 1:05pm in London


def test_a_summer_time_is_shown_one_hour_later_than_utc():
    assert format_datetime(SUMMER) == "1 July 2026 at 2:05pm"


def test_a_winter_time_is_shown_as_utc():
    assert format_datetime(WINTER) == "15 January 2026 at 1:05pm"


def test_the_clock_change_in_march_and_october():
    # 29 March 2026: clocks go forward at 1am UTC. 25 October 2026: back at 1am UTC.
    assert format_datetime(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "29 March 2026 at 12:59am"
    assert format_datetime(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "29 March 2026 at 2:00am"
    assert format_datetime(datetime(2026, 10, 25, 0, 59, tzinfo=UTC)) == "25 October 2026 at 1:59am"
    assert format_datetime(datetime(2026, 10, 25, 1, 0, tzinfo=UTC)) == "25 October 2026 at 1:00am"


def test_the_date_of_a_late_evening_in_summer_is_the_next_day_in_london():
    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert format_date(late) == "1 July 2026"
    assert iso_date_in_london(late) == "2026-07-01"
    assert today_in_london(late) == date(2026, 7, 1)
    assert today_in_london(datetime(2026, 1, 31, 23, 30, tzinfo=UTC)) == date(2026, 1, 31)


def test_a_stored_value_without_a_zone_is_utc_and_plain_dates_stay_as_they_are():
    assert in_london(datetime(2026, 7, 1, 13, 5)).hour == 14
    assert format_datetime(date(2027, 3, 27)) == "27 March 2027"
    assert format_datetime(None) == ""


def test_the_certificate_names_the_zone_and_gives_utc_beside_it():
    assert format_certificate_time(SUMMER) == "2026-07-01 14:05:00 BST (13:05:00 UTC)"
    assert format_certificate_time(WINTER) == "2026-01-15 13:05:00 GMT (13:05:00 UTC)"


def test_pages_show_uk_time(client, session):
    cast = make_cast()
    agreement = start(cast)
    summer = propose_change(cast, agreement, first_clause(agreement))
    services.withdraw_proposal(db.session, cast.commissioner, summer, "Not needed")
    summer.decided_at = SUMMER
    winter = propose_change(cast, agreement, first_clause(agreement), body="Another change")
    services.withdraw_proposal(db.session, cast.commissioner, winter, "Not needed either")
    winter.decided_at = WINTER
    db.session.flush()
    login_as(client, cast.commissioner)
    page = client.get(f"/alliances/{cast.alliance.slug}/agreement/decisions").get_data(as_text=True)
    assert "1 July 2026 at 2:05pm" in page
    assert "15 January 2026 at 1:05pm" in page
    assert "(UTC)" not in page


def test_emails_give_uk_time(client, session, outbox, monkeypatch):
    from collab.accounts import services as account_services
    from tests.factories import PASSWORD, make_user

    monkeypatch.setattr(account_services, "utcnow", lambda: SUMMER)
    user = make_user(email="clock@example.org", display_name="Ola")
    login_as(client, user)
    new = "a sunny new password for July 2026"
    client.post("/account/password", data={"current_password": PASSWORD, "password": new, "confirm": new})
    (message,) = outbox
    assert "was changed on 1 July 2026 at 2:05pm." in message.get_content()
    assert "UTC" not in message.get_content()


def test_the_report_spreadsheet_dates_comments_by_the_uk_date(session):
    from collab.specs import services as spec_services
    from tests.specs.helpers import comment_on, make_spec, paragraphs

    cast = make_cast()
    spec = make_spec(cast.alliance, author=cast.commissioner)
    item = comment_on(spec, paragraphs(spec)[0].text[:20], by=cast.service_user)
    item.comment.created_at = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July in London
    session.flush()
    header = spec_services.CSV_HEADER
    (row,) = [r for r in spec_services.report_csv_rows(session, spec, cast.commissioner, True) if r[0] == item.id]
    assert dict(zip(header, row, strict=True))["Date"] == "2026-07-01"
