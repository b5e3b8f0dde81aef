"""Page assembly for value pages: the context each template needs, built from services."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from flask import url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from collab.agreements.services import get_agreement
from collab.alliances.models import Alliance, Membership, Organisation
from collab.attention import Item
from collab.db import db
from collab.documents.subjects import Subject
from collab.errors import DomainError
from collab.permissions import permissions_for_role
from collab.security import Permission, can, membership_for
from collab.value import charts, money, services
from collab.value.forms import ConfirmForm, ModellerForm, TargetCostForm
from collab.value.models import EvaluationModel, EvaluationStage, Panellist, PanelScore, ValueReport
from collab.value.services import evaluation, scenarios
from collab.value.services.imports import MAX_BYTES
from collab.value.services.totals import ValueTotals
from collab.web import Caught


def own_organisation(alliance: Alliance) -> Organisation | None:
    membership = membership_for(current_user, alliance)
    return membership.organisation if membership is not None else None


def load_report_subject(session: Session, report_id: int) -> Subject | None:
    """A report as the shared comment routes see it (its query thread)."""
    report = session.get(ValueReport, report_id)
    if report is None:
        return None
    c = report.commitment
    return Subject(
        alliance=c.alliance,
        label=f"the social value report of {c.organisation.name} on {report.measure_version.name}",
        url=url_for("value.show_report", slug=c.alliance.slug, report_id=report.id),
    )


def commitments_context(alliance: Alliance) -> dict[str, Any]:
    today = date.today()
    found = services.commitments_of(db.session, alliance)
    own = own_organisation(alliance)
    return {
        "alliance": alliance, "commitments": found, "today": today,
        "late": {c.id for c in found if services.is_late(c, today)},
        "own_id": own.id if own is not None else None, "own": own,
        "may_commit": own is not None and can(Permission.VALUE_REPORT, alliance),
    }


CHARTS = (
    ("theme", "by_theme", "By theme", "Theme"),
    ("organisation", "by_organisation", "By organisation", "Organisation"),
    ("size", "by_size", "By organisation size", "Size"),
    ("period", "by_period", "Over time", "Period"),
)


def value_page_context(alliance: Alliance) -> dict[str, Any]:
    totals = services.value_totals(db.session, alliance)
    charts_shown = [
        {"key": key, "title": title, "column": column, "rows": getattr(totals, attr),
         "svg": charts.paired_bars(f"chart-{key}", f"Money value committed and delivered: {title.lower()}",
                                   getattr(totals, attr), f"table-{key}")}
        for key, attr, title, column in CHARTS
    ]
    return {"alliance": alliance, "totals": totals, "charts": charts_shown, "pounds": charts.pounds_text}


def _plain(value: Decimal) -> str:
    return f"{value:f}"


def csv_table(alliance: Alliance, totals: ValueTotals, table: str) -> tuple[list[str], list[list[Any]]] | None:
    """The header and rows of one value-page table, or None if there is no such table."""
    for key, attr, _title, column in CHARTS:
        if table == key:
            return ([column, "Committed (£, money value)", "Delivered and confirmed (£, money value)",
                     "Waiting to be confirmed (£, money value)"],
                    [[r.label, _plain(r.committed), _plain(r.delivered), _plain(r.waiting)] for r in getattr(totals, attr)])
    if table == "counts":
        return (["Theme", "Measure", "Unit", "Which way is better", "Committed", "Delivered and confirmed",
                 "Confirmed reports"],
                [[r.theme, r.measure, r.unit, r.direction, _plain(r.committed), _plain(r.delivered), r.reports]
                 for r in totals.counts])
    if table == "in-kind":
        return (["Organisation", "What", "Date", "In-kind value (£)"],
                [[line.organisation_name, line.description, line.on.isoformat() if line.on else "", _plain(line.value)]
                 for line in totals.in_kind])
    if table == "scorecard":
        rows = []
        for line in services.scorecard(db.session, alliance):
            k = line.kra
            history: list[tuple[Any, Decimal | None]] = [*line.history] or [(None, None)]
            for period, value in history:
                rows.append([k.name, k.measure, k.unit, k.direction.label, _plain(k.baseline), _plain(k.target),
                             _plain(k.minimum), period.label if period else "", _plain(value) if value is not None else "",
                             k.status_of(value).label if value is not None else "No result yet"])
        return (["Key result area", "Measure", "Unit", "Which way is better", "Baseline", "Target",
                 "Minimum acceptable standard", "Period", "Result", "Status"], rows)
    if table == "open-book":
        return (["Organisation", "Period", "Cost line", "Budget (£)", "Actual (£)", "Note"],
                [[line.organisation.name, line.period.label, line.cost_line, _plain(line.budget), _plain(line.actual),
                  line.note] for line in services.lines_of(db.session, alliance)])
    if table == "commitments":
        rows = []
        for c in services.commitments_of(db.session, alliance):
            r = c.report
            version = r.measure_version if r else c.measure.current
            rows.append([c.period.label, c.organisation.name, c.organisation.size_band.short_label,
                         c.measure.outcome.theme.name, version.name, f"version {version.number}", version.unit,
                         _plain(c.target), _plain(r.amount) if r else "", r.status.label if r else "Not reported",
                         r.note if r else "", r.evidence_url if r else ""])
        return (["Period", "Organisation", "Size", "Theme", "Measure", "Measure version", "Unit", "Target",
                 "Delivered", "Status", "Note", "Evidence"], rows)
    return None


def uploaded_text(file: Any, caught: Caught) -> str:
    """The text of an uploaded CSV file, or "" with the reason on ``caught``."""
    if file is None or not getattr(file, "filename", ""):
        caught.add_domain_error(DomainError("Choose a CSV file", field="file"))
        return ""
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        caught.add_domain_error(DomainError("The file is too big: it must be 1 MB or smaller", field="file"))
        return ""
    try:
        return str(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        caught.add_domain_error(DomainError("The file must be saved as CSV UTF-8", field="file"))
        return ""


def open_book_context(alliance: Alliance) -> dict[str, Any]:
    lines = services.lines_of(db.session, alliance)
    own = own_organisation(alliance)
    return {"alliance": alliance, "lines": lines, "totals": services.totals_by_organisation(lines),
            "own": own, "may_enter": own is not None and can(Permission.VALUE_REPORT, alliance),
            "pounds": charts.pounds_text}


# Risk and reward -----------------------------------------------------------------------


def share_rows_for(alliance: Alliance, organisations: Sequence[Organisation], form: TargetCostForm) -> list[dict[str, Any]]:
    """The share table filled from the newest saved model (a GET of the edit page)."""
    saved = services.target_costs(db.session, alliance)
    lines = {line.organisation_id: line for line in saved[0].shares} if saved else {}
    if saved:
        form.year.data, form.amount.data, form.rule.data = saved[0].year, saved[0].amount, saved[0].rule.value
    rows = []
    for o in organisations:
        line = lines.get(o.id)
        rows.append({
            "organisation_id": o.id,
            "gain_raw": f"{line.gain_share.normalize():f}" if line else "",
            "pain_raw": f"{line.pain_share.normalize():f}" if line else "",
            "cap_raw": f"{line.pain_cap:f}" if line and line.pain_cap is not None else "",
            "contract_raw": f"{line.contract_value:f}" if line else "",
        })
    return rows


def risk_reward_context(alliance: Alliance, form: ModellerForm, modelled: bool) -> dict[str, Any]:
    targets = services.target_costs(db.session, alliance)
    target = targets[0] if targets else None
    context: dict[str, Any] = {"alliance": alliance, "target": target, "targets": targets, "form": form,
                               "examples": [], "result": None, "error": "", "status": 200, "standing": None, "book_actual": None,
                               "pounds": charts.pounds_text,
                               "scenarios": scenarios.scenarios_of(db.session, alliance)}
    if target is None or not target.shares:
        return context
    members = services.members_of(target)
    lines = services.scorecard(db.session, alliance)
    context["standing"] = services.standing(lines) if lines else None
    context["book_actual"] = services.actual_cost_for_year(db.session, alliance, target.year)
    if not modelled:
        if context["standing"] is not None:
            s = context["standing"]
            form.kras_total.data, form.kras_met.data, form.kras_below.data = s.total, s.met, s.below_minimum
        if context["book_actual"] is not None:
            form.actual.data = context["book_actual"]
    context["examples"] = money.worked_examples(target.amount, members, target.rule,
                                                kra_total=len(lines) if lines else 6)
    if modelled:
        if not form.validate():
            context["status"] = 422
            return context
        try:
            kras = money.KraStanding(total=form.kras_total.data, met=form.kras_met.data,
                                     below_minimum=form.kras_below.data)
            actual = form.actual.data
            assert actual is not None  # InputRequired
            context["result"] = money.share_out(target.amount, actual, members, target.rule, kras)
        except DomainError as error:
            context["error"], context["status"] = error.message, 422
    return context


# "For you" -------------------------------------------------------------------------------


def attention_items(session: Session, person: Any, memberships: Sequence[Any], since: datetime | None) -> list[Item]:
    """Reports due or late for your organisation; reports waiting for you to confirm (two queries)."""
    today = date.today()
    items: list[Item] = []
    reporters = [m for m in memberships if m.organisation_id is not None
                 and Permission.VALUE_REPORT in _granted(m.role)]
    by_alliance = {m.alliance_id: m for m in memberships}
    due = services.due_for(session, {m.organisation_id for m in reporters}, {m.alliance_id for m in reporters}, today)
    for c in due:
        m = by_alliance[c.alliance_id]
        if m.organisation_id != c.organisation_id:
            continue
        late = services.is_late(c, today)
        queried = c.report is not None
        items.append(Item(
            alliance_id=c.alliance_id, alliance_name=c.alliance.name, alliance_slug=c.alliance.slug,
            title=(f"Answer the question on your social value report: {c.measure.current.name}" if queried
                   else f"Report your social value for {c.period.label}: {c.measure.current.name}"),
            url=url_for("value.report", slug=c.alliance.slug, commitment_id=c.id), area="value",
            due=datetime.combine(c.period.reports_due_on, time(17), tzinfo=UTC),
            detail=("Late: this was due on " if late else "Due on ") + c.period.reports_due_on.strftime("%-d %B %Y"),
        ))
    confirmers = [m.alliance_id for m in memberships if Permission.VALUE_CONFIRM in _granted(m.role)]
    waiting: dict[int, list[ValueReport]] = {}
    for r in services.waiting_reports(session, confirmers):
        waiting.setdefault(r.commitment.alliance_id, []).append(r)
    for alliance_id, reports in waiting.items():
        alliance = reports[0].commitment.alliance
        n = len(reports)
        items.append(Item(
            alliance_id=alliance_id, alliance_name=alliance.name, alliance_slug=alliance.slug,
            title=f"Confirm or query {n} social value report{'s' if n != 1 else ''}",
            url=url_for("value.commitments", slug=alliance.slug) + "#waiting", area="value",
            detail=f"The oldest was sent by {reports[0].commitment.organisation.name}.",
        ))
    items.extend(_panel_items(session, person, memberships))
    return items


def _panel_items(session: Session, person: Any, memberships: Sequence[Any]) -> list[Item]:
    """Evaluation panels waiting for this person's scores (two queries)."""
    models = session.scalars(
        select(EvaluationModel).join(Panellist, Panellist.model_id == EvaluationModel.id)
        .where(Panellist.user_id == person.id, EvaluationModel.stage == EvaluationStage.SCORING,
               EvaluationModel.alliance_id.in_([m.alliance_id for m in memberships]))
        .options(selectinload(EvaluationModel.bids), selectinload(EvaluationModel.criteria),
                 joinedload(EvaluationModel.alliance))
    ).unique().all()
    if not models:
        return []
    bid_ids = [b.id for m in models for b in m.bids]
    mine = {(s.bid_id, s.criterion_id) for s in session.scalars(
        select(PanelScore).where(PanelScore.user_id == person.id, PanelScore.moderated.is_(False),
                                 PanelScore.bid_id.in_(bid_ids)))}
    items = []
    for model in models:
        scored = evaluation.scored_criteria(model)
        left = [b for b in model.bids if not all((b.id, c.id) in mine for c in scored)]
        if left:
            items.append(Item(
                alliance_id=model.alliance_id, alliance_name=model.alliance.name, alliance_slug=model.alliance.slug,
                title=f"Score {len(left)} bid{'s' if len(left) != 1 else ''} for “{model.name}”",
                url=url_for("value.evaluation", slug=model.alliance.slug, model_id=model.id) + "#panel", area="value",
                detail="You are on the panel. Your scores stay hidden from the others until everyone has scored.",
            ))
    return items


def _granted(role: str) -> frozenset[Permission]:
    return permissions_for_role(role)


# Evaluation models ---------------------------------------------------------------------


def panel_candidates(alliance: Alliance) -> list[Any]:
    """Members who may sit on a panel (service users and carers included), by name."""
    found = db.session.scalars(select(Membership).where(Membership.alliance_id == alliance.id)
                               .options(joinedload(Membership.user))).all()
    return sorted((m for m in found if evaluation.may_sit_on_panel(m)), key=lambda m: m.user.display_name)


def evaluation_context(alliance: Alliance, model: Any) -> dict[str, Any]:
    floors = evaluation.floors_of(db.session, alliance)
    done, needed = evaluation.progress(db.session, model)
    complete = evaluation.all_in(db.session, model)
    mine = {(s.bid_id, s.criterion_id) for s in evaluation.panel_scores(db.session, model) if s.user_id == current_user.id}
    scored = evaluation.scored_criteria(model)
    effect, from_panel = evaluation.effect_now(db.session, model)
    return {
        "alliance": alliance, "model": model, "floors": floors, "protects": evaluation.PROTECTS,
        "weights": evaluation.group_weights(model.criteria), "breaches": evaluation.breaches(model.criteria, floors),
        "effect": effect, "from_panel": from_panel, "progress": (done, needed), "complete": complete,
        "visible": evaluation.visible_scores(db.session, model, current_user),
        "is_panellist": evaluation.is_panellist(model, current_user),
        "my_done": {b.id for b in model.bids if all((b.id, c.id) in mine for c in scored)},
        "scored": scored, "ranking": evaluation.final_ranking(db.session, model) if complete else [],
        "form": ConfirmForm(), "pounds": charts.pounds_text,
        "names": {p.user_id: p.user.display_name for p in model.panellists},
        "has_register": model.stage == EvaluationStage.DECIDED and get_agreement(db.session, alliance) is not None,
    }


def score_context(alliance: Alliance, model: Any, bid: Any, form: Any, sent: Any, *, moderating: bool) -> dict[str, Any]:
    scored = evaluation.scored_criteria(model)
    if moderating:
        own = {s.criterion_id: s for s in evaluation.panel_scores(db.session, model, moderated=True)
               if s.bid_id == bid.id}
    else:
        own = {s.criterion_id: s for s in evaluation.panel_scores(db.session, model)
               if s.bid_id == bid.id and s.user_id == current_user.id}
    values = {c.id: (sent.get(f"score_{c.id}", "") if sent is not None else
                     (str(own[c.id].score) if c.id in own else "")) for c in scored}
    notes = {c.id: (sent.get(f"note_{c.id}", "") if sent is not None else (own[c.id].note if c.id in own else ""))
             for c in scored}
    panel = []
    if moderating and evaluation.all_in(db.session, model):
        panel = [s for s in evaluation.panel_scores(db.session, model) if s.bid_id == bid.id]
    return {"alliance": alliance, "model": model, "bid": bid, "form": form, "criteria": scored, "values": values,
            "notes": notes, "moderating": moderating, "panel": panel, "pounds": charts.pounds_text,
            "names": {p.user_id: p.user.display_name for p in model.panellists},
            "reason": sent.get("reason", "") if sent is not None else ""}


def report_pdf_context(alliance: Alliance, base_url: str) -> dict[str, Any]:
    """Everything the printable value report shows (the same figures as the pages)."""
    context = value_page_context(alliance)
    lines = services.lines_of(db.session, alliance)
    targets = services.target_costs(db.session, alliance)
    target = targets[0] if targets else None
    actual = services.actual_cost_for_year(db.session, alliance, target.year) if target else None
    scores = services.scorecard(db.session, alliance)
    result = None
    if target is not None and target.shares and actual is not None:
        result = money.share_out(target.amount, actual, services.members_of(target), target.rule,
                                 services.standing(scores) if scores else money.KraStanding())
    context.update({
        "base_url": base_url, "made_on": date.today(), "scorecard": scores,
        "book": services.totals_by_organisation(lines), "target": target, "book_actual": actual, "result": result,
        "decisions": [m for m in evaluation.models_of(db.session, alliance) if m.decided_at is not None],
    })
    return context
