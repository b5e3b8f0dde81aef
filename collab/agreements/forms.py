"""Forms for drafting, proposals, responses, decisions, signing and verification."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from collab.dateinput import DateInputField
from collab.forms import BaseForm

_HEADING = [DataRequired("Enter a heading for the clause"), Length(max=200, message="The heading must be 200 characters or fewer")]
_BODY = [DataRequired("Enter the text of the clause"), Length(max=20_000, message="The text must be 20,000 characters or fewer")]


class StartForm(BaseForm):
    start = RadioField(
        "How do you want to start?",
        choices=[
            ("template", "From our starter agreement – 12 short clauses in plain English that you can change"),
            ("blank", "From a blank page – add your own clauses"),
        ],
        validators=[DataRequired("Choose how to start the agreement")],
    )


class ClauseForm(BaseForm):
    heading = StringField("Heading", validators=_HEADING)
    body = TextAreaField("Text of the clause", validators=_BODY)
    #: The version of the clause this edit started from (optimistic locking).
    lock_version = IntegerField(widget=HiddenInput(), validators=[InputRequired("Reload the page and try again")])
    #: The heading and text this edit started from, for a three-way merge after a conflict.
    merge_base = HiddenField()


class NewClauseForm(BaseForm):
    heading = StringField("Heading", validators=_HEADING)
    body = TextAreaField("Text of the clause", validators=_BODY)


class ProposalForm(BaseForm):
    heading = StringField("Heading", validators=_HEADING)
    body = TextAreaField("The text you propose", validators=_BODY)
    reason = TextAreaField(
        "Why do you want this change?",
        description="Say what it will change for people who use services, and for members.",
        validators=[DataRequired("Say why you want this change"), Length(max=5000, message="The reason must be 5,000 characters or fewer")],
    )
    closes_on = DateInputField(
        "Closing date", what="closing date", description="Every seat should respond by this date.",
    )


RESPONSE_CHOICES = [
    ("agree", "Agree – I am happy with this change"),
    ("stand_aside", "Stand aside – I have concerns, but I will not block it"),
    ("object", "Object – this should not go ahead as it is"),
]


class ResponseForm(BaseForm):
    response = RadioField("Your response", choices=RESPONSE_CHOICES, validators=[DataRequired("Choose agree, stand aside or object")])
    reason = TextAreaField(
        "Your reason",
        description="You must give a reason if you stand aside or object.",
        validators=[Optional(), Length(max=5000, message="The reason must be 5,000 characters or fewer")],
    )


class DecisionForm(BaseForm):
    outcome = RadioField(
        "What do you want to do?",
        choices=[
            ("withdraw", "Close it as withdrawn – the agreement does not change"),
            ("reserved_apply", "Use a reserved power to apply the change"),
            ("reserved_reject", "Use a reserved power to refuse the change"),
        ],
        validators=[DataRequired("Choose what to do with the proposal")],
    )
    reason = TextAreaField(
        "Reason",
        description="Everyone in the alliance will see this. A reason is required for a reserved-power decision.",
        validators=[Optional(), Length(max=5000, message="The reason must be 5,000 characters or fewer")],
    )


class SignForm(BaseForm):
    password = PasswordField("Your password", description="We ask again to check it is really you.",
                             validators=[DataRequired("Enter your password")])
    typed_name = StringField("Your full name", validators=[DataRequired("Type your full name"), Length(max=200, message="Your name must be 200 characters or fewer")])
    confirm = BooleanField("I confirm the statement above")
    #: Guards against signing a statement other than the one shown.
    sha256 = HiddenField()


class VerifyForm(BaseForm):
    sha256 = StringField(
        "SHA-256",
        description="64 letters and numbers, for example from the end of a signed PDF.",
        validators=[Optional(), Length(max=200, message="That is too long to be a SHA-256")],
    )
    file = FileField("Or upload the Markdown file you downloaded")


class ConfirmForm(BaseForm):
    """Nothing but a CSRF token (buttons that change something)."""


class PublishForm(ConfirmForm):
    """Publishing the next version; while the last one is still being signed, a tick says you know."""

    replace_unsigned = BooleanField("I understand: publish anyway")
