""""You said, we did" rules: every comment once, with its outcome."""

from __future__ import annotations

from collab.alliances.models import Role
from collab.specs import services
from collab.specs.models import Outcome
from tests.factories import commissioner_of, make_alliance
from tests.specs.helpers import comment_on, make_spec


def test_report_has_every_comment_once_with_its_outcome(session) -> None:
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    made = {}
    first = spec.sections[0]
    services.save_section(session, boss, first, first.lock_version, heading=first.heading, body=first.body + "\n\nMore.")
    for text, outcome in [("listened", Outcome.CHANGED), ("four hours", Outcome.PARTLY_CHANGED),
                          ("A&E", Outcome.NOT_CHANGED), ("Carers", Outcome.ANSWERED), ("adults aged", None)]:
        sc = comment_on(spec, text, body=f"About {text}")
        if outcome:
            services.respond(session, boss, sc, outcome=outcome, text=f"Reply {text}", change_section=spec.sections[0])
        made[sc.id] = outcome
        services.reply(session, boss, sc, body="Thanks for this")
    rows = list(services.report_rows(session, spec, boss, True))
    assert sorted(r.id for r in rows) == sorted(made)
    assert {r.id: (r.response.outcome if r.response else None) for r in rows} == made
    counts = services.report_counts(session, spec, boss, True)
    assert counts.total == 5 and counts.awaiting == 1
    assert counts.by_outcome == dict.fromkeys(Outcome, 1)
    assert counts.by_role[Role.SERVICE_USER]["comments"] == 5
    csv_rows = list(services.report_csv_rows(session, spec, boss, True))
    assert len(csv_rows) == 5 and all(len(row) == len(services.CSV_HEADER) for row in csv_rows)
    outcomes = [row[services.CSV_HEADER.index("Outcome")] for row in csv_rows]
    assert "Awaiting response" in outcomes and "Partly changed" in outcomes
