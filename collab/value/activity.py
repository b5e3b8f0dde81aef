"""Sentences for social value activity, and the notification kinds this area sends."""

from __future__ import annotations

from collab.audit import AuditEntry, describes
from collab.notifications.kinds import register_kind

register_kind(
    "value_report_decided",
    "A commissioner confirmed or queried your social value report",
    "When a report you sent is confirmed, or a commissioner asks a question about it.",
)


def _org(e: AuditEntry) -> str:
    return str(e.detail.get("organisation") or "an organisation")


@describes("value.theme_added")
def _theme(e: AuditEntry) -> str:
    return f"{e.actor_name} added the social value theme \u201c{e.subject_label}\u201d"


@describes("value.outcome_added")
def _outcome(e: AuditEntry) -> str:
    return f"{e.actor_name} added the outcome \u201c{e.subject_label}\u201d to {e.detail.get('theme', 'a theme')}"


@describes("value.measure_added")
def _measure(e: AuditEntry) -> str:
    return f"{e.actor_name} added the measure \u201c{e.subject_label}\u201d"


@describes("value.measure_changed")
def _measure_changed(e: AuditEntry) -> str:
    return f"{e.actor_name} changed the measure \u201c{e.subject_label}\u201d (now version {e.detail.get('version')})"


@describes("value.period_added")
def _period(e: AuditEntry) -> str:
    return f"{e.actor_name} added the reporting period {e.subject_label}, reports due {e.detail.get('due', '')}"


@describes("value.commitment_added")
def _commitment(e: AuditEntry) -> str:
    return (f"{e.actor_name} committed {_org(e)} to {e.detail.get('target')} {e.detail.get('unit', '')} "
            f"on \u201c{e.subject_label}\u201d for {e.detail.get('period')}")


@describes("value.report_submitted", "value.report_corrected")
def _report(e: AuditEntry) -> str:
    verb = "corrected the report of" if e.action == "value.report_corrected" else "reported for"
    return (f"{e.actor_name} {verb} {_org(e)}: {e.detail.get('amount')} {e.detail.get('unit', '')} "
            f"on \u201c{e.subject_label}\u201d for {e.detail.get('period')}")


@describes("value.report_confirmed")
def _confirmed(e: AuditEntry) -> str:
    return f"{e.actor_name} confirmed the report of {_org(e)} on \u201c{e.subject_label}\u201d for {e.detail.get('period')}"


@describes("value.report_queried")
def _queried(e: AuditEntry) -> str:
    return f"{e.actor_name} asked a question about the report of {_org(e)} on \u201c{e.subject_label}\u201d"


@describes("value.target_cost_saved")
def _target(e: AuditEntry) -> str:
    return f"{e.actor_name} set the target outcome cost for {e.subject_label} and the members' shares of gain and pain"


@describes("value.kra_added", "value.kra_changed")
def _kra(e: AuditEntry) -> str:
    verb = "changed" if e.action == "value.kra_changed" else "added"
    return f"{e.actor_name} {verb} the key result area \u201c{e.subject_label}\u201d (target {e.detail.get('target')}, minimum {e.detail.get('minimum')})"


@describes("value.kra_result")
def _kra_result(e: AuditEntry) -> str:
    return f"{e.actor_name} entered {e.detail.get('value')} {e.detail.get('unit', '')} for \u201c{e.subject_label}\u201d in {e.detail.get('period')}"


@describes("value.book_line_saved")
def _book(e: AuditEntry) -> str:
    return f"{e.actor_name} entered {_org(e)}'s budget and spend on {e.subject_label} for {e.detail.get('period')}"


@describes("value.floors_set")
def _floors(e: AuditEntry) -> str:
    return (f"{e.actor_name} set the evaluation floors: quality at least {e.detail.get('quality')}%, social value at "
            f"least {e.detail.get('social_value')}%, cost at most {e.detail.get('cost')}%")


@describes("value.evaluation_created", "value.evaluation_changed")
def _evaluation(e: AuditEntry) -> str:
    verb = "changed" if e.action == "value.evaluation_changed" else "built"
    extra = f" (below a floor; reason: {e.detail['below_floor_reason']})" if e.detail.get("below_floor_reason") else ""
    return (f"{e.actor_name} {verb} the evaluation model \u201c{e.subject_label}\u201d: quality {e.detail.get('quality')}%, "
            f"social value {e.detail.get('social_value')}%, cost {e.detail.get('cost')}%{extra}")


@describes("value.bid_added")
def _bid(e: AuditEntry) -> str:
    return f"{e.actor_name} added the bid \u201c{e.subject_label}\u201d to {e.detail.get('evaluation')}"


@describes("value.evaluation_started")
def _started(e: AuditEntry) -> str:
    return f"{e.actor_name} started the panel for \u201c{e.subject_label}\u201d: {', '.join(e.detail.get('panel') or [])}"


@describes("value.bid_scored")
def _scored(e: AuditEntry) -> str:
    return f"{e.actor_name} scored \u201c{e.subject_label}\u201d for {e.detail.get('evaluation')}"


@describes("value.bid_moderated")
def _moderated(e: AuditEntry) -> str:
    return f"{e.actor_name} recorded the agreed scores for \u201c{e.subject_label}\u201d in {e.detail.get('evaluation')}"


@describes("value.evaluation_decided")
def _decided(e: AuditEntry) -> str:
    return f"{e.actor_name} recorded the decision on \u201c{e.subject_label}\u201d: {e.detail.get('chosen')}. Reasons: {e.detail.get('reason')}"


@describes("value.scenario_saved")
def _scenario(e: AuditEntry) -> str:
    return (f"{e.actor_name} saved the pain/gain scenario \u201c{e.subject_label}\u201d "
            f"(actual cost \u00a3{e.detail.get('actual')} against the {e.detail.get('year')} target)")


@describes("value.scenario_attached")
def _attached(e: AuditEntry) -> str:
    return (f"{e.actor_name} attached the pain/gain scenario \u201c{e.subject_label}\u201d to the proposal "
            f"\u201c{e.detail.get('proposal')}\u201d")


@describes("value.spec_kras_linked")
def _spec_kras(e: AuditEntry) -> str:
    names = ", ".join(e.detail.get("kras") or []) or "no key result areas"
    return f"{e.actor_name} linked \u201c{e.detail.get('section')}\u201d of \u201c{e.subject_label}\u201d to {names}"


@describes("value.downloaded")
def _downloaded(e: AuditEntry) -> str:
    return f"{e.actor_name} downloaded {e.detail.get('what')} as {e.detail.get('format')}"
