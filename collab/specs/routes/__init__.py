"""Specification pages: list, drafting, consultation, comments, responses, report, versions.

One module per sub-domain; importing this package registers all of their routes on ``bp``.
"""

from collab.specs.routes import comments, drafting, mine, reading, report, stages

__all__ = ["comments", "drafting", "mine", "reading", "report", "stages"]
