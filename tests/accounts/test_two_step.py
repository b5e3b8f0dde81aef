"""Two-step sign-in rules, without HTTP: secrets, codes, replay, recovery codes, turning off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select

from collab.accounts import two_step
from collab.accounts.two_step_models import RecoveryCode, TwoStep
from collab.errors import DomainError
from tests.factories import PASSWORD, enable_two_step, make_user, recovery_codes_for

NOW = datetime(2026, 12, 3, 10, 0, 5, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand; codes are computed for the same time."""

    class Clock:
        now = NOW

        def code(self, secret: str, seconds: int = 0) -> str:
            return pyotp.TOTP(secret).at(self.now + timedelta(seconds=seconds))

        def forward(self, seconds: int) -> None:
            self.now += timedelta(seconds=seconds)

    c = Clock()
    monkeypatch.setattr(two_step, "utcnow", lambda: c.now)
    return c


def test_setting_up_keeps_the_secret_encrypted_until_confirmed(session, clock):
    user = make_user()
    secret = two_step.start_setup(session, user)
    row = session.scalar(select(TwoStep).where(TwoStep.user_id == user.id))
    assert secret not in row.secret_encrypted
    assert not two_step.is_enabled(session, user)
    # Coming back to the page shows the same secret, so a half-done set-up still works.
    assert two_step.start_setup(session, user) == secret

    with pytest.raises(DomainError, match="The code is not right"):
        two_step.confirm_setup(session, user, "000000" if clock.code(secret) != "000000" else "111111")
    codes = two_step.confirm_setup(session, user, clock.code(secret))
    assert two_step.is_enabled(session, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10
    assert not set(codes) & set(stored)  # hashed, never kept in clear


def test_a_changed_secret_key_means_no_code_matches(app, session, clock):
    user = make_user()
    secret = enable_two_step(user)
    app.config["SECRET_KEY"] = "another-key"
    try:
        assert not two_step.verify_code(session, user, clock.code(secret))
    finally:
        app.config["SECRET_KEY"] = "test-secret-key-not-for-production"


def test_a_code_works_once(session, clock):
    user = make_user()
    secret = enable_two_step(user)
    code = clock.code(secret)
    assert two_step.verify_code(session, user, code)
    assert not two_step.verify_code(session, user, code), "the same code was accepted twice"
    # An older code (still inside the clock-drift window) is refused after a newer one.
    assert not two_step.verify_code(session, user, clock.code(secret, -30))
    clock.forward(30)
    assert two_step.verify_code(session, user, clock.code(secret))


def test_codes_near_now_are_accepted_and_far_ones_are_not(session, clock):
    user = make_user()
    secret = enable_two_step(user)
    assert not two_step.verify_code(session, user, clock.code(secret, -120))
    assert not two_step.verify_code(session, user, clock.code(secret, 120))
    assert not two_step.verify_code(session, user, "abcdef")
    assert not two_step.verify_code(session, user, "")
    assert two_step.verify_code(session, user, " " + clock.code(secret, -30)[:3] + " " + clock.code(secret, -30)[3:])


def test_a_code_is_refused_when_two_step_is_off_or_only_half_set_up(session, clock):
    user = make_user()
    assert not two_step.verify_code(session, user, "123456")
    secret = two_step.start_setup(session, user)
    assert not two_step.verify_code(session, user, clock.code(secret))


def test_each_recovery_code_works_once(session):
    user = make_user()
    enable_two_step(user)
    first, second = recovery_codes_for(user)[:2]
    assert two_step.use_recovery_code(session, user, first.upper())
    assert not two_step.use_recovery_code(session, user, first)
    assert two_step.remaining_recovery_codes(session, user) == 9
    assert two_step.use_recovery_code(session, user, second.replace("-", ""))
    assert not two_step.use_recovery_code(session, user, "not-a-code")
    # Someone else's code does not open this account.
    other = make_user()
    enable_two_step(other)
    assert not two_step.use_recovery_code(session, user, recovery_codes_for(other)[0])


def test_new_recovery_codes_replace_the_old_ones(session):
    user = make_user()
    enable_two_step(user)
    old = recovery_codes_for(user)
    new = two_step.regenerate_recovery_codes(session, user)
    assert len(new) == 10
    assert not two_step.use_recovery_code(session, user, old[0])
    assert two_step.use_recovery_code(session, user, new[0])


def test_recovery_codes_cannot_be_made_without_two_step(session):
    with pytest.raises(DomainError, match="Turn on two-step sign-in first"):
        two_step.regenerate_recovery_codes(session, make_user())


def test_turning_off_needs_the_password_or_a_code(session, clock):
    user = make_user()
    secret = enable_two_step(user)
    with pytest.raises(DomainError, match="Enter your password or a code"):
        two_step.check_identity(session, user)
    with pytest.raises(DomainError, match="The password is not right"):
        two_step.check_identity(session, user, password="wrong")
    with pytest.raises(DomainError, match="The code is not right"):
        two_step.check_identity(session, user, code="12345")
    two_step.check_identity(session, user, password=PASSWORD)
    two_step.check_identity(session, user, code=clock.code(secret))
    two_step.check_identity(session, user, code=recovery_codes_for(user)[0])

    two_step.disable(session, user)
    assert not two_step.is_enabled(session, user)
    assert two_step.remaining_recovery_codes(session, user) == 0
    # Turning it on again makes a new secret.
    assert two_step.start_setup(session, user) != secret


def test_setting_up_twice_is_refused(session):
    user = make_user()
    enable_two_step(user)
    with pytest.raises(DomainError, match="already on"):
        two_step.start_setup(session, user)


def test_the_qr_code_is_an_inline_svg_of_the_authenticator_address(session):
    user = make_user(email="ada@example.org")
    secret = two_step.start_setup(session, user)
    uri = two_step.provisioning_uri(user, secret)
    assert uri.startswith("otpauth://totp/Collab:ada%40example.org?secret=" + secret)
    svg = str(two_step.qr_code_svg(uri))
    assert svg.startswith("<svg role=\"img\" aria-label=") and "<script" not in svg and "style=" not in svg
    assert two_step.format_secret("ABCDEFGHIJ") == "ABCD EFGH IJ"


def test_the_command_line_turns_two_step_off_for_someone_locked_out(app, session):
    user = make_user(email="lost.phone@example.org")
    enable_two_step(user)
    cli = app.test_cli_runner()
    result = cli.invoke(args=["two-step-off", "Lost.Phone@example.org"])
    assert result.exit_code == 0, result.output
    assert "Two-step sign-in is now off for lost.phone@example.org." in result.output
    session.expire_all()
    assert not two_step.is_enabled(session, user)
    assert "already off" in cli.invoke(args=["two-step-off", "lost.phone@example.org"]).output
    missing = cli.invoke(args=["two-step-off", "nobody@example.org"])
    assert missing.exit_code != 0 and "There is no account for nobody@example.org." in missing.output
