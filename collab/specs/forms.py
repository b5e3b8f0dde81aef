"""Forms for specifications, their sections, comments and responses."""

from __future__ import annotations

from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from collab.dateinput import DateInputField
from collab.forms import BaseForm
from collab.specs.models import Outcome


class SpecForm(BaseForm):
    title = StringField(
        "Title",
        description="Say what the service does, like 'Community mental health crisis support'.",
        validators=[DataRequired("Enter a title"), Length(max=200, message="The title must be 200 characters or fewer")],
    )
    service_area = StringField(
        "Service area",
        description="Such as 'Adult mental health' or 'Youth work'.",
        validators=[DataRequired("Enter the service area"), Length(max=200, message="The service area must be 200 characters or fewer")],
    )
    summary = TextAreaField(
        "Summary (optional)",
        description="A few sentences: what the service is and who it is for.",
        validators=[Optional(), Length(max=5000, message="The summary must be 5,000 characters or fewer")],
    )


class SpecDetailsForm(SpecForm):
    easy_read = TextAreaField(
        "Easy-read summary",
        description="Short sentences and everyday words. One idea in each sentence.",
        validators=[Optional(), Length(max=10_000, message="The easy-read summary must be 10,000 characters or fewer")],
    )
    lock_version = HiddenField()
    #: The details this edit started from, for a three-way merge after a conflict.
    merge_base = HiddenField()


class SectionForm(BaseForm):
    heading = StringField(
        "Heading",
        validators=[DataRequired("Enter a heading"), Length(max=200, message="The heading must be 200 characters or fewer")],
    )
    body = TextAreaField(
        "Text",
        validators=[Optional(), Length(max=50_000, message="The text must be 50,000 characters or fewer")],
    )
    lock_version = HiddenField()
    #: The heading and text this edit started from, for a three-way merge after a conflict.
    merge_base = HiddenField()


class NewSectionForm(BaseForm):
    heading = StringField(
        "Heading of the new section",
        validators=[DataRequired("Enter a heading"), Length(max=200, message="The heading must be 200 characters or fewer")],
    )


class MoveForm(BaseForm):
    direction = HiddenField(validators=[DataRequired()])


class ConsultationForm(BaseForm):
    opens_on = DateInputField("When do comments open?", what="date comments open")
    closes_on = DateInputField(
        "When do comments close?", what="date comments close", description="Give people at least four weeks.",
    )
    note = TextAreaField("Note for readers (optional)", validators=[Optional(), Length(max=2000, message="The note must be 2,000 characters or fewer")])


class RedraftForm(BaseForm):
    note = TextAreaField(
        "What changed in this draft?",
        description="People who commented will see this.",
        validators=[DataRequired("Say what changed in this draft"), Length(max=2000, message="The note must be 2,000 characters or fewer")],
    )


class PublishForm(BaseForm):
    reason = TextAreaField(
        "Why publish now? (only if comments are still waiting)",
        description="This is recorded and shown with the specification.",
        validators=[Optional(), Length(max=2000, message="The reason must be 2,000 characters or fewer")],
    )


class ConfirmForm(BaseForm):
    """Only a CSRF token: for buttons that change something."""


class CloseConsultationForm(BaseForm):
    reason = TextAreaField(
        "Why are you closing comments now?",
        description="Everyone in the alliance will be told, with this reason. It is also shown on the specification.",
        validators=[Optional(), Length(max=2000, message="The reason must be 2,000 characters or fewer")],
    )


class SpecCommentForm(BaseForm):
    body = TextAreaField(
        "Your comment",
        validators=[DataRequired("Enter your comment"), Length(max=5000, message="Your comment must be 5,000 characters or fewer")],
    )
    on_behalf_of = SelectField("Added on behalf of a member (optional)", choices=[], validate_choice=False)
    on_behalf_of_name = StringField(
        "Or type the name of the person (optional)",
        description="For someone at a workshop who is not a member. Their comment counts as from a service user or carer.",
        validators=[Optional(), Length(max=100, message="The name must be 100 characters or fewer")],
    )


class ReplyForm(BaseForm):
    body = TextAreaField(
        "Your reply",
        validators=[DataRequired("Enter your reply"), Length(max=5000, message="Your reply must be 5,000 characters or fewer")],
    )


class SupportForm(BaseForm):
    #: "add" or "remove".
    action = HiddenField(default="add")


class ResponseForm(BaseForm):
    outcome = RadioField(
        "What did you do?",
        choices=[
            (Outcome.CHANGED.value, "Changed the specification"),
            (Outcome.PARTLY_CHANGED.value, "Partly changed it"),
            (Outcome.NOT_CHANGED.value, "Did not change it (say why)"),
            (Outcome.ANSWERED.value, "Answered a question"),
        ],
        validators=[DataRequired("Choose what you did")],
    )
    text = TextAreaField(
        "Your response",
        description="Say what you changed, or why not. Use plain words: the person who commented will read this.",
        validators=[Optional(), Length(max=5000, message="The response must be 5,000 characters or fewer")],
    )
    change_section = SelectField("Section you changed (for changed or partly changed)", choices=[], validate_choice=False)


class ClauseLinksForm(BaseForm):
    pass


def parse_int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


