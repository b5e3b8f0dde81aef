"""Two-step sign-in pages: set up, recovery codes, turn off, and the second step of signing in.

After a right password, an account with two-step on is not signed in yet: the session holds
the pending account, the "keep me signed in" choice and the time, and the person is sent to
``/sign-in/code``. Only a right code (or recovery code) within TWO_STEP_PENDING_SECONDS calls
``complete_sign_in``. Wrong codes are limited per account (TWO_STEP_LIMIT).

Security events: ``two-step-failed`` (a wrong code at sign-in, or a wrong password or code
when turning it off or making new recovery codes), ``two-step-enabled``,
``two-step-disabled``, ``two-step-recovery-code-used``, ``two-step-codes-replaced``.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, flash, make_response, render_template, request, session, url_for
from flask_login import current_user, login_required

from collab.accounts import bp, two_step
from collab.accounts.models import User
from collab.accounts.signin import complete_sign_in
from collab.accounts.two_step_forms import CodeForm, ConfirmIdentityForm, RecoveryCodeForm
from collab.db import db, utcnow
from collab.extensions import client_ip, limiter
from collab.security_log import log_event
from collab.web import attempt, form_status, is_safe_next, redirect_to

PENDING = "two_step_pending"


# The pending second step ---------------------------------------------------------------------

def start_second_step(user: User, *, remember: bool, next_url: str | None) -> Response:
    """After a right password: remember who is signing in, and ask for the code."""
    session[PENDING] = {
        "user": user.get_id(),
        "remember": bool(remember),
        "at": int(utcnow().timestamp()),
        "next": next_url if is_safe_next(next_url) else None,
    }
    return redirect_to(url_for("accounts.sign_in_code"))


def _pending() -> tuple[User, dict[str, Any]] | None:
    """The account waiting for its second step in this browser, if not expired."""
    state = session.get(PENDING)
    if not isinstance(state, dict):
        return None
    age = int(utcnow().timestamp()) - int(state.get("at", 0))
    if age < 0 or age > current_app.config["TWO_STEP_PENDING_SECONDS"]:
        return None
    user_id, _, version = str(state.get("user", "")).partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    # A password change or "sign out everywhere" since the password step ends it too.
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    if not two_step.is_enabled(db.session, user):
        return None
    return user, state


def _start_again() -> Response:
    session.pop(PENDING, None)
    if current_user.is_authenticated:  # nothing to finish: already signed in
        return redirect_to(url_for("foryou.index"))
    flash("Your sign-in timed out. Sign in again with your email address and password.", "info")
    return redirect_to(url_for("accounts.sign_in"))


def _finish(user: User, state: dict[str, Any]) -> None:
    """With the code's use committed, start the signed-in session (which commits its own)."""
    complete_sign_in(user, remember=bool(state.get("remember")), how="two-step")


def _two_step_key() -> str:
    """Limit wrong codes per account, whichever browser or address they come from."""
    state = session.get(PENDING)
    if isinstance(state, dict) and state.get("user"):
        return "two-step:" + str(state["user"]).partition(":")[0]
    if current_user.is_authenticated:
        return "two-step:" + str(current_user.id)
    return "two-step-ip:" + client_ip()


def _two_step_limit() -> str:
    return current_app.config["TWO_STEP_LIMIT"]


def _failed(response: Response) -> bool:
    return response.status_code == 422


def _limited(view: Any) -> Any:
    return limiter.limit(_two_step_limit, key_func=_two_step_key, methods=["POST"], deduct_when=_failed)(view)


@bp.route("/sign-in/code", methods=["GET", "POST"])
@_limited
def sign_in_code() -> Response | tuple[str, int]:
    """The second step of signing in: a code from the authenticator app."""
    pending = _pending()
    if pending is None:
        return _start_again()
    user, state = pending
    form = CodeForm()
    if form.validate_on_submit():
        if attempt(form, lambda: two_step.pass_second_step(db.session, user, form.code.data)):
            next_url = state.get("next")
            _finish(user, state)
            return redirect_to(next_url if is_safe_next(next_url) else url_for("foryou.index"))
        log_event("two-step-failed", user_id=user.id, kind="code")
    return render_template("accounts/sign_in_code.html", form=form), form_status()


@bp.route("/sign-in/recovery-code", methods=["GET", "POST"])
@_limited
def sign_in_recovery_code() -> Response | tuple[str, int]:
    """The second step of signing in with a recovery code, when the app is lost."""
    pending = _pending()
    if pending is None:
        return _start_again()
    user, state = pending
    form = RecoveryCodeForm()
    if form.validate_on_submit():
        done = attempt(form, lambda: two_step.pass_second_step_with_recovery_code(db.session, user, form.code.data))
        if done:
            next_url = state.get("next")
            left = done.value
            log_event("two-step-recovery-code-used", user_id=user.id, left=left)
            _finish(user, state)
            flash(f"You used a recovery code. It will not work again. You have {left} left. "
                  "If you lost your phone, make new recovery codes and set up two-step sign-in again.", "info")
            return redirect_to(next_url if is_safe_next(next_url) else url_for("accounts.two_step_status"))
        log_event("two-step-failed", user_id=user.id, kind="recovery-code")
    return render_template("accounts/sign_in_recovery_code.html", form=form), form_status()


# Settings -------------------------------------------------------------------------------------

def _codes_page(codes: list[str], next_url: str | None) -> Response:
    """Recovery codes, shown once: the page is not kept in any cache."""
    response = make_response(render_template("accounts/two_step_codes.html", codes=codes, next=next_url))
    response.headers["Cache-Control"] = "no-store"
    return response


def _next() -> str | None:
    next_url = request.values.get("next")
    return next_url if is_safe_next(next_url) else None


@bp.get("/account/two-step")
@login_required
def two_step_status() -> str:
    """Whether two-step sign-in is on, and what you can do about it."""
    return render_template(
        "accounts/two_step.html",
        enabled=two_step.is_enabled(db.session, current_user),
        remaining=two_step.remaining_recovery_codes(db.session, current_user),
    )


@bp.route("/account/two-step/set-up", methods=["GET", "POST"])
@login_required
@_limited
def two_step_set_up() -> Response | tuple[str, int]:
    """Scan a QR code (or type the key), then confirm with a code from the app."""
    next_url = _next()
    if two_step.is_enabled(db.session, current_user):
        flash("Two-step sign-in is already on for your account.", "info")
        return redirect_to(next_url or url_for("accounts.two_step_status"))
    form = CodeForm()
    if form.validate_on_submit():
        done = attempt(form, lambda: two_step.confirm_setup(db.session, current_user, form.code.data))
        if done:
            log_event("two-step-enabled", user_id=current_user.id)
            return _codes_page(done.value, next_url)
    # With no form a broken rule is raised (for the error page), so this is never None.
    secret = attempt(None, lambda: two_step.start_setup(db.session, current_user)).value
    response = make_response(render_template(
        "accounts/two_step_set_up.html", form=form, next=next_url,
        qr_svg=two_step.qr_code_svg(two_step.provisioning_uri(current_user, secret)),
        secret=two_step.format_secret(secret),
    ), form_status())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/two-step/recovery-codes", methods=["GET", "POST"])
@login_required
@_limited
def two_step_recovery_codes() -> Response | tuple[str, int]:
    """Make a new set of recovery codes (the old ones stop working)."""
    if not two_step.is_enabled(db.session, current_user):
        return redirect_to(url_for("accounts.two_step_status"))
    form = ConfirmIdentityForm()
    if form.validate_on_submit():
        done = attempt(form, lambda: two_step.replace_recovery_codes(
            db.session, current_user, password=form.password.data or "", code=form.code.data or ""
        ))
        if done:
            log_event("two-step-codes-replaced", user_id=current_user.id)
            return _codes_page(done.value, None)
        log_event("two-step-failed", user_id=current_user.id, kind="new-recovery-codes")
    return render_template(
        "accounts/two_step_regenerate.html", form=form,
        remaining=two_step.remaining_recovery_codes(db.session, current_user),
    ), form_status()


@bp.route("/account/two-step/turn-off", methods=["GET", "POST"])
@login_required
@_limited
def two_step_turn_off() -> Response | tuple[str, int]:
    """Turn two-step sign-in off, after your password or a code."""
    if not two_step.is_enabled(db.session, current_user):
        return redirect_to(url_for("accounts.two_step_status"))
    form = ConfirmIdentityForm()
    if form.validate_on_submit():
        done = attempt(form, lambda: two_step.turn_off(
            db.session, current_user, password=form.password.data or "", code=form.code.data or ""
        ))
        if done:
            log_event("two-step-disabled", user_id=current_user.id)
            flash("Two-step sign-in is off. You will need it again before you sign an agreement "
                  "for your organisation.", "success")
            return redirect_to(url_for("accounts.two_step_status"))
        log_event("two-step-failed", user_id=current_user.id, kind="turn-off")
    return render_template("accounts/two_step_turn_off.html", form=form), form_status()
