"""Account pages: sign in and out, forgotten password, change password, profile."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from collab.accounts import bp, services
from collab.accounts.forms import (
    ChangePasswordForm,
    ForgottenPasswordForm,
    ProfileForm,
    ResetPasswordForm,
    SignInForm,
)
from collab.accounts.signin import complete_sign_in, end_sign_in
from collab.accounts import two_step  # two-step sign-in (issue 7)
from collab.accounts.two_step_routes import start_second_step  # two-step sign-in (issue 7)
from collab.db import db
from collab.errors import DomainError
from collab.extensions import client_ip, limiter
from collab.web import form_status, is_safe_next, redirect_to


def _account_key() -> str:
    return "sign-in:" + services.normalise_email(request.form.get("email", ""))[:254]


def _ip_key() -> str:
    return "sign-in-ip:" + client_ip()


def _failed(response: Response) -> bool:
    """Only failed attempts count toward the limit, so the real user is never held back by success."""
    return response.status_code == 422


def _login_limit_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def _login_limit_ip() -> str:
    return current_app.config["LOGIN_LIMIT_PER_IP"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit_account, key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit_ip, key_func=_ip_key, methods=["POST"], deduct_when=_failed)
def sign_in() -> Response | tuple[str, int] | str:
    """Sign in with email and password."""
    next_url = request.values.get("next")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url if is_safe_next(next_url) else url_for("alliances.index"))  # type: ignore[return-value]
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            # Two-step sign-in (issue 7): with it on, the password alone does not sign in.
            if two_step.is_enabled(db.session, user):
                return start_second_step(user, remember=bool(form.remember.data), next_url=next_url)
            complete_sign_in(user, remember=bool(form.remember.data))
            return redirect_to(next_url if is_safe_next(next_url) else url_for("alliances.index"))
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
    db.session.commit()
    end_sign_in()
    flash("You have been signed out on every device. Sign in again to carry on.", "success")
    return redirect_to(url_for("accounts.sign_in"))


@bp.route("/password/forgotten", methods=["GET", "POST"])
@limiter.limit(_login_limit_ip, key_func=_ip_key, methods=["POST"])
def forgotten_password() -> Response | tuple[str, int]:
    """Ask for a password reset link."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        services.start_password_reset(db.session, form.email.data)
        db.session.commit()
        return render_template("accounts/reset_sent.html", email=form.email.data), 200  # type: ignore[return-value]
    return render_template("accounts/forgotten_password.html", form=form), form_status()


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | tuple[str, int]:
    """Choose a new password from an emailed link."""
    if services.valid_reset_token(db.session, token) is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(db.session, token, form.password.data)
        except DomainError:
            db.session.rollback()
            return render_template("accounts/reset_invalid.html"), 404
        db.session.commit()
        end_sign_in()
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect_to(url_for("accounts.sign_in"))
    return render_template("accounts/reset_password.html", form=form), form_status()


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | tuple[str, int]:
    """Change your password; every other session ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(db.session, current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            # Keep this browser signed in with the new session version (and, if it had
            # one, a remember-me cookie for the new version: the old one stops working).
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
            login_user(current_user._get_current_object(), remember=remembered, fresh=True)
            flash("Your password has been changed. You have been signed out on your other devices.", "success")
            return redirect_to(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), form_status()


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile() -> Response | tuple[str, int]:
    """See and edit your profile."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            db.session,
            current_user,
            display_name=form.display_name.data,
            pronouns=form.pronouns.data,
            access_needs=form.access_needs.data,
        )
        db.session.commit()
        flash("Your profile has been saved.", "success")
        return redirect_to(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", form=form, two_step_on=two_step.is_enabled(db.session, current_user)
    ), form_status()
