"""Alliance pages, one module per sub-domain; importing this package registers every route on ``bp``."""

from collab.alliances.routes import (  # noqa: F401
    activity,
    alliances,
    corrections,
    invitations,
    memberships,
    organisations,
)
