"""Forms for the register, opening hours, bookings, needs and offers."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from wtforms import BooleanField, Form, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from collab.dateinput import DateInputField
from collab.forms import BaseForm
from collab.resources.models import RateUnit, ResourceKind, ResourceStatus
from collab.resources.services import MAX_REPEATS, WEEKDAYS

KIND_CHOICES = [(k.value, k.label) for k in ResourceKind]
_CLOCK = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_clock(text: str | None) -> time | None:
    """A time as people type it: 9, 09:30, 9.30, 9am, 2:30pm, 14:00 (None when empty)."""
    if not text or not text.strip():
        return None
    match = _CLOCK.match(text)
    if not match:
        raise ValueError("not a time")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower()
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError("not a time")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError("not a time")
    return time(hour, minute)


class ClockField(StringField):
    """A time of day typed as text (a browser time picker is hard to use with a screen reader)."""

    def __init__(self, label: str, required_message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("description", "For example, 9:30am, 14:00 or 2pm")
        super().__init__(label, **kwargs)
        self.required_message = required_message
        self.time: time | None = None

    def pre_validate(self, form: Any) -> None:
        self.time = None
        try:
            self.time = parse_clock(self.data)
        except ValueError:
            raise ValidationError(f"Enter {self.label.text.lower()} as a time, like 9:30am or 14:00") from None
        if self.time is None and self.required_message:
            raise ValidationError(self.required_message)


class ResourceForm(BaseForm):
    kind = SelectField("What kind of resource is it?", choices=KIND_CHOICES,
                       validators=[DataRequired("Choose what kind of resource it is")])
    title = StringField("Name", description="Such as 'Community room at Brook Street' or 'Minibus (12 seats)'.",
                        validators=[DataRequired("Enter a name"), Length(max=200, message="The name must be 200 characters or fewer")])
    description = TextAreaField("Description (optional)", description="What it is and what it is good for.",
                                validators=[Optional(), Length(max=10_000, message="The description must be 10,000 characters or fewer")])
    location = StringField("Where is it? (optional)", description="An address or area, such as '12 Brook Street, Riverside RV2'.",
                           validators=[Optional(), Length(max=300, message="The location must be 300 characters or fewer")])
    contact_id = SelectField("Who should people ask about it?", coerce=int, choices=[])
    conditions = TextAreaField("Conditions of use (optional)", description="Such as 'DBS-checked staff only' or 'Leave the room as you found it'.",
                               validators=[Optional(), Length(max=10_000, message="The conditions must be 10,000 characters or fewer")])
    accessibility = TextAreaField("Access information (optional)", description="Step-free access, accessible toilet, hearing loop, parking, quiet space …",
                                  validators=[Optional(), Length(max=10_000, message="Access information must be 10,000 characters or fewer")])
    capacity = IntegerField("How many people does it hold? (optional)",
                            validators=[Optional(), NumberRange(min=1, max=100_000, message="Enter a number of people from 1 to 100,000")])
    units = IntegerField("How many can be booked at the same time?", default=1,
                         description="1 for a room or a van. 5 if you lend 5 laptops; 12 for 12 training places.",
                         validators=[InputRequired("Enter how many can be booked at the same time"),
                                     NumberRange(min=1, max=1000, message="Enter a number from 1 to 1,000")])
    rate = StringField("Value in pounds", description="What it would cost to hire, such as 25 or 12.50. We use it to count what members share.",
                       validators=[DataRequired("Enter a value in pounds (0 if you do not know)")])
    rate_unit = RadioField("The value is", choices=[(u.value, u.label) for u in RateUnit], default=RateUnit.HOUR.value,
                           validators=[DataRequired("Choose whether the value is per hour, per day or per unit")])
    auto_approve = BooleanField("Approve requests straight away when the time is free")


class StatusForm(BaseForm):
    status = RadioField("Status", choices=[(s.value, s.label) for s in ResourceStatus],
                        validators=[DataRequired("Choose a status")])


def _hours_form() -> type[BaseForm]:
    fields: dict[str, Any] = {}
    for index, name in enumerate(WEEKDAYS):
        fields[f"opens_{index}"] = ClockField(f"{name} opens")
        fields[f"closes_{index}"] = ClockField(f"{name} closes")
    return type("HoursForm", (BaseForm,), fields)


HoursForm = _hours_form()


class AvailableOnForm(Form):
    """The register's "Open on" filter: a date in three boxes, sent as a query (no CSRF: it changes nothing)."""

    available_on = DateInputField("Open on", what="date", required=False)


class DateForm(BaseForm):
    on_date = DateInputField("Date", what="date")
    closed = RadioField("On that date it is", choices=[("closed", "Closed all day"), ("open", "Open at these times instead")],
                        default="closed", validators=[DataRequired("Choose closed or open")])
    opens = ClockField("Opens")
    closes = ClockField("Closes")
    note = StringField("Note (optional)", description="Such as 'Bank holiday' or 'Staff training'.",
                       validators=[Optional(), Length(max=200, message="The note must be 200 characters or fewer")])


class BookingForm(BaseForm):
    on = DateInputField("Date", what="date")
    starts = ClockField("Start time", required_message="Enter a start time")
    ends = ClockField("End time", required_message="Enter an end time")
    ends_on = DateInputField("End date, if it is not the same day (optional)", what="end date", required=False,
                             description="For loans over several days, such as a van for a weekend.")
    quantity = IntegerField("How many do you need?", default=1,
                            validators=[InputRequired("Enter how many you need"),
                                        NumberRange(min=1, max=1000, message="Enter a number from 1 to 1,000")])
    purpose = TextAreaField("What is it for?", description="Such as 'Peer support group, about 10 people'.",
                            validators=[DataRequired("Say what it is for"), Length(max=2000, message="This must be 2,000 characters or fewer")])
    repeat_weeks = IntegerField("How many weeks?", default=1,
                                description=f"1 for once. 10 to book the same time every week for 10 weeks (at most {MAX_REPEATS}).",
                                validators=[InputRequired("Enter how many weeks"),
                                            NumberRange(min=1, max=MAX_REPEATS, message=f"Enter a number of weeks from 1 to {MAX_REPEATS}")])
    skip_conflicts = BooleanField("If some weeks are taken, book the others")


class ApproveForm(BaseForm):
    note = TextAreaField("Note to the person who asked (optional)", validators=[Optional(), Length(max=2000)])
    whole_series = BooleanField("Approve every week of this booking that is waiting")


class DeclineForm(BaseForm):
    reason = TextAreaField("Why are you saying no?", id="decline-reason", validators=[DataRequired("Say why you are declining"), Length(max=2000)])
    whole_series = BooleanField("Decline every week of this booking that is waiting")


class CancelForm(BaseForm):
    reason = TextAreaField("Why are you cancelling?", id="cancel-reason", validators=[DataRequired("Say why you are cancelling"), Length(max=2000)])
    whole_series = BooleanField("Cancel this and every later week of this booking")


class NeedForm(BaseForm):
    kind = SelectField("What kind of thing do you need?", choices=KIND_CHOICES,
                       validators=[DataRequired("Choose what kind of thing you need")])
    title = StringField("What do you need?", description="Such as 'A quiet room for a peer support group'.",
                        validators=[DataRequired("Say what you need"), Length(max=200, message="This must be 200 characters or fewer")])
    when = StringField("When do you need it? (optional)", description="Such as 'Tuesdays, 6pm to 8pm, from March'.",
                       validators=[Optional(), Length(max=300, message="This must be 300 characters or fewer")])
    description = TextAreaField("Anything else people should know (optional)",
                                validators=[Optional(), Length(max=10_000, message="This must be 10,000 characters or fewer")])


class OfferForm(BaseForm):
    message = TextAreaField("Your offer", description="What you can offer, when, and how to arrange it.",
                            validators=[DataRequired("Write your offer"), Length(max=10_000)])
    resource_id = SelectField("Which of your resources? (optional)", coerce=int, choices=[], validate_choice=True)


class CloseNeedForm(BaseForm):
    outcome = RadioField("What happened?", choices=[("met", "The need was met"), ("closed", "We no longer need it")],
                         validators=[DataRequired("Choose what happened")])


class FeedForm(BaseForm):
    action = RadioField("Action", choices=[("make", "Make a new address"), ("stop", "Stop the address")],
                        validators=[DataRequired()])


class ConfirmForm(BaseForm):
    """A button with only a CSRF token."""
