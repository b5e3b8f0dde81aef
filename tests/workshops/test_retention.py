"""Access needs given for a workshop are removed 30 days after it ends, as the privacy notice says."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.alliances.models import Role
from collab.db import db
from collab.workshops import services
from collab.workshops.models import Invitee, Reply
from collab.workshops.retention import ACCESS_NEEDS_KEPT_DAYS, forget_access_needs
from tests.factories import make_alliance, member
from tests.workshops.helpers import invite_all, make_past, make_workshop


def _needs(workshop):
    rows = db.session.scalars(select(Invitee).where(Invitee.workshop_id == workshop.id).order_by(Invitee.id)).all()
    return [(r.reply, r.access_needs, r.access_needs_other, r.claims_payment) for r in rows]


def test_access_needs_go_30_days_after_the_workshop_and_the_reply_and_payment_claim_stay(app, session):
    alliance = make_alliance()
    ana, ben = member(alliance, Role.SERVICE_USER), member(alliance, Role.SERVICE_USER)
    old, recent, coming = (make_workshop(alliance) for _ in range(3))
    for workshop in (old, recent, coming):
        invite_all(workshop, [ana, ben])
        services.reply(db.session, ana, workshop, "yes", access_needs=["bsl"], access_needs_other="A carer comes with me",
                       claims_payment=True)
        services.reply(db.session, ben, workshop, "yes", access_needs=["step_free"])
    make_past(old, days=ACCESS_NEEDS_KEPT_DAYS + 2)
    make_past(recent, days=ACCESS_NEEDS_KEPT_DAYS - 2)
    session.commit()
    before_recent, before_coming = _needs(recent), _needs(coming)

    assert app.test_cli_runner().invoke(args=["run-job", "forget-workshop-access-needs"]).exit_code == 0
    session.expire_all()

    assert _needs(old) == [(Reply.YES, [], "", True), (Reply.YES, [], "", False)]
    assert _needs(recent) == before_recent and _needs(coming) == before_coming
    assert before_recent[0][1:3] == (["bsl"], "A carer comes with me")


def test_forgetting_again_changes_nothing_and_a_later_run_takes_the_next_workshop(app, session):
    alliance = make_alliance()
    ana = member(alliance, Role.SERVICE_USER)
    workshop = make_workshop(alliance)
    invite_all(workshop, [ana])
    services.reply(db.session, ana, workshop, "yes", access_needs=["large_print"])
    make_past(workshop, days=ACCESS_NEEDS_KEPT_DAYS - 1)
    session.commit()
    with app.app_context():
        assert forget_access_needs() == 0
        later = (workshop.ends_at + timedelta(days=ACCESS_NEEDS_KEPT_DAYS, minutes=1)).isoformat()
        assert forget_access_needs(at=later) == 1
        assert forget_access_needs(at=later) == 0
    session.expire_all()
    assert _needs(workshop) == [(Reply.YES, [], "", False)]
