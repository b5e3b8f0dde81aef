"""Account pages: sign in and out, forgotten password, change password, profile."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from collab.accounts import (
    bp,
    services,
    two_step,  # two-step sign-in (issue 7)
)
from collab.accounts.forms import (
    ChangePasswordForm,
    ForgottenPasswordForm,
    ProfileForm,
    ResetPasswordForm,
    SignInForm,
)
from collab.accounts.signin import complete_sign_in, end_sign_in
from collab.accounts.two_step_routes import start_second_step  # two-step sign-in (issue 7)
from collab.db import db
from collab.extensions import client_ip, limiter
from collab.mail import external_url
from collab.security_log import log_event
from collab.web import Caught, attempt, form_status, is_safe_next, redirect_to


def _account_key() -> str:
    # Per (account, address) pair: someone else's failures elsewhere never lock the owner out;
    # the per-address limit below still slows one address trying many accounts.
    return "sign-in:" + services.normalise_email(request.form.get("email", ""))[:254] + "|" + client_ip()


def _ip_key() -> str:
    return "sign-in-ip:" + client_ip()


def _failed(response: Response) -> bool:
    """Only failed attempts count toward the limit, so the real user is never held back by success."""
    return response.status_code == 422


def _login_limit_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _login_limit_ip() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


def _change_password_limit() -> str:
    return current_app.config["CHANGE_PASSWORD_LIMIT"]


def _user_key() -> str:
    return f"change-password:{current_user.id}" if current_user.is_authenticated else "change-password:" + client_ip()


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit_account, key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit_ip, key_func=_ip_key, methods=["POST"], deduct_when=_failed)
def sign_in() -> Response | tuple[str, int] | str:
    """Sign in with email and password."""
    next_url = request.values.get("next")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url if is_safe_next(next_url) else url_for("foryou.index"))  # type: ignore[return-value]
    form = SignInForm()
    if form.validate_on_submit():
        # The check is saved whatever comes next (the sign-in time, a stronger hash).
        user = attempt(None, lambda: services.authenticate(db.session, form.email.data, form.password.data)).value
        if user is not None:
            # Two-step sign-in: with it on, the password alone does not sign in.
            if two_step.is_enabled(db.session, user):
                return start_second_step(user, remember=bool(form.remember.data), next_url=next_url)
            complete_sign_in(user, remember=bool(form.remember.data))  # commits the new session
            return redirect_to(next_url if is_safe_next(next_url) else url_for("foryou.index"))
        account = services.find_by_email(db.session, form.email.data)
        log_event("sign-in-failed", user_id=account.id if account else None, account_known=account is not None)
        form.form_errors.append("The email address or password is not right")
    status = form_status()
    return render_template("accounts/sign_in.html", form=form, next=next_url if is_safe_next(next_url) else None), status


@bp.post("/sign-out")
def sign_out() -> Response:
    """Sign out of this browser."""
    end_sign_in()
    flash("You have signed out.", "success")
    return redirect_to(url_for("accounts.sign_in"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Response:
    """End every session on every device, this one included."""
    services.end_all_sessions(db.session, current_user)
    end_sign_in()  # commits
    flash("You have been signed out on every device. Sign in again to carry on.", "success")
    return redirect_to(url_for("accounts.sign_in"))


def _reset_link(token: str) -> str:
    """The absolute link a password reset email carries."""
    return external_url(url_for("accounts.reset_password", token=token))


def _forgotten_link() -> str:
    """The absolute link to ask for a password reset, for "your password was changed" emails."""
    return external_url(url_for("accounts.forgotten_password"))


@bp.route("/password/forgotten", methods=["GET", "POST"])
@limiter.limit(_login_limit_ip, key_func=_ip_key, methods=["POST"])
def forgotten_password() -> Response | tuple[str, int]:
    """Ask for a password reset link."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit() and attempt(form, lambda: services.start_password_reset(
        db.session, form.email.data, link_for=_reset_link, valid_hours=current_app.config["PASSWORD_RESET_HOURS"]
    )):
        return render_template("accounts/reset_sent.html", email=form.email.data), 200
    return render_template("accounts/forgotten_password.html", form=form), form_status()


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | tuple[str, int]:
    """Choose a new password from an emailed link."""
    if services.valid_reset_token(db.session, token) is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        caught = Caught()
        if not attempt(caught, lambda: services.reset_password(
            db.session, token, form.password.data, forgotten_link=_forgotten_link()
        )):
            if caught.error is None or caught.error.field != "password":
                return render_template("accounts/reset_invalid.html"), 404
            form.add_domain_error(caught.error)
            return render_template("accounts/reset_password.html", form=form), 422
        end_sign_in()  # this browser's session ends too (committed by itself)
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect_to(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form), form_status()


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_change_password_limit, key_func=_user_key, methods=["POST"], deduct_when=_failed)
def change_password() -> Response | tuple[str, int]:
    """Change your password; every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit() and attempt(form, lambda: services.change_password(
        db.session, current_user, form.current_password.data, form.password.data, forgotten_link=_forgotten_link()
    )):
        # Every session and remember-me token ended; this browser starts a new one (and a
        # new remember-me token if it had one), committed by complete_sign_in.
        remembered = current_app.config["REMEMBER_COOKIE_NAME"] in request.cookies
        complete_sign_in(current_user._get_current_object(), remember=remembered, how="password-change")
        flash("Your password has been changed. You have been signed out on your other devices.", "success")
        return redirect_to(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), form_status()


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile() -> Response | tuple[str, int]:
    """See and edit your profile."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit() and attempt(form, lambda: services.update_profile(
        db.session, current_user,
        display_name=form.display_name.data, pronouns=form.pronouns.data, access_needs=form.access_needs.data,
    )):
        flash("Your profile has been saved.", "success")
        return redirect_to(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", form=form, two_step_on=two_step.is_enabled(db.session, current_user)
    ), form_status()
