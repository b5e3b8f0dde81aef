"""Workshop pages: planning, invitations and replies, calendars, the live board, outcomes, the report.

One module per sub-domain; importing this package registers all of their routes on ``bp``.
"""

from collab.workshops.routes import board, calendar, invitations, outcomes, planning, report

__all__ = ["board", "calendar", "invitations", "outcomes", "planning", "report"]
