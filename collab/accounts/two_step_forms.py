"""Forms for two-step sign-in."""

from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

from collab.forms import BaseForm


class CodeForm(BaseForm):
    code = StringField(
        "Code from your authenticator app",
        description="The 6-digit code your app shows now, for example 123456.",
        validators=[DataRequired("Enter the 6-digit code from your authenticator app"),
                    Length(max=20, message="The code is 6 digits")],
    )


class RecoveryCodeForm(BaseForm):
    code = StringField(
        "Recovery code",
        description="One of the recovery codes you saved when you turned on two-step sign-in, like abcde-fghjk.",
        validators=[DataRequired("Enter one of your recovery codes"), Length(max=40, message="The recovery code is too long")],
    )


class ConfirmIdentityForm(BaseForm):
    """Your password, or a code, before a change to two-step sign-in."""

    password = PasswordField(
        "Password", validators=[Optional(), Length(max=256, message="Password is too long")]
    )
    code = StringField(
        "Or a code from your authenticator app or a recovery code",
        validators=[Optional(), Length(max=40, message="The code is too long")],
    )
