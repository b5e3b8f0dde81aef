"""Value pages: the framework, commitments and reports, the value page, risk and reward.

One module per sub-domain; importing this package registers all of their routes on ``bp``.
"""

from collab.value.routes import commitments, evaluation, framework, kras, openbook, paingain, scenarios, specs, totals

__all__ = ["commitments", "evaluation", "framework", "kras", "openbook", "paingain", "scenarios", "specs", "totals"]
