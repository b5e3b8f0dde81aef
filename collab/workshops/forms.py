"""Forms for planning workshops, replying, the ideas board and what comes out of it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from collab.dateinput import DateInputField
from collab.forms import BaseForm
from collab.workshops.models import ACCESS_NEEDS


def _id_or_none(value: Any) -> int | None:
    """Select values: '' means none chosen; anything that is not a plain number is none too."""
    if value in (None, "", "None"):
        return None
    text = str(value)
    return int(text) if text.isdigit() and len(text) <= 10 else None


class WorkshopForm(BaseForm):
    title = StringField("Title", description="Say what people will talk about, like 'Shaping the crisis café'.",
                        validators=[DataRequired("Enter a title"), Length(max=200, message="The title must be 200 characters or fewer")])
    purpose = TextAreaField("What it is for", description="A sentence or two that an invitee reads first.",
                            validators=[DataRequired("Enter what the workshop is for"),
                                        Length(max=5000, message="What it is for must be 5,000 characters or fewer")])
    day = DateInputField("Date", what="date of the workshop")
    start = TimeField("Start time", description="UK time, for example 10:00.",
                      validators=[InputRequired("Enter the start time, like 10:00")])
    end = TimeField("End time", description="UK time, for example 12:30.",
                    validators=[InputRequired("Enter the end time, like 12:30")])
    in_person = BooleanField("In person")
    address = TextAreaField("Address", validators=[Optional(), Length(max=1000, message="The address must be 1,000 characters or fewer")])
    step_free = BooleanField("Step-free access")
    hearing_loop = BooleanField("Hearing loop")
    quiet_room = BooleanField("Quiet room")
    accessible_toilets = BooleanField("Accessible toilets")
    access_notes = TextAreaField("Anything else about getting there and getting in (optional)",
                                 description="Such as the nearest bus stop, parking, or which door to use.",
                                 validators=[Optional(), Length(max=5000, message="Access information must be 5,000 characters or fewer")])
    online = BooleanField("Online")
    meeting_link = StringField("Meeting link", description="Starts with https://",
                               validators=[Optional(), Length(max=500, message="The meeting link must be 500 characters or fewer")])
    capacity = IntegerField("How many people can come", validators=[
        InputRequired("Enter how many people can come"), NumberRange(1, 500, "Enter a number from 1 to 500")])
    payment = DecimalField("Participation payment per person, in pounds (optional)",
                           description="Paid to people who claim it and come. Leave empty for none.",
                           places=2, validators=[Optional(), NumberRange(Decimal(0), Decimal(1000), "Enter an amount from £0 to £1,000")])


class UsualPaymentForm(BaseForm):
    payment = DecimalField("Usual participation payment per person, in pounds",
                           description="New workshops start with this amount. Organisers can change it for each workshop. "
                                       "Leave empty for none.",
                           places=2, validators=[Optional(), NumberRange(Decimal(0), Decimal(1000), "Enter an amount from £0 to £1,000")])


class CancelForm(BaseForm):
    reason = TextAreaField("Why is it cancelled?", description="Everyone invited can read this.",
                           validators=[DataRequired("Enter why it is cancelled"), Length(max=1000)])


class AgendaItemForm(BaseForm):
    title = StringField("Agenda item", validators=[DataRequired("Enter what the item is about"), Length(max=200)])
    minutes = IntegerField("Time box in minutes", validators=[
        InputRequired("Enter the time box in minutes"), NumberRange(1, 480, "Enter a time box from 1 to 480 minutes")])
    spec_section = SelectField("About a specification section (optional)", coerce=_id_or_none, validate_choice=False)
    clause = SelectField("About an agreement clause (optional)", coerce=_id_or_none, validate_choice=False)


class MoveItemForm(BaseForm):
    direction = HiddenField(validators=[DataRequired()])


class InviteForm(BaseForm):
    people = SelectMultipleField("People", coerce=int, validate_choice=False)
    roles = SelectMultipleField("Everyone who is a", validate_choice=False)


class ReplyForm(BaseForm):
    reply = RadioField("Can you come?", choices=[("yes", "Yes, I can come"), ("maybe", "Maybe"), ("no", "No, I cannot come")],
                       validators=[InputRequired("Choose yes, maybe or no")])
    access_needs = SelectMultipleField("What would help you take part?", choices=list(ACCESS_NEEDS.items()),
                                       validate_choice=False)
    access_needs_other = TextAreaField("Anything else we should know (optional)",
                                       description="Only the organisers see this.",
                                       validators=[Optional(), Length(max=2000, message="This must be 2,000 characters or fewer")])
    claims_payment = BooleanField("I would like the participation payment")
    named_in_exports = BooleanField("You can show my name in the workshop report")


class AttendanceForm(BaseForm):
    came = SelectMultipleField("Who came", coerce=int, validate_choice=False)


class ConfirmForm(BaseForm):
    pass


class IdeaForm(BaseForm):
    text = TextAreaField("Your idea", validators=[DataRequired("Enter your idea"),
                                                  Length(max=500, message="An idea must be 500 characters or fewer")])
    client_key = HiddenField()
    for_user = SelectField("Whose idea is it? (optional)", coerce=_id_or_none, validate_choice=False)
    for_name = StringField("Or type their name (optional)", validators=[Optional(), Length(max=120)])
    consent = BooleanField("They agreed to this being added in their name")


class ThemeForm(BaseForm):
    name = StringField("New theme", validators=[DataRequired("Enter a name for the theme"), Length(max=120)])


class MoveIdeaForm(BaseForm):
    idea = HiddenField(validators=[DataRequired("Choose an idea")])
    theme = SelectField("Move to theme", coerce=_id_or_none, validate_choice=False)


class MergeForm(BaseForm):
    duplicate = SelectField("This idea is a duplicate", coerce=_id_or_none, validate_choice=False)
    into = SelectField("Of this idea", coerce=_id_or_none, validate_choice=False)


class VotingForm(BaseForm):
    dots = IntegerField("Dots for each person", validators=[
        InputRequired("Enter how many dots each person has"), NumberRange(1, 20, "Enter a number from 1 to 20")])


class VoteForm(BaseForm):
    idea = HiddenField(validators=[DataRequired()])
    change = HiddenField(validators=[DataRequired()])


class StepForm(BaseForm):
    direction = HiddenField()
    item = HiddenField()


class ContributionsForm(BaseForm):
    group_name = StringField("Table or group", description="Such as 'Table 2' or 'Carers' group'.",
                             validators=[DataRequired("Enter the table or group name"), Length(max=120)])
    people = IntegerField("How many people it speaks for", validators=[
        InputRequired("Enter how many people the group speaks for"), NumberRange(1, 1000, "Enter a number from 1 to 1000")])
    lines = TextAreaField("What they said", description="One item on each line.",
                          validators=[DataRequired("Enter at least one item, one on each line"), Length(max=100_000)])


class ToCommentForm(BaseForm):
    section = SelectField("Add it as a comment on", coerce=_id_or_none, validate_choice=False)


class NotesForm(BaseForm):
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=50_000, message="Notes must be 50,000 characters or fewer")])


class DecisionForm(BaseForm):
    text = TextAreaField("Decision", id="decision-text", validators=[DataRequired("Enter the decision"), Length(max=2000)])


class ActionForm(BaseForm):
    text = StringField("What needs doing", id="action-text", validators=[DataRequired("Enter what needs doing"), Length(max=300)])
    owner = SelectField("Who will do it", coerce=_id_or_none, validate_choice=False)
    due_on = DateInputField("Due date", what="date it is due")


class ActionStatusForm(BaseForm):
    status = HiddenField(validators=[DataRequired()])


class ProposalForm(BaseForm):
    target = RadioField("What should change?", choices=[("clause", "An agreement clause"), ("section", "A specification section")],
                        validators=[InputRequired("Choose an agreement clause or a specification section")])
    clause = SelectField("Agreement clause", coerce=_id_or_none, validate_choice=False)
    section = SelectField("Specification section", coerce=_id_or_none, validate_choice=False)
    heading = StringField("Heading (agreement clauses)", validators=[Optional(), Length(max=200)])
    body = TextAreaField("The change you propose", validators=[DataRequired("Enter the change you propose"), Length(max=50_000)])
    reason = TextAreaField("Why", validators=[Optional(), Length(max=5000)])
    group_name = StringField("Table or group it speaks for (optional)", description="Such as 'Table 2' or 'Carers' group'.",
                             validators=[Optional(), Length(max=120, message="The group name must be 120 characters or fewer")])
    people = IntegerField("How many people it speaks for", validators=[
        Optional(), NumberRange(1, 1000, "Enter a number from 1 to 1000")])
    closes_on = DateInputField("Responses close on (agreement clauses)", what="date responses close", required=False)
