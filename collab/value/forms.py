"""Forms for the social value framework, commitments, reports and the risk-and-reward model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf.file import FileField
from wtforms import (
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms import Form as WtfForm
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from collab.dateinput import DateInputField
from collab.forms import BaseForm, select_choices
from collab.value.models import CriterionGroup, Direction, GainRule

_AMOUNT = "Enter a number, like 120 or 45.50"
MAX_AMOUNT = Decimal("999999999999.99")


def parse_amount(raw: str | None, *, places: int = 2, limit: Decimal = MAX_AMOUNT) -> Decimal | None:
    """Text a person typed as a Decimal ("£1,200.50" is fine), or None; ValueError when it is not a number.

    Never a float: the text goes straight to Decimal.
    """
    text = (raw or "").strip().replace(",", "").replace("£", "").replace("%", "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_AMOUNT) from None
    if not value.is_finite() or abs(value) > limit:
        raise ValueError(_AMOUNT)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ValueError(f"Use at most {places} decimal places")
    return value


class AmountField(DecimalField):
    """A Decimal typed by a person: finite, at most two decimal places, commas and £ allowed."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        self.raw_data = valuelist
        try:
            self.data = parse_amount(valuelist[0], places=self.places if self.places is not None else 2)
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from None


class ConfirmForm(BaseForm):
    """A button that changes something (CSRF only)."""


class ThemeForm(BaseForm):
    name = StringField("Theme", description="Such as 'A fairer local economy'.",
                       validators=[DataRequired("Enter the theme's name"), Length(max=200)])
    description = TextAreaField("What it is about (optional)", validators=[Optional(), Length(max=2000)])


class OutcomeForm(BaseForm):
    theme_id = SelectField("Theme", coerce=int, validators=[InputRequired("Choose a theme")])
    name = StringField("Outcome", description="What will be better, such as 'More local people in good work'.",
                       validators=[DataRequired("Enter the outcome"), Length(max=300)])


class MeasureForm(BaseForm):
    outcome_id = SelectField("Outcome", coerce=int, validators=[InputRequired("Choose an outcome")])
    name = StringField("Measure", description="What is counted, such as 'Volunteer hours given by staff'.",
                       validators=[DataRequired("Enter the measure"), Length(max=300)])
    unit = StringField("Unit", description="Such as people, hours, £ or tonnes CO2e.",
                       validators=[DataRequired("Enter the unit"), Length(max=40)])
    direction = RadioField("Which way is better?", choices=[(d.value, d.label) for d in Direction],
                           default=Direction.MORE.value, validators=[InputRequired("Choose which way is better")])
    proxy_per_unit = AmountField(
        "Money value per unit, in pounds (optional)",
        description="Only if the alliance agrees a figure. Money values are totalled apart from counts.",
        places=2, validators=[Optional(), NumberRange(min=0, message="The money value cannot be negative")],
    )
    proxy_source = TextAreaField("Where the money value comes from",
                                 description="Needed when you give a money value.",
                                 validators=[Optional(), Length(max=2000)])


class EditMeasureForm(MeasureForm):
    outcome_id = None  # a measure stays under its outcome


class PeriodForm(BaseForm):
    label = StringField("Name", description="Such as 'April to September 2026'.",
                        validators=[DataRequired("Enter a name for the period"), Length(max=100)])
    starts_on = DateInputField("Starts on", what="date the period starts")
    ends_on = DateInputField("Ends on", what="date the period ends")
    reports_due_on = DateInputField("Reports due by", what="date reports are due")


class CommitmentForm(BaseForm):
    measure_id = SelectField("Measure", coerce=int, validators=[InputRequired("Choose a measure")])
    period_id = SelectField("Period", coerce=int, validators=[InputRequired("Choose a period")])
    target = AmountField("Target", description="How much you commit to, in the measure's unit.", places=2,
                          validators=[InputRequired(_AMOUNT), NumberRange(min=0, message="The target cannot be negative")])


class ReportForm(BaseForm):
    amount = AmountField("Amount delivered", places=2,
                          validators=[InputRequired(_AMOUNT),
                                      NumberRange(min=0, message="The amount cannot be negative")])
    note = TextAreaField("Note", description="What you did, and anything that helps the commissioner check it.",
                         validators=[Optional(), Length(max=5000)])
    evidence_url = StringField("Link to evidence (optional)", description="A web address starting with https://",
                               validators=[Optional(), Length(max=500)])


class QueryForm(BaseForm):
    reason = TextAreaField("Your question", description="Say what you need to know to confirm this report.",
                           validators=[DataRequired("Say what you want to know about this report"), Length(max=5000)])


class TargetCostForm(BaseForm):
    year = IntegerField("Year", validators=[InputRequired("Enter the year"),
                                            NumberRange(min=2000, max=2100, message="Enter a year between 2000 and 2100")])
    amount = AmountField("Target outcome cost, in pounds", places=2,
                          validators=[InputRequired("Enter the target outcome cost")])
    rule = RadioField("How gain is tied to the key result areas", choices=[(r.value, r.label) for r in GainRule],
                      default=GainRule.GATE.value, validators=[InputRequired("Choose a rule")])


class ModellerForm(BaseForm):
    """The modeller's inputs (sent with GET: nothing is saved)."""

    class Meta:
        csrf = False

    actual = AmountField("Actual cost, in pounds", places=2, validators=[InputRequired("Enter the actual cost")])
    kras_total = IntegerField("Key result areas in the model", default=6,
                              validators=[InputRequired("Enter how many key result areas there are"),
                                          NumberRange(min=0, max=6, message="Enter a number from 0 to 6")])
    kras_met = IntegerField("How many met their target", default=6,
                            validators=[InputRequired("Enter how many met their target"),
                                        NumberRange(min=0, max=6, message="Enter a number from 0 to 6")])
    kras_below = IntegerField("How many are below the minimum acceptable standard", default=0,
                              validators=[InputRequired("Enter how many are below the minimum"),
                                          NumberRange(min=0, max=6, message="Enter a number from 0 to 6")])


SHARE_FIELDS = ("gain", "pain", "cap", "contract")


def parse_share_rows(formdata: Mapping[str, str], organisation_ids: Sequence[int]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The share table (one row per member organisation): its values and any error per input name."""
    rows: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    for org_id in organisation_ids:
        row: dict[str, Any] = {"organisation_id": org_id}
        for name in SHARE_FIELDS:
            key = f"{name}_{org_id}"
            raw = formdata.get(key, "")
            row[f"{name}_raw"] = raw
            places = 4 if name in ("gain", "pain") else 2
            try:
                row[name] = parse_amount(raw, places=places)
            except ValueError as error:
                row[name] = None
                errors[key] = str(error)
                continue
            if row[name] is not None and row[name] < 0:
                errors[key] = "Enter 0 or more"
            if name in ("gain", "pain") and row[name] is not None and row[name] > 100:
                errors[key] = "A share cannot be more than 100%"
        rows.append(row)
    return rows, errors


class KraForm(BaseForm):
    name = StringField("Name", description="Such as 'Quick help in a crisis'.",
                       validators=[DataRequired("Enter a name for the key result area"), Length(max=200)])
    measure = TextAreaField("How it is measured", description="Such as 'Share of people seen within 4 hours of asking for crisis help'.",
                            validators=[DataRequired("Say how it is measured"), Length(max=2000)])
    unit = StringField("Unit", description="Such as %, people or days.",
                       validators=[DataRequired("Enter the unit"), Length(max=40)])
    direction = RadioField("Which way is better?", choices=[(d.value, d.label) for d in Direction],
                           default=Direction.MORE.value, validators=[InputRequired("Choose which way is better")])
    baseline = AmountField("Baseline", description="Where we start from.", validators=[InputRequired("Enter the baseline")])
    target = AmountField("Target", validators=[InputRequired("Enter the target")])
    minimum = AmountField("Minimum acceptable standard", description="Below this, something must change.",
                          validators=[InputRequired("Enter the minimum acceptable standard")])


class KraResultForm(BaseForm):
    kra_id = SelectField("Key result area", coerce=int, validators=[InputRequired("Choose a key result area")])
    period_id = SelectField("Period", coerce=int, validators=[InputRequired("Choose a period")])
    value = AmountField("Result", validators=[InputRequired("Enter the result")])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)])


class ImportForm(BaseForm):
    file = FileField("CSV file", description="Save your spreadsheet as CSV (comma separated values), then choose it here.")


class ApplyImportForm(BaseForm):
    text = HiddenField()


class BookLineForm(BaseForm):
    period_id = SelectField("Period", coerce=int, validators=[InputRequired("Choose a period")])
    cost_line = StringField("Cost line", description="Such as Staff, Premises or Travel.",
                            validators=[DataRequired("Enter the cost line, such as Staff or Premises"), Length(max=100)])
    budget = AmountField("Budget, in pounds", validators=[InputRequired("Enter the budget")])
    actual = AmountField("Actual spend, in pounds", validators=[InputRequired("Enter the actual spend")])
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)])


class CriterionRow(WtfForm):
    """One row of the criteria table (not a form on its own: no CSRF of its own)."""

    group = SelectField("Group", choices=select_choices([("", "Choose")] + [(g.value, g.label) for g in CriterionGroup]),
                        validators=[Optional()])
    name = StringField("Criterion", validators=[Optional(), Length(max=300)])
    weight = AmountField("Weight (%)", places=4, validators=[Optional()])
    scale_max = IntegerField("Scored out of", default=5, validators=[Optional(), NumberRange(min=1, max=100)])


class EvaluationForm(BaseForm):
    name = StringField("Name", description="Such as 'Peer support: most suitable provider, 2027'.",
                       validators=[DataRequired("Enter a name for the model"), Length(max=200)])
    purpose = TextAreaField("What it is for", description="A new member, a 'most suitable provider' decision, a small grants round …",
                            validators=[Optional(), Length(max=2000)])
    criteria = FieldList(FormField(CriterionRow), min_entries=8, max_entries=8)
    floor_reason = TextAreaField(
        "If this model is below a floor: why it must be used",
        description="Only needed when the model is below one of the alliance's floors. It is recorded.",
        validators=[Optional(), Length(max=5000)],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """As usual, with each criterion row's errors as plain lines ("Criterion 2: …") in the summary."""
        valid = super().validate(extra_validators)
        messages: list[str] = []
        for number, entry in enumerate(self.criteria.entries, start=1):
            for field in entry.form:
                messages.extend(f"Criterion {number}, {field.label.text.lower()}: {m}" for m in field.errors)
        if messages:
            self.criteria.errors = []
            self.form_errors.extend(messages)
        return valid


class FloorsForm(BaseForm):
    quality_min = AmountField("Quality: at least (% of the weight)", validators=[InputRequired("Enter a percentage")])
    social_value_min = AmountField("Social value: at least (% of the weight)", validators=[InputRequired("Enter a percentage")])
    cost_max = AmountField("Cost: at most (% of the weight)", validators=[InputRequired("Enter a percentage")])


class BidForm(BaseForm):
    name = StringField("Who the bid is from", validators=[DataRequired("Enter who the bid is from"), Length(max=200)])
    price = AmountField("Price, in pounds", validators=[InputRequired("Enter the bid's price")])
    example_quality = IntegerField("Example quality score (0 to 100)", default=0,
                                   description="Used only to show the effect of the model before the panel scores.",
                                   validators=[InputRequired("Enter a score from 0 to 100"),
                                               NumberRange(min=0, max=100, message="Enter a score from 0 to 100")])
    example_social_value = IntegerField("Example social value score (0 to 100)", default=0,
                                        validators=[InputRequired("Enter a score from 0 to 100"),
                                                    NumberRange(min=0, max=100, message="Enter a score from 0 to 100")])


class PanelForm(BaseForm):
    panellists = SelectMultipleField("Who sits on the panel", coerce=int,
                                     description="Service users and carers can sit on panels too.")


class DecisionForm(BaseForm):
    bid_id = RadioField("The bid the alliance chooses", coerce=int, validators=[InputRequired("Choose a bid")])
    reason = TextAreaField("Reasons for the decision", validators=[DataRequired("Give the reasons for the decision"),
                                                                   Length(max=5000)])


def score_values(formdata: Mapping[str, str], criterion_ids: Sequence[int]) -> tuple[dict[int, int | None], dict[int, str]]:
    """Scores typed on a scoring page (score_<criterion id>), None where missing or not a whole number."""
    scores: dict[int, int | None] = {}
    for cid in criterion_ids:
        raw = (formdata.get(f"score_{cid}") or "").strip()
        scores[cid] = int(raw) if raw.isdigit() and len(raw) <= 3 else None
    return scores, {cid: (formdata.get(f"note_{cid}") or "")[:2000] for cid in criterion_ids}


class SaveScenarioForm(BaseForm):
    """The modeller's inputs again (hidden), with a name, to save the scenario (CSRF as every post)."""

    actual = ModellerForm.actual
    kras_total = ModellerForm.kras_total
    kras_met = ModellerForm.kras_met
    kras_below = ModellerForm.kras_below
    name = StringField("Name this scenario", description="Such as \u201cOver budget, one KRA below minimum\u201d.",
                       validators=[DataRequired("Give the scenario a name"),
                                   Length(max=200, message="The name must be 200 characters or fewer")])


class AttachScenarioForm(BaseForm):
    """Which proposal on the chosen clause gets the scenario ("new" for a new proposal)."""

    clause = HiddenField()
    proposal = RadioField("Which proposal?", validate_choice=False,
                          validators=[DataRequired("Choose a proposal, or a new proposal")])


class SpecKrasForm(BaseForm):
    """The key result areas a specification section speaks to (any number, none to unlink)."""

    kras = SelectMultipleField("Key result areas this section speaks to", coerce=int, validate_choice=False)
