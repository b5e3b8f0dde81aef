"""A comment that speaks for a group, from a named source, in the specs area itself (no workshop needed)."""

from __future__ import annotations

import pytest

from collab.alliances.models import Role
from collab.errors import DomainError
from collab.specs import services
from tests.factories import commissioner_of, make_alliance
from tests.specs.helpers import comment_on, make_spec, paragraph_with


def test_a_group_comment_needs_a_name_and_a_size_and_is_counted_apart(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    paragraph = paragraph_with(spec, "listened")
    for name, size in (("", 3), ("Table 1", 0)):
        with pytest.raises(DomainError):
            services.add_comment(session, boss, paragraph, body="Say more.", on_behalf_of_name=name, group_size=size)
    group = services.add_comment(session, boss, paragraph, body="Say more.", on_behalf_of_name="Table 1 (3 people)",
                                 group_size=3, source_key="event:7", source_label="Summer fair")
    comment_on(spec, "listened")
    counts = services.report_counts(session, spec, boss, True)
    assert counts.total == 2 and counts.groups == {**counts.groups, "comments": 1, "people": 3}
    assert set(counts.by_role) == {Role.SERVICE_USER} and not group.from_service_user and group.from_group
    assert [(s.key, s.label, s.comments) for s in services.report_sources(session, spec, boss, True)] == [
        ("event:7", "Summer fair", 1)]
    only = services.report_counts(session, spec, boss, True, "event:7")
    assert only.total == 1 and not only.by_role
    assert [sc.id for sc in services.report_items(session, spec, boss, True, 1, 50, "event:7")] == [group.id]
