"""Account pages as a person uses them: sign in and out, forgotten password, change password, profile."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from collab.accounts.models import PasswordResetToken, User
from collab.alliances.models import Role
from collab.db import utcnow
from collab.security import verify_password
from tests.factories import PASSWORD, add_member, login_as, make_alliance, make_user


def text(response) -> str:
    return response.get_data(as_text=True)


def sign_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post("/sign-in", data={"email": email, "password": password, **extra})


def signed_in_as(client) -> str | None:
    """Whose account page the client sees, or None if it is sent to sign in."""
    response = client.get("/account")
    if response.status_code != 200:
        return None
    match = re.search(r'name="display_name" type="text" value="([^"]*)"', text(response))
    return match.group(1) if match else None


# Signing in and out ----------------------------------------------------------------


def test_sign_in_with_the_right_password_goes_to_for_you(client, session):
    make_user(email="ada@example.org", display_name="Ada")
    response = sign_in(client, "ADA@example.org ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/for-you"
    assert signed_in_as(client) == "Ada"
    session.expire_all()
    assert session.scalar(select(User).where(User.email == "ada@example.org")).last_login_at is not None


def test_sign_in_with_the_wrong_password_shows_an_error_summary(client, session):
    make_user(email="ada@example.org")
    response = sign_in(client, "ada@example.org", "not the password")
    assert response.status_code == 422
    body = text(response)
    assert "govuk-error-summary" in body
    assert "There is a problem" in body
    assert "The email address or password is not right" in body
    # The email typed is kept; the password is not echoed back.
    assert 'value="ada@example.org"' in body
    assert "not the password" not in body
    assert signed_in_as(client) is None


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, session):
    response = sign_in(client, "nobody@example.org")
    assert response.status_code == 422
    assert "The email address or password is not right" in text(response)


def test_empty_sign_in_form_says_what_is_missing(client, session):
    response = client.post("/sign-in", data={})
    assert response.status_code == 422
    body = text(response)
    assert '<a href="#email">Enter your email address</a>' in body
    assert '<a href="#password">Enter your password</a>' in body


def test_sign_in_follows_a_local_next_link(client, session):
    alliance = make_alliance()
    user = alliance.memberships[0].user
    response = client.get(f"/alliances/{alliance.slug}/members")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/sign-in?next=/alliances/{alliance.slug}/members"
    response = client.post(
        f"/sign-in?next=/alliances/{alliance.slug}/members", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == f"/alliances/{alliance.slug}/members"


def test_signed_in_people_visiting_sign_in_go_to_for_you(client, session):
    login_as(client, make_user())
    response = client.get("/sign-in")
    assert response.status_code == 302
    assert response.headers["Location"] == "/for-you"


def test_sign_out(client, session):
    login_as(client, make_user(display_name="Ada"))
    assert signed_in_as(client) == "Ada"
    response = client.post("/sign-out")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sign-in"
    assert "You have signed out." in text(client.get("/sign-in"))
    assert signed_in_as(client) is None


def test_deactivated_account_cannot_sign_in_or_stay_signed_in(client, session):
    user = make_user(email="gone@example.org", display_name="Gone")
    login_as(client, user)
    assert signed_in_as(client) == "Gone"
    user.is_active_account = False
    session.flush()
    assert signed_in_as(client) is None
    assert sign_in(client, "gone@example.org").status_code == 422


# Forgotten password ---------------------------------------------------------------


def _link(message) -> str:
    body = message.get_content()
    url = re.search(r"https?://\S+/password/reset/\S+", body).group(0)
    return url.split("localhost", 1)[1]


def test_forgotten_password_emails_a_link_that_works_once(client, session, outbox):
    user = make_user(email="forgetful@example.org", display_name="Forgetful")
    response = client.post("/password/forgotten", data={"email": "Forgetful@example.org"})
    assert response.status_code == 200
    assert "Check your email" in text(response)
    assert len(outbox) == 1
    assert outbox[0]["To"] == "forgetful@example.org"
    assert outbox[0]["Subject"] == "Reset your Collab password"
    link = _link(outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert "New password" in text(page)

    mismatch = client.post(link, data={"password": "a brand new password", "confirm": "something else"})
    assert mismatch.status_code == 422
    assert "The passwords do not match" in text(mismatch)

    done = client.post(link, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert done.status_code == 303
    assert done.headers["Location"] == "/sign-in"
    assert "Your password has been changed" in text(client.get("/sign-in"))

    # The link works once.
    again = client.get(link)
    assert again.status_code == 404
    assert "This link does not work any more" in text(again)
    assert client.post(link, data={"password": "third password!", "confirm": "third password!"}).status_code == 404

    assert sign_in(client, user.email).status_code == 422
    assert sign_in(client, user.email, "a brand new password").status_code == 303


def test_forgotten_password_for_an_unknown_email_looks_the_same_and_sends_nothing(client, session, outbox):
    response = client.post("/password/forgotten", data={"email": "stranger@example.org"})
    assert response.status_code == 200
    assert "Check your email" in text(response)
    assert outbox == []


def test_forgotten_password_checks_the_email_format(client, session, outbox):
    response = client.post("/password/forgotten", data={"email": "not an email"})
    assert response.status_code == 422
    assert "Enter an email address in the right format" in text(response)
    assert outbox == []


def test_expired_reset_link_does_not_work(client, session, outbox):
    user = make_user(email="slow@example.org")
    client.post("/password/forgotten", data={"email": user.email})
    link = _link(outbox[0])
    row = session.scalar(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    assert client.get(link).status_code == 404
    response = client.post(link, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 404
    session.expire_all()
    assert verify_password(session.get(User, user.id).password_hash, PASSWORD)


# Change password ----------------------------------------------------------------------


def test_change_password(client, session):
    user = make_user()
    login_as(client, user)
    wrong = client.post(
        "/account/password",
        data={"current_password": "wrong", "password": "a brand new password", "confirm": "a brand new password"},
    )
    assert wrong.status_code == 422
    assert "Your current password is not right" in text(wrong)

    short = client.post("/account/password", data={"current_password": PASSWORD, "password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert "Password must be between 10 and 256 characters" in text(short)

    done = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "a brand new password", "confirm": "a brand new password"},
    )
    assert done.status_code == 303
    assert done.headers["Location"] == "/account"
    # This browser stays signed in.
    page = client.get("/account")
    assert page.status_code == 200
    assert "Your password has been changed" in text(page)
    session.expire_all()
    assert verify_password(session.get(User, user.id).password_hash, "a brand new password")


# Profile ------------------------------------------------------------------------------


def test_edit_profile(client, session):
    user = make_user(display_name="Old name")
    login_as(client, user)
    response = client.post(
        "/account", data={"display_name": "  Sunny  ", "pronouns": "they/them", "access_needs": "Step-free access"}
    )
    assert response.status_code == 303
    page = text(client.get("/account"))
    assert "Your profile has been saved." in page
    assert 'value="Sunny"' in page
    assert "Step-free access" in page
    session.expire_all()
    fresh = session.get(User, user.id)
    assert (fresh.display_name, fresh.pronouns, fresh.access_needs) == ("Sunny", "they/them", "Step-free access")


def test_profile_needs_a_display_name(client, session):
    login_as(client, make_user())
    response = client.post("/account", data={"display_name": "   ", "pronouns": "", "access_needs": ""})
    assert response.status_code == 422
    assert '<a href="#display_name">Enter a display name</a>' in text(response)


def test_access_needs_are_shown_only_to_commissioners_and_facilitators(client, session):
    alliance = make_alliance()
    person = add_member(alliance, make_user(access_needs="BSL interpreter, please"), Role.SERVICE_USER).user
    viewers = {role: add_member(alliance, role=role).user for role in Role if role != Role.COMMISSIONER}
    viewers[Role.COMMISSIONER] = alliance.memberships[0].user
    for role, viewer in viewers.items():
        login_as(client, viewer)
        page = text(client.get(f"/alliances/{alliance.slug}/members"))
        assert person.display_name in page
        shown = "BSL interpreter, please" in page
        assert shown == (role in (Role.COMMISSIONER, Role.FACILITATOR)), role
    # Never on the alliance's home page, even for commissioners.
    login_as(client, viewers[Role.COMMISSIONER])
    assert "BSL interpreter" not in text(client.get(f"/alliances/{alliance.slug}"))


def test_a_new_password_makes_every_older_reset_link_stop_working(client, session, outbox):
    user = make_user(email="twice@example.org")
    client.post("/password/forgotten", data={"email": user.email})
    client.post("/password/forgotten", data={"email": user.email})
    first, second = _link(outbox[0]), _link(outbox[1])
    assert client.get(first).status_code == client.get(second).status_code == 200
    done = client.post(second, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert done.status_code == 303
    assert client.get(first).status_code == 404
    # Changing the password while signed in does the same.
    client.post("/password/forgotten", data={"email": user.email})
    third = _link(outbox[-1])  # (outbox[2] says the password was reset)
    session.expire_all()
    login_as(client, session.get(User, user.id))
    changed = client.post(
        "/account/password",
        data={"current_password": "a brand new password", "password": "another new password", "confirm": "another new password"},
    )
    assert changed.status_code == 303
    login_as(client, None)
    assert client.get(third).status_code == 404
