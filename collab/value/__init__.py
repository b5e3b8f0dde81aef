"""Value, not price: social value commitments and reports, the value page, and risk and reward."""

from flask import Blueprint, Flask

from collab.permissions import Permission, grant_roles

bp = Blueprint("value", __name__)


def init_app(app: Flask) -> None:
    """Hook this area into the app: blueprint, permissions, navigation, comment subject, "For you", activity."""
    from collab.attention import register_items
    from collab.documents.subjects import register_subject
    from collab.value import services, views
    from collab.value.permissions import ROLE_PERMISSIONS
    from collab.web import add_alliance_section

    grant_roles(ROLE_PERMISSIONS)
    add_alliance_section("Value", "value.value_page", Permission.VALUE_VIEW, order=50)
    # A commissioner's query on a report is a shared comment thread on the report.
    register_subject(services.SUBJECT, views.load_report_subject)
    register_items("value", views.attention_items)
    from collab.value.charts import plain_number

    app.jinja_env.filters["value_number"] = plain_number
    # Fragments on other areas' pages: scenarios on a proposal, evaluation decisions in the
    # decision register, linked key result areas beside a specification.
    from collab.panels import register_panel
    from collab.value import panels

    register_panel("agreements.proposal", panels.proposal_scenarios)
    register_panel("agreements.decisions", panels.evaluation_decisions)
    register_panel("specs.sidebar", panels.spec_kras)
    # Page cache (issue 10): child rows belong to their parent's alliance.
    from collab import revisions
    from collab.value import activity, routes  # noqa: F401  (their routes and hook-ups register on import)
    from collab.value import models as m

    revisions.through(m.ValueMeasureVersion, m.ValueMeasure, "measure_id")
    revisions.through(m.KraResult, m.KeyResultArea, "kra_id")
    revisions.through(m.ShareLine, m.TargetCost, "target_cost_id")
    for child in (m.Panellist, m.EvaluationCriterion, m.EvaluationBid):
        revisions.through(child, m.EvaluationModel, "model_id")
    revisions.through(m.PanelScore, m.EvaluationBid, "bid_id")

    app.register_blueprint(bp)
