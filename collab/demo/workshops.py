"""Demo data: two Riverside co-production workshops.

- "Shaping the crisis café", three weeks ago: agenda, replies, who came, ideas grouped into
  themes with dot votes, what each table said, a decision, actions (one overdue), notes and a
  proposal to the agreement raised from the top idea. Its report is complete.
- "Crisis support: what should change?", in ten days: replies (with access needs, a waiting
  list and payment claims) for the organisers to plan from.

Every name here is made up.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.specs.models import Spec, SpecSection
from collab.timezone import LONDON
from collab.workshops import services
from collab.workshops.models import Workshop

PAST_TITLE = "Shaping the crisis café"
UPCOMING_TITLE = "Crisis support: what should change?"
ADDRESS = "Riverside Community Hub\n12 Mill Lane\nRiverside RV1 4AB"
ACCESS = "The main door on Mill Lane has a ramp. Buses 4 and 17 stop outside. There is a quiet room on the ground floor."


def _person(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def _plan(title: str, purpose: str, day: date, capacity: int) -> services.Plan:
    return services.Plan(
        title=title, purpose=purpose, day=day, start=time(10, 0), end=time(13, 0), in_person=True, address=ADDRESS,
        step_free=True, hearing_loop=True, quiet_room=True, accessible_toilets=True, access_notes=ACCESS,
        online=True, meeting_link="https://meet.example/riverside-workshop", capacity=capacity, payment_pence=2500,
    )


def _section(session: Session, alliance: Alliance, heading: str) -> int | None:
    return session.scalar(
        select(SpecSection.id).join(Spec).where(Spec.alliance_id == alliance.id, SpecSection.heading == heading).limit(1)
    )


def seed_riverside_workshops(session: Session) -> None:
    alliance = session.scalar(select(Alliance).where(Alliance.name == "Riverside Living Well Alliance"))
    if alliance is None or session.scalar(select(Workshop.id).where(Workshop.alliance_id == alliance.id)) is not None:
        return
    sam = _person(session, "facilitator@riverside.example")
    priya = _person(session, "commissioner@riverside.example")
    grace = _person(session, "provider@riverside.example")
    cleo = _person(session, "serviceuser@riverside.example")
    martin = _person(session, "carer@riverside.example")
    sunny = _person(session, "lived.experience@riverside.example")
    ade = _person(session, "expert.by.experience@riverside.example")
    jo = _person(session, "peers@riverside.example")
    amir = _person(session, "trust@riverside.example")
    kwame = _person(session, "opendoor@riverside.example")
    # The alliance pays people who use services and carers £25 for a workshop, unless one says otherwise.
    services.set_usual_payment(session, priya, alliance, 2500)
    _past(session, alliance, sam, priya, grace, [cleo, martin, sunny, ade], [jo, amir, kwame])
    _upcoming(session, alliance, sam, [cleo, martin, sunny, ade], [grace, jo, amir, kwame])


def _past(session: Session, alliance: Alliance, sam: User, priya: User, grace: User, users: list[User],
          providers: list[User]) -> None:
    day = (utcnow() + timedelta(days=30)).date()
    workshop = services.schedule(session, sam, alliance, _plan(
        PAST_TITLE, "We decide together what the new evening crisis café should be like: when it opens, "
        "who works there and how people find out about it.", day, capacity=16))
    section = _section(session, alliance, "Eligibility and access")
    for title, minutes, section_id in [("Welcome and how we will work today", 15, None),
                                       ("What would make the café feel safe?", 45, section),
                                       ("Opening times and getting there", 45, section),
                                       ("Dot voting and next steps", 30, None)]:
        services.add_agenda_item(session, sam, workshop, title=title, minutes=minutes, spec_section_id=section_id)
    services.invite(session, sam, workshop, user_ids=[u.id for u in [*users, *providers, priya, grace]])
    needs = {users[0].id: ["step_free", "large_print"], users[1].id: ["carer"], users[3].id: ["bsl"]}
    for person in [*users, *providers, priya, grace]:
        services.reply(session, person, workshop, "no" if person is providers[2] else "yes",
                       access_needs=needs.get(person.id, []), claims_payment=person in users,
                       named_in_exports=person is users[3] or person not in users)
    # Three weeks ago, 10:00 to 13:00 UK time.
    when = (utcnow() - timedelta(days=21)).date()
    london = LONDON
    workshop.starts_at = datetime.combine(when, time(10, 0), tzinfo=london).astimezone(UTC)
    workshop.ends_at = datetime.combine(when, time(13, 0), tzinfo=london).astimezone(UTC)
    session.flush()
    services.step(session, sam, workshop, "next")
    services.step(session, sam, workshop, "next")
    themes = {name: services.add_theme(session, sam, workshop, name) for name in ("Feeling safe", "Opening times", "Finding out")}
    ideas = [
        (users[0], "Staff who have been through a crisis themselves", "Feeling safe"),
        (users[1], "A quiet corner away from the main room", "Feeling safe"),
        (users[2], "Open until midnight at weekends", "Opening times"),
        (providers[0], "Peer workers on every shift", "Feeling safe"),
        (users[3], "Posters in GP surgeries and at the job centre", "Finding out"),
        (grace, "Open later on Friday and Saturday", "Opening times"),
        (users[0], "Free tea and toast", None),
    ]
    made = []
    for person, text, theme in ideas:
        idea = services.add_idea(session, person, workshop, text)
        if theme:
            services.move_to_theme(session, sam, workshop, idea.id, themes[theme].id)
        made.append(idea)
    # Dev came without a phone; Sam typed his idea for him, with his agreement.
    services.add_idea(session, sam, workshop, "Let people bring a friend", for_name="Dev (a participant)", consent=True)
    services.step(session, sam, workshop, "next")
    services.merge(session, sam, workshop, made[5].id, made[2].id)
    services.open_voting(session, sam, workshop, 3)
    votes = {users[0]: [0, 0, 3], users[1]: [1, 0, 2], users[2]: [2, 0, 3], users[3]: [0, 4, 3],
             providers[0]: [3, 3, 0], providers[1]: [0, 2, 3], priya: [2, 4, 0], grace: [0, 3, 2]}
    for person, picks in votes.items():
        for pick in picks:
            services.vote(session, person, workshop, made[pick].id, 1)
    services.close_voting(session, sam, workshop)
    came = [i.id for i in services.invitees(session, workshop) if i.reply.value == "yes" and i.user_id != users[2].id]
    services.mark_attendance(session, sam, workshop, came)
    table1 = services.add_contributions(session, sam, workshop, group_name="Table 1", people=5, lines=(
        "People want to be greeted by name at the door\n"
        "A phone number to ring if you are on your way and feel worse\n"
        "Somewhere to charge your phone"))
    table2 = services.add_contributions(session, sam, workshop, group_name="Table 2", people=4, lines=(
        "Carers want to be able to come in with the person\n"
        "Clear signs from the bus stop to the café"))
    # Two of them went into the crisis support specification: "you said, we did" counts each as a
    # group with its size, and can show only this workshop's comments.
    if section_eligibility := _section(session, alliance, "Eligibility and access"):
        for contribution in (table1[1], table2[0]):
            services.contribution_to_comment(session, sam, contribution, section_eligibility)
    services.add_decision(session, sam, workshop, "Pilot opening until midnight on Friday and Saturday for three months")
    services.add_decision(session, sam, workshop, "Every shift has at least one peer worker")
    today = utcnow().date()
    services.add_action(session, sam, workshop, text="Cost the later opening hours", owner_id=grace.id,
                        due_on=today - timedelta(days=3))
    done = services.add_action(session, sam, workshop, text="Send everyone the notes in easy read", owner_id=sam.id,
                               due_on=today - timedelta(days=14))
    services.set_action_status(session, sam, done, "done")
    services.add_action(session, sam, workshop, text="Ask GP surgeries to put up posters", owner_id=priya.id,
                        due_on=today + timedelta(days=5))
    services.save_notes(session, sam, workshop, (
        "Fourteen people came, in the room and online. Two people used the quiet room.\n\n"
        "- The café should feel **calm and welcoming**, not like a clinic.\n"
        "- People asked for peer workers on every shift.\n"
        "- Later opening at weekends came top in the dot vote."))
    if section_service_model := _section(session, alliance, "Service model"):
        services.section_proposal(
            session, sam, workshop, section_id=section_service_model, idea=made[3],
            body="At least one peer worker is on every shift, in the café and on the crisis line.",
        )


def _upcoming(session: Session, alliance: Alliance, sam: User, users: list[User], providers: list[User]) -> None:
    day = (utcnow() + timedelta(days=10)).date()
    workshop = services.schedule(session, sam, alliance, _plan(
        UPCOMING_TITLE, "The crisis support specification is open for comments. Come and tell us what should change, "
        "section by section. Tea, coffee and lunch are provided.", day, capacity=4))
    for title, minutes, heading in [("Welcome", 15, None), ("Who the service is for", 40, "Who the service is for"),
                                    ("Eligibility and access", 40, "Eligibility and access"), ("What happens next", 20, None)]:
        section = _section(session, alliance, heading) if heading else None
        services.add_agenda_item(session, sam, workshop, title=title, minutes=minutes, spec_section_id=section)
    services.invite(session, sam, workshop, roles=["service_user", "provider"])
    services.reply(session, users[0], workshop, "yes", access_needs=["step_free", "large_print"], claims_payment=True)
    services.reply(session, users[1], workshop, "yes", access_needs=["carer"],
                   access_needs_other="I will come with the person I care for.", claims_payment=True)
    services.reply(session, providers[0], workshop, "yes")
    services.reply(session, providers[1], workshop, "yes")
    services.reply(session, users[3], workshop, "yes", access_needs=["bsl"], claims_payment=True)  # waiting list
    services.reply(session, users[2], workshop, "maybe")
    services.reply(session, providers[2], workshop, "no")
