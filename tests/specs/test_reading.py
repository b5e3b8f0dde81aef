"""Reading rules: comparing two versions section by section."""

from __future__ import annotations

from collab.specs import services
from tests.factories import commissioner_of, make_alliance
from tests.specs.helpers import make_spec


def test_compare_versions(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    section = spec.sections[1]
    services.save_section(session, boss, section, section.lock_version, heading=section.heading, body="Only adults in Riverside.")
    services.share_redraft(session, boss, spec, note="Shorter")
    changes = services.compare(session, services.get_version(session, spec, 1), services.get_version(session, spec, 2))
    assert [c.changed for c in changes][:2] == [False, True]
