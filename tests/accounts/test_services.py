"""Account rules, tested without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.accounts import services
from collab.accounts.models import PasswordResetToken, User
from collab.audit import AuditEntry
from collab.db import utcnow
from collab.errors import DomainError
from collab.security import verify_password
from tests.factories import PASSWORD, make_user


@pytest.fixture
def rsession(app):
    """A session inside a request context: services build links with url_for."""
    from collab.db import db

    with app.test_request_context():
        yield db.session


def test_create_user_normalises_email_and_hashes_password(session):
    user = services.create_user(session, "  Ada.Lovelace@Example.ORG ", "a long password", " Ada ")
    assert user.email == "ada.lovelace@example.org"
    assert user.display_name == "Ada"
    assert user.password_hash.startswith("$argon2id$")
    assert "a long password" not in user.password_hash
    assert verify_password(user.password_hash, "a long password")
    assert not user.is_site_admin
    assert user.session_version == 1


def test_create_user_refuses_an_email_already_in_use_whatever_its_case(session):
    services.create_user(session, "sam@example.org", "a long password", "Sam")
    with pytest.raises(DomainError) as raised:
        services.create_user(session, "SAM@example.org", "another password", "Sam again")
    assert raised.value.field == "email"
    assert "already exists" in raised.value.message


def test_create_user_can_make_a_site_administrator(session):
    user = services.create_user(session, "admin@example.org", "a long password", "Admin", is_site_admin=True)
    assert user.is_site_admin


def test_authenticate_accepts_the_right_password_only(session):
    user = make_user(email="kim@example.org")
    assert services.authenticate(session, "kim@example.org", "wrong password") is None
    assert user.last_login_at is None
    assert services.authenticate(session, " KIM@example.org ", PASSWORD) is user
    assert user.last_login_at is not None


def test_authenticate_refuses_unknown_and_deactivated_accounts(session):
    assert services.authenticate(session, "nobody@example.org", PASSWORD) is None
    user = make_user(email="gone@example.org")
    user.is_active_account = False
    assert services.authenticate(session, "gone@example.org", PASSWORD) is None


def test_authenticate_upgrades_an_outdated_hash(session):
    from argon2 import PasswordHasher

    user = make_user()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    assert services.authenticate(session, user.email, PASSWORD) is user
    assert "m=8," not in user.password_hash
    assert verify_password(user.password_hash, PASSWORD)


def _reset_link(outbox) -> str:
    body = outbox[-1].get_content()
    return next(word for word in body.split() if "/password/reset/" in word)


def test_password_reset_emails_a_single_use_link(rsession, outbox):
    session = rsession
    user = make_user(email="reset@example.org")
    services.start_password_reset(session, "Reset@example.org")
    session.commit()  # emails go out after commit (a savepoint here)
    assert len(outbox) == 1
    assert outbox[0]["To"] == "reset@example.org"
    token = _reset_link(outbox).rsplit("/", 1)[1]
    # Only a hash of the token is stored.
    stored = session.scalars(select(PasswordResetToken.token_hash)).all()
    assert token not in stored
    old_version = user.session_version

    services.reset_password(session, token, "a brand new password")
    assert verify_password(user.password_hash, "a brand new password")
    assert user.session_version == old_version + 1
    assert services.valid_reset_token(session, token) is None
    with pytest.raises(DomainError):
        services.reset_password(session, token, "yet another password")
    assert verify_password(user.password_hash, "a brand new password")


def test_password_reset_for_an_unknown_address_sends_nothing(rsession, outbox):
    session = rsession
    services.start_password_reset(session, "stranger@example.org")
    session.commit()
    assert outbox == []
    assert session.scalars(select(PasswordResetToken)).all() == []


def test_password_reset_email_is_dropped_if_the_transaction_rolls_back(rsession, outbox):
    session = rsession
    make_user(email="rollback@example.org")
    session.commit()
    services.start_password_reset(session, "rollback@example.org")
    session.rollback()
    assert outbox == []


def test_expired_password_reset_link_does_not_work(rsession, outbox):
    session = rsession
    user = make_user(email="late@example.org")
    services.start_password_reset(session, user.email)
    session.commit()
    token = _reset_link(outbox).rsplit("/", 1)[1]
    row = session.scalar(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    assert services.valid_reset_token(session, token) is None
    with pytest.raises(DomainError):
        services.reset_password(session, token, "a brand new password")
    assert verify_password(user.password_hash, PASSWORD)


def test_change_password_needs_the_current_password(session):
    user = make_user()
    with pytest.raises(DomainError) as raised:
        services.change_password(session, user, "not my password", "a brand new password")
    assert raised.value.field == "current_password"
    assert verify_password(user.password_hash, PASSWORD)
    assert user.session_version == 1

    services.change_password(session, user, PASSWORD, "a brand new password")
    assert verify_password(user.password_hash, "a brand new password")
    assert user.session_version == 2
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == user.id)).all()
    assert "account.password_changed" in actions


def test_end_all_sessions_changes_the_session_identity(session):
    user = make_user()
    before = user.get_id()
    services.end_all_sessions(session, user)
    assert user.get_id() != before
    assert user.get_id() == f"{user.id}:2"


def test_update_profile_keeps_empty_optional_fields_empty(session):
    user = make_user(pronouns="they/them", access_needs="Step-free access")
    services.update_profile(session, user, display_name="Robin", pronouns="", access_needs="")
    session.expire_all()
    fresh = session.get(User, user.id)
    assert fresh.display_name == "Robin"
    assert fresh.pronouns is None
    assert fresh.access_needs is None
