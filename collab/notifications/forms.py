"""The email settings form."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.validators import Optional, ValidationError

from collab.forms import BaseForm
from collab.notifications.models import EmailFrequency

FREQUENCY_CHOICES = [(f.value, f.label) for f in EmailFrequency]


class EmailSettingsForm(BaseForm):
    #: Left out of a hand-made request, it keeps the person's current choice.
    frequency = RadioField(
        "How often should we email you?",
        choices=FREQUENCY_CHOICES,
        validators=[Optional()],
        validate_choice=False,
    )

    def validate_frequency(self, field: RadioField) -> None:
        if field.data and field.data not in {f.value for f in EmailFrequency}:
            raise ValidationError("Choose how often emails come: as each one happens, daily, weekly or never")
