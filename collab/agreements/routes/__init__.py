"""Agreement pages, one module per sub-domain; importing this package registers them on ``bp``.

- ``drafting``: the agreement page, starting it, clauses and their history, opening drafting
- ``proposals``: proposals, responses, reserved-power decisions and the decision register
- ``versions``: publishing, the list of versions, one version, comparing two
- ``signing``: signing a version for an organisation
- ``verification``: exports (Markdown, PDF) and the public verification pages
"""

from __future__ import annotations

from collab.agreements import subjects  # noqa: F401  (discussion subjects are registered on import)
from collab.agreements.routes import drafting, proposals, signing, verification, versions  # noqa: F401
