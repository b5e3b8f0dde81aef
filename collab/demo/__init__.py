"""All the made-up data in one place: the demo (``flask seed-demo``) and the large benchmark set.

- this module: the Riverside Living Well Alliance and the Northgate Youth Alliance, their
  organisations and people, and ``seed_demo``, which also runs each area's demo builder below;
- ``agreements``: Riverside's agreement; ``specs``: Riverside's specification;
- ``large``: the large data set for benchmarks and query-count tests (``flask seed-large``).

Every name, organisation and place here is made up. ``seed_demo`` is idempotent:
it does nothing if the demo alliances already exist.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.accounts import services as accounts
from collab.accounts.models import User
from collab.alliances import services as alliances
from collab.alliances.models import Alliance, Organisation, OrganisationType, Role, SizeBand, Visibility
from collab.db import db, discard_after_commit

DEMO_PASSWORD = "demo-password-2026"

RIVERSIDE_PURPOSE = (
    "The Riverside Living Well Alliance brings together the people who plan, pay for, run and use "
    "adult mental health support in Riverside.\n\n"
    "We work as **one team**, not as competitors. We share what we know, what we spend and what we "
    "have, so that people get the right help early, close to home, from people they trust.\n\n"
    "Anyone who uses our services, or cares for someone who does, can help shape them."
)

NORTHGATE_PURPOSE = (
    "The Northgate Youth Alliance plans youth work across Northgate with young people, not just for them.\n\n"
    "Youth clubs, detached youth workers and the council's early help team agree together how the "
    "youth budget is used, and young people have an equal say."
)


@dataclass
class DemoPerson:
    email: str
    name: str
    role: Role
    organisation: str | None = None
    pronouns: str | None = None
    access_needs: str | None = None


@dataclass
class DemoAlliance:
    name: str
    purpose: str
    outcomes: list[str]
    visibility: Visibility
    people: list[DemoPerson] = field(default_factory=list)


ORGANISATIONS = [
    ("Riverside Borough Council – Adult Social Care Commissioning", OrganisationType.COUNCIL_SERVICE, SizeBand.LARGE, "Riverside", "RV1"),
    ("Riverside and Weald Integrated Care Board", OrganisationType.NHS_BODY, SizeBand.LARGE, "Riverside and Weald", "RV1"),
    ("Riverside and Weald NHS Foundation Trust", OrganisationType.NHS_BODY, SizeBand.LARGE, "Riverside and Weald", "RV3"),
    ("Mind in Riverside", OrganisationType.CHARITY, SizeBand.MEDIUM, "Riverside", "RV2"),
    ("Open Door Housing Support", OrganisationType.SOCIAL_ENTERPRISE, SizeBand.SMALL, "Riverside east", "RV4"),
    ("Talking Together Peer Support", OrganisationType.COMMUNITY_GROUP, SizeBand.MICRO, "Riverside north", "RV2"),
    ("Riverside Recovery College", OrganisationType.CHARITY, SizeBand.SMALL, "Riverside town centre", "RV1"),
    ("Northgate City Council – Early Help", OrganisationType.COUNCIL_SERVICE, SizeBand.LARGE, "Northgate", "NG1"),
    ("Northgate Youth Clubs Trust", OrganisationType.CHARITY, SizeBand.SMALL, "Northgate", "NG3"),
    ("Streetwise Detached Youth Work CIC", OrganisationType.SOCIAL_ENTERPRISE, SizeBand.MICRO, "Northgate west", "NG5"),
]

ALLIANCES = [
    DemoAlliance(
        name="Riverside Living Well Alliance",
        purpose=RIVERSIDE_PURPOSE,
        outcomes=[
            "People recover and stay well",
            "People make their own choices",
            "People take part on an equal footing",
        ],
        visibility=Visibility.PUBLIC,
        people=[
            DemoPerson("commissioner@riverside.example", "Priya Shah", Role.COMMISSIONER,
                       "Riverside Borough Council – Adult Social Care Commissioning", "she/her"),
            DemoPerson("nhs.commissioner@riverside.example", "Tom Okafor", Role.COMMISSIONER,
                       "Riverside and Weald Integrated Care Board", "he/him"),
            DemoPerson("provider@riverside.example", "Grace Lindqvist", Role.PROVIDER, "Mind in Riverside", "she/her"),
            DemoPerson("trust@riverside.example", "Dr Amir Haddad", Role.PROVIDER, "Riverside and Weald NHS Foundation Trust"),
            DemoPerson("opendoor@riverside.example", "Kwame Mensah", Role.PROVIDER, "Open Door Housing Support"),
            DemoPerson("peers@riverside.example", "Jo Fairweather", Role.PROVIDER, "Talking Together Peer Support", "they/them"),
            DemoPerson("college@riverside.example", "Helen Price", Role.PROVIDER, "Riverside Recovery College"),
            DemoPerson("serviceuser@riverside.example", "Cleo", Role.SERVICE_USER, None, "she/her",
                       "Step-free access, please. Papers a week before meetings help me."),
            DemoPerson("carer@riverside.example", "Martin B.", Role.SERVICE_USER, None, "he/him",
                       "I care for my son, so I can only come to daytime meetings."),
            DemoPerson("lived.experience@riverside.example", "Sunny", Role.SERVICE_USER),
            DemoPerson("expert.by.experience@riverside.example", "Ade Williams", Role.SERVICE_USER, None, None,
                       "British Sign Language interpreter."),
            DemoPerson("facilitator@riverside.example", "Sam Rivers", Role.FACILITATOR, None, "he/him"),
            DemoPerson("observer@riverside.example", "Olu Bright", Role.OBSERVER),
        ],
    ),
    DemoAlliance(
        name="Northgate Youth Alliance",
        purpose=NORTHGATE_PURPOSE,
        outcomes=[
            "Young people feel safe and have somewhere to go",
            "Young people shape the services they use",
        ],
        visibility=Visibility.PRIVATE,
        people=[
            DemoPerson("commissioner@northgate.example", "Rhiannon Evans", Role.COMMISSIONER,
                       "Northgate City Council – Early Help", "she/her"),
            DemoPerson("clubs@northgate.example", "Dev Patel", Role.PROVIDER, "Northgate Youth Clubs Trust"),
            DemoPerson("streetwise@northgate.example", "Lou Carter", Role.PROVIDER, "Streetwise Detached Youth Work CIC"),
            DemoPerson("youngperson@northgate.example", "Kai", Role.SERVICE_USER),
        ],
    ),
]

@contextmanager
def made_up_data(app: Flask) -> Iterator[Session]:
    """A session for building made-up data (demo, benchmarks), committed at the end.

    Services build links with url_for, so there is a request context; and the
    invitations and notifications made along the way are for invented people, so
    none of their emails is sent.
    """
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        yield db.session
        discard_after_commit(db.session)
        db.session.commit()


def _user(session: Session, person: DemoPerson, password_hash: str) -> User:
    user = accounts.find_by_email(session, person.email)
    if user is None:
        user = User(
            email=person.email,
            password_hash=password_hash,
            display_name=person.name,
            pronouns=person.pronouns,
            access_needs=person.access_needs,
        )
        session.add(user)
        session.flush()
    return user


def seed_demo(session: Session) -> bool:
    """Create the demo data; False if it was already there."""
    if session.scalar(select(Alliance.id).where(Alliance.name == ALLIANCES[0].name)) is not None:
        return False
    from collab.security import hash_password

    password_hash = hash_password(DEMO_PASSWORD)  # hashed once: argon2 is slow on purpose
    admin = _user(session, DemoPerson("admin@collab.example", "Site administrator", Role.OBSERVER), password_hash)
    admin.is_site_admin = True
    orgs: dict[str, Organisation] = {}
    for name, org_type, size, locality, district in ORGANISATIONS:
        orgs[name] = alliances.create_organisation(
            session, admin, name=name, org_type=org_type, size_band=size, locality=locality,
            postcode_district=district,
        )
    for demo in ALLIANCES:
        first, *rest = demo.people
        creator = _user(session, first, password_hash)
        alliance = alliances.create_alliance(
            session, creator, name=demo.name, purpose=demo.purpose, outcomes=demo.outcomes,
            visibility=demo.visibility, organisation=orgs.get(first.organisation or ""),
        )
        for person in rest:
            user = _user(session, person, password_hash)
            invitation, _token = alliances.invite(
                session, creator, alliance, email=person.email, role=person.role,
                organisation=orgs.get(person.organisation or ""),
            )
            alliances.accept_invitation(session, invitation, user)
    # Every demo organisation has a representative (its people above); one has a correction
    # waiting, so the organisation pages show how a commissioner proposes and a representative decides.
    proposer = accounts.find_by_email(session, "nhs.commissioner@riverside.example")
    assert proposer is not None  # made above
    peers = orgs["Talking Together Peer Support"]
    alliances.propose_correction(
        session, proposer, peers,
        reason="They have moved to the Riverside Community Hub, so they now work in the town centre.",
        name=peers.name, org_type=peers.org_type, size_band=peers.size_band,
        locality="Riverside town centre", postcode_district="RV1",
    )
    # Each area's demo data, on the alliances above (imported here: they build on this module).
    from collab.demo.agreements import seed_riverside_agreement
    from collab.demo.resources import seed_riverside_resources
    from collab.demo.specs import seed_riverside_spec
    from collab.demo.value import seed_northgate_value, seed_riverside_value
    from collab.demo.workshops import seed_riverside_workshops

    seed_riverside_agreement(session)
    seed_riverside_spec(session)
    seed_riverside_resources(session)
    seed_riverside_workshops(session)
    seed_riverside_value(session)
    seed_northgate_value(session)
    return True
