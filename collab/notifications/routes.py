"""Your notifications: the list, marking them read, and email settings."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError

from collab.db import db, request_cache
from collab.forms import BaseForm
from collab.notifications import bp, services
from collab.notifications.forms import EmailSettingsForm
from collab.notifications.kinds import KINDS
from collab.notifications.models import EmailFrequency, Notification
from collab.web import attempt, form_status, get_or_404, is_safe_next, page_number, paginate, redirect_to


@bp.app_context_processor
def _header_count() -> dict[str, object]:
    def unread_notification_count() -> int:
        if not current_user.is_authenticated:
            return 0
        cache = request_cache()
        if "unread_notifications" not in cache:
            cache["unread_notifications"] = services.unread_count(db.session, current_user)
        return int(cache["unread_notifications"])

    return {"unread_notification_count": unread_notification_count}


@bp.get("/notifications")
@login_required
def index() -> str:
    """Your notifications, newest first."""
    page = paginate(db.session, services.for_user(current_user), page_number(), per_page=25)
    return render_template("notifications/index.html", page=page, form=BaseForm())


def _own(notification_id: int) -> Notification:
    return get_or_404(db.session, Notification, notification_id, user_id=current_user.id)


@bp.get("/notifications/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int) -> Response:
    """Follow a notification's link: it counts as read, then you go to what it is about."""
    note = _own(notification_id)
    try:
        attempt(None, lambda: services.mark_read(db.session, current_user, note))
    except OperationalError:  # SQLite busy with another writer: still take them there
        db.session.rollback()
    # Only a path inside Collab is followed (no open redirects, even from a stored link).
    return redirect_to(note.url if is_safe_next(note.url) else url_for("notifications.index"))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int) -> Response:
    """Mark one notification as read; 'open' also takes you to what it is about."""
    note = _own(notification_id)
    form = BaseForm()
    if not form.validate_on_submit():
        abort(400)
    attempt(None, lambda: services.mark_read(db.session, current_user, note))
    if request.form.get("open") and is_safe_next(note.url):
        return redirect_to(note.url)
    return redirect_to(url_for("notifications.index", page=page_number()))  # trust-web: a number, not any text


@bp.post("/notifications/read-all")
@login_required
def mark_all_read() -> Response:
    """Mark all your notifications as read."""
    form = BaseForm()
    if not form.validate_on_submit():
        abort(400)
    # With no form a broken rule is raised (for the error page), so this is never None.
    count = attempt(None, lambda: services.mark_all_read(db.session, current_user)).value
    flash(f"{count} notification{'s' if count != 1 else ''} marked as read.", "success")
    return redirect_to(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings() -> Response | tuple[str, int] | str:
    """Choose which notifications also come to you by email, and how often."""
    current = services.email_frequency(db.session, current_user)
    form = EmailSettingsForm()
    if request.method == "GET":
        form.frequency.data = current.value
    if request.method == "POST" and form.validate_on_submit():
        chosen = request.form.getlist("email")
        frequency = EmailFrequency(form.frequency.data) if form.frequency.data else current

        def save() -> None:
            services.set_preferences(db.session, current_user, chosen)
            services.set_email_frequency(db.session, current_user, frequency)

        if any(key not in KINDS for key in chosen):
            form.form_errors.append("Choose only from the kinds of notification listed")
        elif attempt(form, save):
            flash("Your email choices have been saved.", "success")
            return redirect_to(url_for("notifications.settings"))
    return render_template(
        "notifications/settings.html", form=form, kinds=KINDS, choices=services.preferences(db.session, current_user),
        frequencies=list(EmailFrequency),
    ), form_status()
