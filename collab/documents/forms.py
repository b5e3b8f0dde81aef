"""Forms for comments and moderation."""

from __future__ import annotations

from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from collab.forms import BaseForm


class CommentForm(BaseForm):
    body = TextAreaField(
        "Your comment",
        validators=[DataRequired("Enter your comment"), Length(max=5000, message="Your comment must be 5,000 characters or fewer")],
    )
    parent_id = HiddenField()
    on_behalf_of_name = StringField(
        "Added on behalf of (optional)",
        description="If you are typing this for someone else, enter their name. It will show as theirs, added by you.",
        validators=[Optional(), Length(max=100, message="The name must be 100 characters or fewer")],
    )


class EditCommentForm(BaseForm):
    body = TextAreaField(
        "Your comment",
        validators=[DataRequired("Enter your comment"), Length(max=5000, message="Your comment must be 5,000 characters or fewer")],
    )


class HideCommentForm(BaseForm):
    reason = TextAreaField(
        "Why are you hiding this comment?",
        description="The person who wrote it will see this reason.",
        validators=[DataRequired("Enter why you are hiding this comment"), Length(max=1000, message="The reason must be 1,000 characters or fewer")],
    )


class ConfirmForm(BaseForm):
    """A form with nothing but its CSRF token (delete buttons)."""
