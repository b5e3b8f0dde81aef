"""The rules of value, not price: one module per sub-domain.

- ``framework``: themes, outcomes, versioned measures, reporting periods, the starter set;
- ``commitments``: commitments, reported actuals, confirming and querying them, what is due;
- ``totals``: the value page (money proxies and counts, kept apart);
- ``paingain``: the target outcome cost and members' shares (the arithmetic is ``collab.value.money``);
- ``kras``: key result areas, results per period, the scorecard; ``openbook``: budgets and spend;
- ``imports``: CSV imports with a preview of every row they change and every row they refuse.
"""

from collab.value.services import evaluation, kras, openbook
from collab.value.services.commitments import (
    SUBJECT,
    add_commitment,
    can_report_for,
    commitments_of,
    confirm,
    due_for,
    is_late,
    member_organisations,
    query,
    report_actual,
    waiting_reports,
)
from collab.value.services.framework import (
    STARTER_SET,
    add_measure,
    add_outcome,
    add_period,
    add_starter_set,
    add_theme,
    change_measure,
    load_framework,
    measures_of,
    periods_of,
)
from collab.value.services.imports import Preview
from collab.value.services.kras import (
    add_kra,
    change_kra,
    import_results,
    kras_of,
    preview_results,
    record_result,
    scorecard,
    standing,
)
from collab.value.services.openbook import (
    actual_cost_for_year,
    import_lines,
    lines_of,
    preview_lines,
    save_line,
    totals_by_organisation,
)
from collab.value.services.paingain import ShareInput, members_of, save_target_cost, target_costs
from collab.value.services.totals import ValueTotals, record_download, value_totals

__all__ = [
    "evaluation", "kras", "openbook",
    "Preview", "actual_cost_for_year", "add_kra", "change_kra", "import_lines", "import_results", "kras_of",
    "lines_of", "preview_lines", "preview_results", "record_result", "save_line", "scorecard", "standing",
    "totals_by_organisation",
    "STARTER_SET", "SUBJECT", "ShareInput", "ValueTotals", "add_commitment", "add_measure", "add_outcome",
    "add_period", "add_starter_set", "add_theme", "can_report_for", "change_measure", "commitments_of",
    "confirm", "due_for", "is_late", "load_framework", "measures_of", "member_organisations", "members_of",
    "periods_of", "query", "record_download", "report_actual", "save_target_cost", "target_costs", "value_totals",
    "waiting_reports",
]
