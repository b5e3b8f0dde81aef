"""Command-line tools: create-user, seed-demo, db-upgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Role
from collab.demo import DEMO_PASSWORD

DEMO_ACCOUNTS = {
    "commissioner@riverside.example": ("Riverside Living Well Alliance", Role.COMMISSIONER),
    "provider@riverside.example": ("Riverside Living Well Alliance", Role.PROVIDER),
    "serviceuser@riverside.example": ("Riverside Living Well Alliance", Role.SERVICE_USER),
    "facilitator@riverside.example": ("Riverside Living Well Alliance", Role.FACILITATOR),
    "observer@riverside.example": ("Riverside Living Well Alliance", Role.OBSERVER),
    "commissioner@northgate.example": ("Northgate Youth Alliance", Role.COMMISSIONER),
}


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def sign_in(client, email: str, password: str):
    return client.post("/sign-in", data={"email": email, "password": password})


# create-user -------------------------------------------------------------------------------


def test_create_user_makes_a_site_admin_who_can_create_alliances(app, session, cli, client):
    result = cli.invoke(
        args=["create-user", "--email", "First.Admin@Example.org", "--name", "First Admin", "--admin", "--password-stdin"],
        input="a long admin password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created site administrator first.admin@example.org." in result.output
    user = session.scalar(select(User).where(User.email == "first.admin@example.org"))
    assert user.is_site_admin
    assert "a long admin password" not in user.password_hash

    assert sign_in(client, "first.admin@example.org", "a long admin password").status_code == 303
    assert client.get("/alliances/new").status_code == 200
    response = client.post(
        "/alliances/new",
        data={"name": "First Alliance", "purpose": "To start.", "outcomes": "People are well", "visibility": "private"},
    )
    assert response.status_code == 303
    assert client.get("/organisations/new").status_code == 200


def test_create_user_without_admin_makes_an_ordinary_account(session, cli, client):
    result = cli.invoke(
        args=["create-user", "--email", "plain@example.org", "--name", "Plain", "--password-stdin"],
        input="a long plain password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created plain@example.org." in result.output
    assert sign_in(client, "plain@example.org", "a long plain password").status_code == 303
    assert client.get("/alliances/new").status_code == 403


def test_create_user_refuses_short_passwords_and_taken_emails(session, cli):
    short = cli.invoke(
        args=["create-user", "--email", "s@example.org", "--name", "S", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1
    assert "The password must be at least 10 characters." in short.output
    assert session.scalar(select(User).where(User.email == "s@example.org")) is None

    common = cli.invoke(
        args=["create-user", "--email", "c@example.org", "--name", "C", "--password-stdin"], input="password123456\n"
    )
    assert common.exit_code == 1
    assert "Choose a password that is harder to guess" in common.output

    args = ["create-user", "--email", "twice@example.org", "--name", "T", "--password-stdin"]
    assert cli.invoke(args=args, input="a long password\n").exit_code == 0
    again = cli.invoke(args=args, input="another long password\n")
    assert again.exit_code == 1
    assert "An account with that email address already exists" in again.output


# seed-demo -----------------------------------------------------------------------------------


def test_seed_demo_is_idempotent_and_every_demo_account_signs_in(app, session, cli):
    first = cli.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert f"Demo data created. Every demo account's password is {DEMO_PASSWORD}" in first.output
    session.expire_all()
    counts = (
        session.scalar(select(func.count(User.id))),
        session.scalar(select(func.count(Alliance.id))),
        session.scalar(select(func.count(Membership.id))),
    )
    second = cli.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "Demo data is already there; nothing changed." in second.output
    session.expire_all()
    assert counts == (
        session.scalar(select(func.count(User.id))),
        session.scalar(select(func.count(Alliance.id))),
        session.scalar(select(func.count(Membership.id))),
    )

    for email, (alliance_name, role) in DEMO_ACCOUNTS.items():
        membership = session.scalar(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .join(Alliance, Alliance.id == Membership.alliance_id)
            .where(User.email == email, Alliance.name == alliance_name)
        )
        assert membership is not None and membership.role == role, email
        browser = app.test_client()
        response = sign_in(browser, email, DEMO_PASSWORD)
        assert response.status_code == 303, email
        assert alliance_name in text(browser.get("/alliances")), email

    # The Northgate commissioner belongs to Northgate only.
    northgate = session.scalar(select(User).where(User.email == "commissioner@northgate.example"))
    assert [m.alliance.name for m in northgate.memberships] == ["Northgate Youth Alliance"]
    riverside = session.scalar(select(Alliance).where(Alliance.name == "Riverside Living Well Alliance"))
    providers = [m for m in riverside.memberships if m.role == Role.PROVIDER]
    assert len(providers) == 5
    assert {m.organisation.size_band.value for m in providers} >= {"micro", "small"}
    assert len([m for m in riverside.memberships if m.role == Role.SERVICE_USER]) == 4
    assert len([m for m in riverside.memberships if m.role == Role.COMMISSIONER]) == 2


def test_demo_alliances_are_kept_apart(app, session, cli):
    assert cli.invoke(args=["seed-demo"]).exit_code == 0
    session.expire_all()
    riverside = session.scalar(select(Alliance).where(Alliance.name == "Riverside Living Well Alliance"))
    northgate = session.scalar(select(Alliance).where(Alliance.name == "Northgate Youth Alliance"))

    outsider = app.test_client()
    assert sign_in(outsider, "commissioner@northgate.example", DEMO_PASSWORD).status_code == 303
    # Riverside's public page shows its purpose and organisations, never its people or their needs.
    home = outsider.get(f"/alliances/{riverside.slug}")
    if riverside.is_public:
        assert home.status_code == 200
        assert "Priya Shah" not in text(home) and "Step-free access" not in text(home)
    else:
        assert home.status_code == 404
    for page in ("members", "activity", "edit", "invitations", "leave"):
        response = outsider.get(f"/alliances/{riverside.slug}/{page}")
        assert response.status_code == 404, page
        assert "Priya Shah" not in text(response), page
        assert "Step-free access" not in text(response), page

    insider = app.test_client()
    assert sign_in(insider, "commissioner@riverside.example", DEMO_PASSWORD).status_code == 303
    assert "Step-free access, please." in text(insider.get(f"/alliances/{riverside.slug}/members"))
    # Northgate is private: to Riverside's commissioner it does not exist.
    assert insider.get(f"/alliances/{northgate.slug}").status_code == 404
    assert insider.get(f"/alliances/{northgate.slug}/members").status_code == 404
    assert "Northgate" not in text(insider.get("/alliances"))


# db-upgrade ------------------------------------------------------------------------------------


def test_db_upgrade_migrates_an_empty_database(app, tmp_path: Path):  # app: sets COLLAB_INSTANCE_DIR
    from collab import create_app
    from collab.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh = create_app({"TESTING": True, "ENGINE": engine, "SECRET_KEY": "x", "RATELIMIT_STORAGE_URI": "memory://"})
    result = fresh.test_cli_runner().invoke(args=["db-upgrade"])
    assert result.exit_code == 0, result.output
    assert "Database is at head." in result.output
    assert {"user", "alliance", "membership", "invitation", "audit_entry"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_every_demo_organisation_has_a_representative_and_one_has_a_correction_waiting(app, session, cli):
    """Trust (issue 7): the organisation pages are meaningful in the demo."""
    from collab.alliances import services as alliances
    from collab.alliances.models import Organisation

    assert cli.invoke(args=["seed-demo"]).exit_code == 0
    session.expire_all()
    for organisation in session.scalars(select(Organisation)):
        assert alliances.representatives(session, organisation), organisation.name
    peers = session.scalar(select(Organisation).where(Organisation.name == "Talking Together Peer Support"))
    (correction,) = alliances.pending_corrections(session, peers)
    assert correction.changes == {"locality": "Riverside town centre", "postcode_district": "RV1"}
    browser = app.test_client()
    sign_in(browser, "peers@riverside.example", DEMO_PASSWORD)
    page = text(browser.get(f"/organisations/{peers.id}"))
    assert "Riverside Community Hub" in page and "Accept" in page
