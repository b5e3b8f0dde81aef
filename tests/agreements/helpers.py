"""A small alliance with one person per role, for agreement tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from collab.accounts.models import User
from collab.agreements import services
from collab.agreements.models import Agreement, AgreementVersion, Clause, Proposal
from collab.alliances.models import Alliance, Organisation, Role
from collab.db import db, utcnow
from tests.factories import PASSWORD, add_member, enable_two_step, make_alliance, make_organisation, make_user


@dataclass
class Cast:
    alliance: Alliance
    commissioner: User
    council: Organisation
    provider_a: User
    org_a: Organisation
    provider_b: User
    org_b: Organisation
    service_user: User
    facilitator: User
    observer: User

    @property
    def seat_holders(self) -> list[User]:
        """One person for each seat: three organisations and one service user."""
        return [self.commissioner, self.provider_a, self.provider_b, self.service_user]


def make_cast(name: str | None = None) -> Cast:
    commissioner = make_user(display_name="Cara Commissioner")
    alliance = make_alliance(name=name, commissioner=commissioner)
    council = make_organisation(name=f"Council {alliance.id}")
    alliance.memberships[0].organisation = council
    org_a = make_organisation(name=f"Charity A {alliance.id}")
    org_b = make_organisation(name=f"Enterprise B {alliance.id}")
    provider_a = add_member(alliance, make_user(display_name="Ann Provider"), Role.PROVIDER, org_a).user
    provider_b = add_member(alliance, make_user(display_name="Ben Provider"), Role.PROVIDER, org_b).user
    service_user = add_member(alliance, make_user(display_name="Cleo"), Role.SERVICE_USER).user
    facilitator = add_member(alliance, make_user(display_name="Sam Facilitator"), Role.FACILITATOR).user
    observer = add_member(alliance, make_user(display_name="Olu Observer"), Role.OBSERVER).user
    # Signing for an organisation needs two-step sign-in (issue 7): its representatives have it on.
    for representative in (commissioner, provider_a, provider_b):
        enable_two_step(representative)
    db.session.flush()
    return Cast(alliance, commissioner, council, provider_a, org_a, provider_b, org_b, service_user, facilitator, observer)


def start(cast: Cast, template: bool = True) -> Agreement:
    return services.start_agreement(db.session, cast.commissioner, cast.alliance, use_template=template)


def first_clause(agreement: Agreement) -> Clause:
    return services.active_clauses(db.session, agreement)[0]


def soon() -> date:
    return (utcnow() + timedelta(days=7)).date()


def propose_change(cast: Cast, agreement: Agreement, clause: Clause, by: User | None = None, body: str | None = None) -> Proposal:
    return services.propose(
        db.session, by or cast.provider_a, agreement, clause=clause, heading=clause.heading,
        body=body or clause.body + "\n\nWe meet every month.", reason="Meeting more often helps.", closes_on=soon(),
    )


def publish_and_sign_all(cast: Cast, agreement: Agreement) -> AgreementVersion:
    version = services.publish(db.session, cast.commissioner, agreement)
    for user in (cast.commissioner, cast.provider_a, cast.provider_b):
        services.sign(db.session, user, version, password=PASSWORD, typed_name=user.display_name, confirmed=True)
    return version


def response_text(response) -> str:
    """The body of a test client's response, as text."""
    return response.get_data(as_text=True)
