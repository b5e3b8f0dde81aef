"""Demo data: Riverside's "Community mental health crisis support" specification, open for comments.

Every name here is made up. The spec is in consultation, with comments from service users,
a carer, a provider and one added by the facilitator for a workshop participant; some are
answered, some supported, one has a reply. Cleo, the demo service user, has supported a comment
but not commented yet, so her For you page asks her to have her say.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.specs import services
from collab.specs.models import Outcome, Spec, SpecParagraph, SpecSection

TITLE = "Community mental health crisis support"

SUMMARY = """\
Help for adults in Riverside who are in a mental health crisis, or close to one.
People can get help day or night, by phone, face to face or at a crisis café."""

EASY_READ = """\
This is about help when your mental health is very bad.

- You can call us at any time, day or night.
- We can come to see you at home.
- You can come to our crisis café in the evening.
- We will help you make a plan to stay safe.

We want to know what you think. Tell us what is good and what we should change."""

SECTIONS = {
    "Outcomes": """\
People in crisis get the right help quickly, from people who listen and understand.

- People feel safe and listened to.
- People are seen within four hours when they need face-to-face help.
- Fewer people go to A&E because they have nowhere else to go.
- People and their families know what to do if a crisis happens again.""",
    "Who the service is for": """\
The service is for adults aged 18 or over who live in Riverside or are registered with a Riverside GP.

Carers, family members and friends can call us for advice, even if the person they care about does not want help yet.

You do not need a diagnosis or a referral to use the service.""",
    "Eligibility and access": """\
Anyone can contact the crisis line by phone, text or web chat, at any time.

When someone needs to be seen, a crisis worker will visit them at home, or meet them somewhere they feel safe.

The crisis café is open from 6pm to 11pm every day. People can drop in without an appointment.

We will make reasonable adjustments, such as British Sign Language interpreters, easy read letters and longer appointments.""",
    "Service model": """\
The service is run by the alliance as one team. The NHS trust, Mind in Riverside and Talking Together Peer Support work side by side.

Every shift has a nurse, a support worker and a peer supporter with lived experience of mental health crisis.

After the crisis, we stay in touch for up to six weeks and help people connect with longer-term support.""",
    "Quality standards": """\
Staff are kind, respectful and honest. They explain what will happen next.

Everyone gets a written safety plan that they helped to write.

People can give feedback or complain in the way that suits them, and we reply within ten working days.""",
    "Key result areas and measures": """\
- Time from first contact to being seen face to face.
- How many people say they felt listened to.
- How many people go to A&E in a mental health crisis.
- How many people have a safety plan when they leave the service.""",
    "Budget envelope": """\
The budget is £2.4 million a year for five years, shared between the council and the integrated care board.

Partners share what they spend each quarter, so that money can move to where it helps most.""",
    "Social value commitments": """\
At least a third of new jobs will go to people who live in Riverside.

We will train ten peer supporters each year, paid at the Real Living Wage.""",
    "How people who use the service stay involved": """\
People who use the service and carers sit on the service's steering group, and are paid for their time.

Every six months we hold an open meeting to share what we have learned and what we will change.""",
}

#: (author email, text the paragraph contains, comment, on behalf of (name) or None)
COMMENTS = [
    ("lived.experience@riverside.example", "seen within four hours",
     "Four hours is a long time when you are in crisis. Could it be two hours, at least at night?", None),
    ("carer@riverside.example", "Carers, family members and friends",
     "Thank you for including carers. Please say carers can also get support for themselves, not just advice.", None),
    ("lived.experience@riverside.example", "crisis café is open",
     "The café should open earlier. A lot of people struggle in the afternoon, not just at night.", None),
    ("expert.by.experience@riverside.example", "reasonable adjustments",
     "Please make sure the web chat works with screen readers, and that BSL video calls are possible.", None),
    ("provider@riverside.example", "peer supporter with lived experience",
     "We support this. Peer supporters need proper supervision and time to recover after hard shifts.", None),
    ("facilitator@riverside.example", "written safety plan",
     "I don't want a plan written about me. I want to write it with someone, in my own words.", "Bea"),
    ("carer@riverside.example", "reply within ten working days",
     "Ten working days is too slow for a complaint about crisis care.", None),
]

#: (text in the comment, outcome, response)
RESPONSES = [
    ("Thank you for including carers", Outcome.CHANGED,
     "We agree. The next draft says carers can get support for themselves, including a carer's safety plan."),
    ("The café should open earlier", Outcome.NOT_CHANGED,
     "The budget does not cover longer opening this year. We will check how many people call in the afternoon and look again in six months."),
    ("I don't want a plan written about me", Outcome.ANSWERED,
     "That is what we mean: you write the plan with a worker, in your words. We will make that clearer."),
]

#: The edit behind each "changed" response (text in the comment -> paragraph added to its section).
CHANGES = {
    "Thank you for including carers":
        "Carers can get support for themselves too, including a carer's safety plan written with them.",
}

#: Comments on a section as a whole, and on the whole specification: (email, section heading or None, text).
WHOLE_COMMENTS = [
    ("carer@riverside.example", "Budget envelope",
     "This section does not say how much of the money goes to peer support. Please say it, so we can see it grow."),
    ("expert.by.experience@riverside.example", None,
     "I like that it is written in plain words. It would help to have a short version to read on a phone."),
]

#: (email of supporter, text in the comment)
SUPPORTS = [
    ("carer@riverside.example", "Four hours is a long time"),
    ("serviceuser@riverside.example", "Four hours is a long time"),
    ("expert.by.experience@riverside.example", "Four hours is a long time"),
    ("serviceuser@riverside.example", "The café should open earlier"),
]

#: Agreement clauses the spec relies on, linked if the agreement has them.
CLAUSE_HEADINGS = ("Purpose and shared outcomes", "Key result areas", "Information sharing and open book")


def _person(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def seed_riverside_spec(session: Session) -> None:
    """Add the Riverside crisis support spec (does nothing if it is already there)."""
    alliance = session.scalar(select(Alliance).where(Alliance.name == "Riverside Living Well Alliance"))
    if alliance is None or session.scalar(select(Spec.id).where(Spec.alliance_id == alliance.id, Spec.title == TITLE)):
        return
    priya = _person(session, "commissioner@riverside.example")
    spec = services.create_spec(session, priya, alliance, title=TITLE, service_area="Adult mental health", summary=SUMMARY)
    services.update_details(session, priya, spec, spec.lock_version, title=TITLE, service_area="Adult mental health",
                            summary=SUMMARY, easy_read=EASY_READ)
    for section in spec.sections:
        services.save_section(session, priya, section, section.lock_version, heading=section.heading,
                              body=SECTIONS[section.heading])
    _link_clauses(session, priya, spec)
    today = utcnow().date()
    services.open_consultation(session, priya, spec, opens_on=today - timedelta(days=7),
                               closes_on=today + timedelta(days=28), note="First draft for comments")
    paragraphs = session.scalars(select(SpecParagraph).where(SpecParagraph.spec_id == spec.id)).all()
    made = {}
    for email, fragment, body, on_behalf in COMMENTS:
        paragraph = next(p for p in paragraphs if fragment in p.text)
        made[body] = services.add_comment(session, _person(session, email), paragraph, body=body,
                                          on_behalf_of_name=on_behalf)
    by_heading = {section.heading: section for section in spec.sections}
    for email, heading, body in WHOLE_COMMENTS:
        services.add_comment(session, _person(session, email), by_heading[heading] if heading else spec, body=body)
    for fragment, outcome, text in RESPONSES:
        item = next(sc for body, sc in made.items() if fragment in body)
        changed: SpecSection | None = item.section if outcome in (Outcome.CHANGED, Outcome.PARTLY_CHANGED) else None
        if changed is not None:
            # "Changed" must point to a real change: make it in the working draft first.
            services.save_section(session, priya, changed, changed.lock_version, heading=changed.heading,
                                  body=changed.body.rstrip() + "\n\n" + CHANGES[fragment])
        services.respond(session, priya, item, outcome=outcome, text=text, change_section=changed)
    for email, fragment in SUPPORTS:
        item = next(sc for body, sc in made.items() if fragment in body)
        services.support(session, _person(session, email), item)
    four_hours = next(sc for body, sc in made.items() if body.startswith("Four hours"))
    services.reply(session, _person(session, "trust@riverside.example"), four_hours,
                   body="We are looking at the night rota now. Two hours may be possible for home visits at night.")


def _link_clauses(session: Session, actor: User, spec: Spec) -> None:
    try:
        from collab.agreements.models import Agreement, Clause
    except ImportError:  # pragma: no cover - agreements always ship with specs
        return
    clauses = session.scalars(
        select(Clause).join(Agreement).where(
            Agreement.alliance_id == spec.alliance_id, Clause.heading.in_(CLAUSE_HEADINGS), Clause.retired_at.is_(None)
        )
    ).all()
    if clauses:
        services.link_clauses(session, actor, spec, list(clauses))
