"""Participation payments: the alliance's usual rate, which each new workshop starts from and may change.

People see their workshop's own amount when they reply, and the payment list uses it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from collab.alliances.models import Role
from collab.audit import AuditEntry
from collab.db import db
from collab.errors import DomainError
from collab.workshops import services
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.workshops.helpers import invite_all, make_past, make_workshop


def test_the_usual_rate_is_set_by_organisers_and_audited(session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    assert services.usual_payment(db.session, alliance) == 0
    services.set_usual_payment(db.session, organiser, alliance, 2500)
    assert services.usual_payment(db.session, alliance) == 2500
    services.set_usual_payment(db.session, organiser, alliance, 3000)
    assert services.usual_payment(db.session, alliance) == 3000
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "workshop.usual_payment_set")
                              .order_by(AuditEntry.id.desc()))
    assert entry is not None and entry.detail == {"pence_before": 2500, "pence": 3000}
    with pytest.raises(DomainError, match="£0 to £1,000"):
        services.set_usual_payment(db.session, organiser, alliance, 100_001)


def test_a_new_workshop_starts_with_the_usual_rate_and_keeps_its_own(client, session):
    alliance = make_alliance()
    organiser = commissioner_of(alliance)
    login_as(client, organiser)
    page = client.get(f"/alliances/{alliance.slug}/workshops/usual-payment")
    assert page.status_code == 200 and "Usual participation payment" in page.get_data(as_text=True)
    saved = client.post(f"/alliances/{alliance.slug}/workshops/usual-payment", data={"payment": "25.00"})
    assert saved.status_code == 303
    refused = client.post(f"/alliances/{alliance.slug}/workshops/usual-payment", data={"payment": "2000"})
    assert refused.status_code == 422 and "Enter an amount from £0 to £1,000" in refused.get_data(as_text=True)
    new_form = client.get(f"/alliances/{alliance.slug}/workshops/new").get_data(as_text=True)
    assert 'name="payment"' in new_form and 'value="25.00"' in new_form
    # This workshop pays more than usual; the alliance's rate changing later does not touch it.
    workshop = make_workshop(alliance, payment_pence=4000)
    services.set_usual_payment(db.session, organiser, alliance, 1000)
    person = member(alliance, Role.SERVICE_USER, display_name="Cleo")
    invite_all(workshop, [person])
    login_as(client, person)
    reply = client.get(f"/alliances/{alliance.slug}/workshops/{workshop.id}/reply").get_data(as_text=True)
    assert "can claim £40.00 for their time" in reply and "£10.00" not in reply
    services.reply(db.session, person, workshop, "yes", claims_payment=True)
    make_past(workshop)
    invitee = services.invitee_for(db.session, workshop, person)
    services.mark_attendance(db.session, organiser, workshop, [invitee.id])
    login_as(client, organiser)
    csv = client.get(f"/alliances/{alliance.slug}/workshops/{workshop.id}/payments.csv").get_data(as_text=True)
    assert "Cleo" in csv and "40.00" in csv and "10.00" not in csv
