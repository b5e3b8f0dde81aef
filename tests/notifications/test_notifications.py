"""Notifications: in Collab (count, list, mark read), email choices, and real email after commit."""

from __future__ import annotations

import socket
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from collab.notifications import services
from collab.notifications.models import Notification
from collab.notifications.services import notify
from tests.agreements.helpers import first_clause, make_cast, soon, start
from tests.factories import login_as, make_user


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_notify_adds_one_row_per_person_and_queues_email_after_commit(session, outbox):
    ada, bob = make_user(display_name="Ada"), make_user(display_name="Bob")
    notes = notify(session, [ada, bob, ada], "agreement_in_force", "It is in force", body="All signed.", url="/x", exclude=bob)
    assert [n.user_id for n in notes] == [ada.id]
    assert outbox == []  # nothing is sent before the commit
    session.commit()
    assert [m["To"] for m in outbox] == [ada.email]
    assert "All signed." in outbox[0].get_content() and "http://localhost/x" in outbox[0].get_content()


def test_nothing_is_sent_when_the_change_rolls_back(session, outbox):
    ada = make_user()
    notify(session, [ada], "agreement_in_force", "It is in force")
    session.rollback()
    assert outbox == []


def test_email_choices_per_kind(session, outbox):
    ada = make_user()
    services.set_preferences(session, ada, ["agreement_in_force"])
    prefs = services.preferences(session, ada)
    assert prefs["agreement_in_force"] is True and prefs["agreement_response_needed"] is False
    notify(session, [ada], "agreement_response_needed", "Respond please")
    notify(session, [ada], "agreement_in_force", "In force")
    session.commit()
    assert [m["Subject"] for m in outbox] == ["In force"]
    assert services.unread_count(session, ada) == 2


def test_list_mark_read_and_mark_all_read(client, session):
    ada = make_user(display_name="Ada")
    first, second = (notify(session, [ada], "agreement_in_force", title)[0] for title in ("First news", "Second news"))
    login_as(client, ada)
    page = _text(client.get("/notifications"))
    assert "First news" in page and "Second news" in page
    assert '<span class="collab-count">2</span><span class="govuk-visually-hidden"> unread</span>' in page
    assert client.post(f"/notifications/{first.id}/read").status_code == 303
    session.expire_all()
    assert session.get(Notification, first.id).is_read and not session.get(Notification, second.id).is_read
    assert client.post("/notifications/read-all").status_code == 303
    assert services.unread_count(session, ada) == 0
    assert "collab-count" not in _text(client.get("/notifications"))
    # Someone else's notification is not found.
    login_as(client, make_user())
    assert client.post(f"/notifications/{first.id}/read").status_code == 404


def test_settings_page_saves_choices(client, session):
    ada = make_user()
    login_as(client, ada)
    assert "Your response to a proposal is needed" in _text(client.get("/notifications/settings"))
    assert client.post("/notifications/settings", data={"email": ["agreement_in_force"]}).status_code == 303
    assert services.preferences(session, ada)["agreement_response_needed"] is False
    bad = client.post("/notifications/settings", data={"email": ["made_up_kind"]})
    assert bad.status_code == 422


def test_anonymous_people_are_sent_to_sign_in(client, session):
    assert client.get("/notifications").status_code == 302
    assert client.post("/notifications/read-all").status_code == 303


# A real SMTP server ----------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default_policy)))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    saved = {k: app.config[k] for k in ("MAIL_BACKEND", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME")}
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False, MAIL_USERNAME=None)
    try:
        yield inbox
    finally:
        app.config.update(saved)
        controller.stop()


def test_a_proposal_emails_every_seat_that_wants_email_through_smtp(client, session, smtp_server):
    cast = make_cast()
    clause = first_clause(start(cast))
    services.set_preferences(session, cast.provider_b, [])  # Ben wants no email at all
    session.flush()
    login_as(client, cast.provider_a)
    response = client.post(
        f"/alliances/{cast.alliance.slug}/agreement/proposals/new?clause={clause.id}",
        data={"heading": clause.heading, "body": "We meet every week.", "reason": "More contact",
              "closes_on": soon().isoformat()},
    )
    assert response.status_code == 303
    received = {tuple(rcpt): msg for rcpt, msg in smtp_server.messages}
    assert set(received) == {(cast.commissioner.email,), (cast.service_user.email,)}
    message = received[(cast.service_user.email,)]
    assert message["Subject"] == f"Your response is needed: {clause.heading}"
    assert message["From"] == "Collab <no-reply@collab.example>"
    body = message.get_content()
    assert body.startswith("Hello Cleo,")
    assert "Ann Provider proposed a change to the agreement" in body
    assert f"http://localhost/alliances/{cast.alliance.slug}/agreement/proposals/" in body
    # Everyone with a seat also sees it in Collab, email or not.
    told = set(session.scalars(select(Notification.user_id).where(Notification.kind == "agreement_response_needed")))
    assert told == {cast.commissioner.id, cast.provider_b.id, cast.service_user.id}
