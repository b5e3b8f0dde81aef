"""Forms for organisations, alliances, invitations and membership."""

from __future__ import annotations

import re

from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from collab.alliances.models import OrganisationType, Role, SizeBand, Visibility
from collab.forms import BaseForm

MAX_OUTCOMES = 12

ROLE_CHOICES = [
    (Role.COMMISSIONER.value, "Commissioner – runs the process and holds the budget"),
    (Role.PROVIDER.value, "Provider – represents a member organisation and signs for it"),
    (Role.SERVICE_USER.value, "Service user or carer – brings lived experience"),
    (Role.FACILITATOR.value, "Facilitator – runs workshops and can add comments for others"),
    (Role.OBSERVER.value, "Observer – can read but not take part"),
]


class OrganisationForm(BaseForm):
    name = StringField(
        "Organisation name",
        validators=[DataRequired("Enter the organisation's name"), Length(max=200, message="Name must be 200 characters or fewer")],
    )
    org_type = RadioField(
        "Type of organisation",
        choices=[(t.value, t.label) for t in OrganisationType],
        validators=[DataRequired("Select the type of organisation")],
    )
    size_band = RadioField(
        "Size",
        description="Count paid staff, full-time and part-time.",
        choices=[(s.value, s.label) for s in SizeBand],
        validators=[DataRequired("Select the size of the organisation")],
    )
    locality = StringField(
        "Where it works",
        description="The neighbourhood, town or area, like 'Riverside north'.",
        validators=[DataRequired("Enter where the organisation works"), Length(max=200, message="Must be 200 characters or fewer")],
    )
    postcode_district = StringField(
        "Postcode district (optional)",
        description="The first part of the postcode, like RV2.",
        filters=[lambda v: v.upper() if isinstance(v, str) else v],
        validators=[Optional(), Regexp(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$", message="Enter a postcode district like RV2 or SW1A")],
    )
    charity_number = StringField(
        "Charity number (optional)",
        validators=[Optional(), Regexp(r"^[0-9A-Z-]{4,20}$", message="Enter a charity number of 4 to 20 letters and numbers")],
    )
    company_number = StringField(
        "Company number (optional)",
        validators=[Optional(), Regexp(r"^[0-9A-Z]{6,10}$", message="Enter a company number of 6 to 10 letters and numbers")],
    )


class CorrectionForm(OrganisationForm):
    reason = TextAreaField(
        "Why do the details need correcting?",
        description="The organisation's representatives will read this when they decide.",
        validators=[
            DataRequired("Enter why the details need correcting"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )


def _outcomes(text: str | None) -> list[str]:
    return [line.strip(" -*\t") for line in (text or "").splitlines() if line.strip(" -*\t")]


class AllianceForm(BaseForm):
    name = StringField(
        "Alliance name",
        validators=[DataRequired("Enter the alliance's name"), Length(max=200, message="Name must be 200 characters or fewer")],
    )
    purpose = TextAreaField(
        "Purpose",
        description="Why the alliance exists and who it is for.",
        validators=[DataRequired("Enter the alliance's purpose"), Length(max=20000, message="Purpose must be 20,000 characters or fewer")],
    )
    outcomes = TextAreaField(
        "Shared outcomes",
        description=f"The outcomes all members work towards. Put each one on its own line (up to {MAX_OUTCOMES}).",
        validators=[
            DataRequired("Enter at least one shared outcome"),
            Length(max=10_000, message="The shared outcomes must be 10,000 characters or fewer"),  # trust-web
        ],
    )
    visibility = RadioField(
        "Who can see the alliance",
        choices=[
            (Visibility.PRIVATE.value, "Private – only members can see it"),
            (Visibility.PUBLIC.value, "Public – anyone can see its purpose, outcomes and member organisations"),
        ],
        default=Visibility.PRIVATE.value,
        validators=[DataRequired("Select who can see the alliance")],
    )

    def validate_outcomes(self, field: TextAreaField) -> None:
        items = _outcomes(field.data)
        if not items:
            raise ValidationError("Enter at least one shared outcome")
        if len(items) > MAX_OUTCOMES:
            raise ValidationError(f"Enter {MAX_OUTCOMES} shared outcomes or fewer")
        if any(len(item) > 300 for item in items):
            raise ValidationError("Each shared outcome must be 300 characters or fewer")

    @property
    def outcome_list(self) -> list[str]:
        return _outcomes(self.outcomes.data)


class InvitationForm(BaseForm):
    email = EmailField(
        "Email address",
        validators=[
            DataRequired("Enter the email address of the person you are inviting"),
            Email("Enter an email address in the right format, like name@example.org"),
            Length(max=254, message="Email address is too long"),
        ],
    )
    role = RadioField("Role", choices=ROLE_CHOICES, validators=[DataRequired("Select a role")])
    organisation_id = SelectField(
        "Organisation",
        description="Providers must represent an organisation. Commissioners may choose theirs.",
        coerce=str,
        validators=[Optional()],
    )


class RoleForm(BaseForm):
    role = SelectField("Role", choices=[(r.value, r.label) for r in Role], validators=[DataRequired("Select a role")])
    organisation_id = SelectField("Organisation", coerce=str, validators=[Optional()])


def organisation_choices(organisations: list) -> list[tuple[str, str]]:
    return [("", "No organisation")] + [(str(o.id), o.name) for o in organisations]


def parse_id(value: str | None) -> int | None:
    """A positive whole number that fits an id column, from a form value, or None."""
    if value and re.fullmatch(r"[0-9]{1,10}", value) and 0 < int(value) <= 2**31 - 1:
        return int(value)
    return None
