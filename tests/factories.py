"""Factory functions with keyword defaults, and a sign-in helper.

Call them inside an app context (the ``session`` fixture gives one). They flush,
never commit: each test's transaction is rolled back at the end.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from flask.testing import FlaskClient
from sqlalchemy import select  # two-step sign-in (issue 7)

from collab.accounts.models import User
from collab.alliances.models import (
    Alliance,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    SharedOutcome,
    SizeBand,
    Visibility,
)
from collab.db import db

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


#: Cheap argon2id parameters for the test app (its PASSWORD_HASH_PARAMS, set in conftest.py):
#: at production cost each hash or check takes ~0.15 s, most of the suite's run time.
#: Production keeps the strong defaults (tests/test_password_cost.py). Not (1, 8, 1): that is
#: the "outdated" hash tests/accounts/test_services.py expects to be upgraded.
TEST_PASSWORD_HASH_PARAMS = {"time_cost": 1, "memory_cost": 64, "parallelism": 1}


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # Hashed once, with the test parameters whichever app is current.
    return PasswordHasher(**TEST_PASSWORD_HASH_PARAMS).hash(PASSWORD)


def make_user(
    *,
    email: str | None = None,
    display_name: str | None = None,
    is_site_admin: bool = False,
    access_needs: str | None = None,
    pronouns: str | None = None,
) -> User:
    n = next(_counter)
    user = User(
        email=email or f"person{n}@example.org",
        password_hash=_password_hash(),
        display_name=display_name or f"Person {n}",
        is_site_admin=is_site_admin,
        access_needs=access_needs,
        pronouns=pronouns,
    )
    db.session.add(user)
    db.session.flush()
    return user


def make_organisation(
    *,
    name: str | None = None,
    org_type: OrganisationType = OrganisationType.CHARITY,
    size_band: SizeBand = SizeBand.SMALL,
    locality: str = "Testville",
    created_by: User | None = None,  # trust (issue 7): the registrar may edit it until it has a representative
) -> Organisation:
    n = next(_counter)
    org = Organisation(name=name or f"Organisation {n}", org_type=org_type, size_band=size_band, locality=locality,
                       created_by_id=created_by.id if created_by else None)
    db.session.add(org)
    db.session.flush()
    return org


def make_alliance(
    *,
    name: str | None = None,
    visibility: Visibility = Visibility.PRIVATE,
    commissioner: User | None = None,
    outcomes: tuple[str, ...] = ("People recover and stay well",),
) -> Alliance:
    """An alliance with one commissioner (made up if not given)."""
    n = next(_counter)
    alliance = Alliance(
        name=name or f"Alliance {n}",
        slug=f"alliance-{n}",
        purpose="We work together so that people get help early.",
        visibility=visibility,
    )
    alliance.outcomes = [SharedOutcome(position=i, text=t) for i, t in enumerate(outcomes, start=1)]
    db.session.add(alliance)
    db.session.flush()
    add_member(alliance, commissioner or make_user(), Role.COMMISSIONER)
    return alliance


def add_member(
    alliance: Alliance, user: User | None = None, role: Role = Role.PROVIDER, organisation: Organisation | None = None
) -> Membership:
    user = user or make_user()
    if role == Role.PROVIDER and organisation is None:
        organisation = make_organisation()
    membership = Membership(user=user, alliance=alliance, role=role, organisation=organisation)
    db.session.add(membership)
    db.session.flush()
    return membership


def member(alliance: Alliance, role: Role, **kwargs: Any) -> User:
    """A new person holding ``role`` in ``alliance``."""
    return add_member(alliance, make_user(**kwargs), role).user


def commissioner_of(alliance: Alliance) -> User:
    return next(m.user for m in alliance.memberships if m.role == Role.COMMISSIONER)


def login_as(client: FlaskClient, user: User | None, session: Any = None) -> FlaskClient:
    """Sign the test client in as ``user`` (or out, with None) without a password round trip.

    ``session``: a database session of the test's own (threads in concurrency tests have no app
    context); the sign-in row is then committed, so that the app's requests find it.
    """
    # Sessions and accounts (issue 7): a real server-side sign-in row, as complete_sign_in makes.
    from collab.accounts.signin import create_session_row

    raw = create_session_row(session if session is not None else db.session, user) if user is not None else None
    if session is not None:
        session.commit()
    with client.session_transaction() as sess:
        sess.clear()
        if user is not None:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
            sess["_sid"] = raw
    return client


# Two-step sign-in (issue 7) -------------------------------------------------------------------

def enable_two_step(user: User, session: Any = None) -> str:
    """Turn two-step sign-in on for ``user`` (no code used yet); return the TOTP secret.

    The person gets 10 recovery codes, which tests can read with ``recovery_codes_for``.
    """
    from collab.accounts import two_step
    from collab.accounts.two_step_models import TwoStep
    from collab.db import utcnow

    session = session or db.session
    secret = two_step.start_setup(session, user)
    row = session.scalar(select(TwoStep).where(TwoStep.user_id == user.id))
    row.confirmed_at = utcnow()
    _RECOVERY_CODES[user.id] = two_step._replace_recovery_codes(session, user)
    session.flush()
    return secret


_RECOVERY_CODES: dict[int, list[str]] = {}


def recovery_codes_for(user: User) -> list[str]:
    """The recovery codes ``enable_two_step`` made for ``user``."""
    return _RECOVERY_CODES[user.id]
