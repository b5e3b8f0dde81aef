"""Account forms."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from collab.forms import BaseForm

PASSWORD_MIN = 10


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        "New password",
        description=f"At least {PASSWORD_MIN} characters. A few unrelated words make a strong password.",
        validators=[
            DataRequired("Enter a new password"),
            Length(min=PASSWORD_MIN, max=256, message=f"Password must be between {PASSWORD_MIN} and 256 characters"),
        ],
    )
    confirm = PasswordField(
        "Confirm new password",
        validators=[DataRequired("Enter the new password again"), EqualTo("password", "The passwords do not match")],
    )
    return password, confirm


class SignInForm(BaseForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Length(max=254, message="Email address is too long")],
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password"), Length(max=256, message="Password is too long")]
    )
    remember = BooleanField("Keep me signed in on this device for 2 weeks")


class ForgottenPasswordForm(BaseForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter your email address"),
            Email("Enter an email address in the right format, like name@example.org"),
            Length(max=254, message="Email address is too long"),
        ],
    )


class ResetPasswordForm(BaseForm):
    password, confirm = new_password_fields()


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password"), Length(max=256, message="Password is too long")],
    )
    password, confirm = new_password_fields()


class ProfileForm(BaseForm):
    display_name = StringField(
        "Display name",
        description="The name other people see. It can be a first name or a name you choose.",
        validators=[DataRequired("Enter a display name"), Length(max=100, message="Display name must be 100 characters or fewer")],
    )
    pronouns = StringField(
        "Pronouns (optional)",
        description="For example, she/her, he/him or they/them.",
        validators=[Optional(), Length(max=40, message="Pronouns must be 40 characters or fewer")],
    )
    access_needs = TextAreaField(
        "Access needs (optional)",
        description=(
            "Anything that helps you take part, like step-free access, an interpreter, "
            "easy-read papers or breaks. Only commissioners and facilitators of your alliances can see this."
        ),
        validators=[Optional(), Length(max=2000, message="Access needs must be 2,000 characters or fewer")],
    )


class NewAccountForm(BaseForm):
    """Create an account while accepting an invitation."""

    display_name = ProfileForm.display_name
    password, confirm = new_password_fields()
