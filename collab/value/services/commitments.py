"""Commitments members make on the framework's measures, the actuals they report, and confirming them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Organisation
from collab.db import utcnow
from collab.documents import services as documents
from collab.errors import DomainError
from collab.notifications.services import notify
from collab.value.models import (
    ReportStatus,
    ValueCommitment,
    ValueMeasure,
    ValuePeriod,
    ValueReport,
)

#: Subject type of a report's query thread (shared comments, collab/documents).
SUBJECT = "value_report"
MAX_AMOUNT = Decimal("999999999999.99")


def _amount(value: Decimal | None, label: str, field: str) -> Decimal:
    if value is None:
        raise DomainError(f"Enter {label}", field=field)
    if isinstance(value, float):
        raise TypeError("amounts must be Decimal")
    if value < 0:
        raise DomainError(f"{label.capitalize()} cannot be negative", field=field)
    if value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise DomainError(f"{label.capitalize()} must be a number with at most two decimal places", field=field)
    return value


def member_organisations(session: Session, alliance: Alliance) -> list[Organisation]:
    """Organisations represented in the alliance, by name."""
    return list(session.scalars(
        select(Organisation).join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.alliance_id == alliance.id).distinct().order_by(Organisation.name)
    ))


def commitments_of(session: Session, alliance: Alliance, organisation_id: int | None = None) -> list[ValueCommitment]:
    """Every commitment (or one organisation's), with its report, measure and period loaded."""
    stmt = (
        select(ValueCommitment).where(ValueCommitment.alliance_id == alliance.id)
        .join(ValuePeriod, ValuePeriod.id == ValueCommitment.period_id)
        .join(Organisation, Organisation.id == ValueCommitment.organisation_id)
        .order_by(ValuePeriod.starts_on, Organisation.name, ValueCommitment.id)
        .options(joinedload(ValueCommitment.period), joinedload(ValueCommitment.organisation),
                 joinedload(ValueCommitment.report).joinedload(ValueReport.measure_version),
                 joinedload(ValueCommitment.measure).selectinload(ValueMeasure.versions))
    )
    if organisation_id is not None:
        stmt = stmt.where(ValueCommitment.organisation_id == organisation_id)
    return list(session.scalars(stmt).unique())


def add_commitment(session: Session, actor: User, alliance: Alliance, organisation: Organisation,
                   measure: ValueMeasure, period: ValuePeriod, *, target: Decimal | None) -> ValueCommitment:
    """An organisation commits to a target on a measure for a period."""
    if measure.alliance_id != alliance.id or period.alliance_id != alliance.id:
        raise DomainError("Choose a measure and a period of this alliance")
    if organisation.id not in {o.id for o in member_organisations(session, alliance)}:
        raise DomainError("Only member organisations can make commitments")
    target = _amount(target, "the target", "target")
    exists = session.scalar(select(ValueCommitment.id).where(
        ValueCommitment.organisation_id == organisation.id, ValueCommitment.measure_id == measure.id,
        ValueCommitment.period_id == period.id,
    ))
    if exists:
        raise DomainError(f"{organisation.name} already has a commitment on this measure for {period.label}",
                          field="measure_id")
    commitment = ValueCommitment(alliance=alliance, organisation=organisation, measure=measure, period=period,
                                 target=target, created_by_id=actor.id)
    session.add(commitment)
    session.flush()
    audit.record(session, actor, "value.commitment_added", commitment, alliance=alliance,
                 label=measure.current.name,
                 detail={"organisation": organisation.name, "period": period.label, "target": str(target),
                         "unit": measure.current.unit})
    return commitment


def report_actual(session: Session, actor: User, commitment: ValueCommitment, *, amount: Decimal | None,
                  note: str = "", evidence_url: str = "") -> ValueReport:
    """Report what was delivered (or correct a report that was queried or not yet confirmed)."""
    amount = _amount(amount, "the amount delivered", "amount")
    note = (note or "").strip()
    if len(note) > 5000:
        raise DomainError("The note must be 5,000 characters or fewer", field="note")
    evidence_url = (evidence_url or "").strip()
    if evidence_url and not evidence_url.lower().startswith(("https://", "http://")):
        raise DomainError("The evidence link must start with https:// or http://", field="evidence_url")
    if len(evidence_url) > 500:
        raise DomainError("The evidence link must be 500 characters or fewer", field="evidence_url")
    report = commitment.report
    if report is not None and report.status == ReportStatus.CONFIRMED:
        raise DomainError("This report has been confirmed, so it can no longer be changed")
    version = commitment.measure.current
    if report is None:
        report = ValueReport(commitment=commitment, measure_version=version, amount=amount)
        session.add(report)
        action = "value.report_submitted"
    else:
        action = "value.report_corrected"
    report.measure_version = version
    report.amount, report.note, report.evidence_url = amount, note, evidence_url
    report.status = ReportStatus.SUBMITTED
    report.submitted_by_id = actor.id
    report.submitted_at = utcnow()
    report.decided_by_id, report.decided_at = None, None
    session.flush()
    audit.record(session, actor, action, report, alliance=commitment.alliance, label=version.name,
                 detail={"organisation": commitment.organisation.name, "period": commitment.period.label,
                         "amount": str(amount), "unit": version.unit})
    return report


def confirm(session: Session, actor: User, report: ValueReport, *, url: str = "") -> ValueReport:
    """A commissioner confirms a report: it now counts on the value page."""
    if report.status == ReportStatus.CONFIRMED:
        raise DomainError("This report is already confirmed")
    report.status = ReportStatus.CONFIRMED
    report.decided_by_id, report.decided_at = actor.id, utcnow()
    session.flush()
    c = report.commitment
    audit.record(session, actor, "value.report_confirmed", report, alliance=c.alliance,
                 label=report.measure_version.name,
                 detail={"organisation": c.organisation.name, "period": c.period.label})
    notify(session, [report.submitted_by] if report.submitted_by else [], "value_report_decided",
           f"Your social value report was confirmed: {report.measure_version.name}",
           body=f"For {c.period.label}.", url=url, alliance=c.alliance, exclude=actor)
    return report


def query(session: Session, actor: User, report: ValueReport, *, reason: str, url: str = "") -> ValueReport:
    """A commissioner queries a report: the question starts (or joins) the report's comment thread."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say what you want to know about this report", field="reason")
    if report.status == ReportStatus.CONFIRMED:
        raise DomainError("This report is already confirmed")
    c = report.commitment
    documents.add_comment(session, actor, c.alliance, SUBJECT, report.id, body=reason,
                          subject_label=f"social value report: {report.measure_version.name}", url=url)
    report.status = ReportStatus.QUERIED
    report.decided_by_id, report.decided_at = actor.id, utcnow()
    session.flush()
    audit.record(session, actor, "value.report_queried", report, alliance=c.alliance,
                 label=report.measure_version.name,
                 detail={"organisation": c.organisation.name, "period": c.period.label})
    notify(session, [report.submitted_by] if report.submitted_by else [], "value_report_decided",
           f"A commissioner has a question about your social value report: {report.measure_version.name}",
           body=reason, url=url, alliance=c.alliance, exclude=actor)
    return report


def is_late(commitment: ValueCommitment, today: date) -> bool:
    """Due and not in (or queried and not corrected) after the due date."""
    report = commitment.report
    waiting = report is None or report.status == ReportStatus.QUERIED
    return waiting and today > commitment.period.reports_due_on


def due_for(session: Session, organisation_ids: Iterable[int], alliance_ids: Iterable[int], today: date,
            within_days: int = 30) -> list[ValueCommitment]:
    """Commitments whose report is due within ``within_days`` or late, not yet in (or queried)."""
    org_ids, a_ids = list(organisation_ids), list(alliance_ids)
    if not org_ids or not a_ids:
        return []
    rows = session.scalars(
        select(ValueCommitment)
        .join(ValuePeriod, ValuePeriod.id == ValueCommitment.period_id)
        .outerjoin(ValueReport, ValueReport.commitment_id == ValueCommitment.id)
        .where(ValueCommitment.organisation_id.in_(org_ids), ValueCommitment.alliance_id.in_(a_ids),
               (ValueReport.id.is_(None)) | (ValueReport.status == ReportStatus.QUERIED),
               ValuePeriod.ends_on <= today.fromordinal(today.toordinal() + within_days))
        .options(joinedload(ValueCommitment.period), joinedload(ValueCommitment.alliance),
                 joinedload(ValueCommitment.report),
                 joinedload(ValueCommitment.measure).selectinload(ValueMeasure.versions))
    ).unique()
    return list(rows)


def waiting_reports(session: Session, alliance_ids: Sequence[int]) -> list[ValueReport]:
    """Reports waiting for a commissioner, oldest first."""
    if not alliance_ids:
        return []
    return list(session.scalars(
        select(ValueReport).join(ValueCommitment, ValueCommitment.id == ValueReport.commitment_id)
        .where(ValueCommitment.alliance_id.in_(alliance_ids), ValueReport.status == ReportStatus.SUBMITTED)
        .order_by(ValueReport.submitted_at)
        .options(joinedload(ValueReport.commitment).joinedload(ValueCommitment.alliance),
                 joinedload(ValueReport.commitment).joinedload(ValueCommitment.organisation),
                 joinedload(ValueReport.measure_version))
    ).unique())


def can_report_for(membership: Membership | None, commitment: ValueCommitment) -> bool:
    """Reports are made by someone who represents the committed organisation."""
    return bool(membership and membership.organisation_id == commitment.organisation_id)
