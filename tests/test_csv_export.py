"""One CSV writer for the whole app, and no spreadsheet formulas in any export (issue 7, defect 10).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs. Every export goes through collab.csv_export, which makes
such cells plain text; these tests put a formula into every column a person can write and
check what comes out, for every CSV route the app has.
"""

from __future__ import annotations

import ast
import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import update

from collab.alliances.models import Role
from collab.csv_export import csv_download, csv_lines, safe_cell
from collab.documents.models import Comment
from collab.specs import services as specs
from collab.specs.models import Outcome, SpecComment, SpecParagraph, SpecResponse, SpecSection, SpecSectionVersion
from tests.factories import commissioner_of, login_as, make_alliance, member
from tests.specs.helpers import make_spec, paragraphs

ROOT = Path(__file__).resolve().parent.parent
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

#: A formula for each character a spreadsheet reads as the start of one.
PAYLOADS = {
    "=": '=HYPERLINK("http://evil.example","Click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}


def _parse(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def _assert_inert(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert cell[:1] not in DANGEROUS, f"formula not escaped: {cell!r} in {row!r}"


@pytest.mark.parametrize("lead", DANGEROUS, ids=repr)
def test_the_writer_makes_every_formula_plain_text(lead) -> None:
    payload = PAYLOADS[lead]
    rows = _parse("".join(csv_lines([payload, "Header"], [[payload, 3, None, payload + " again"]])))
    _assert_inert(rows)
    assert rows[0][0].startswith("'") and rows[1][0].startswith("'") and rows[1][3].startswith("'")
    assert rows[1][1:3] == ["3", ""]


def test_plain_values_are_left_alone() -> None:
    assert safe_cell("Outcomes") == "Outcomes" and safe_cell(12) == 12 and safe_cell(None) == ""
    rows = _parse("".join(csv_lines(["A", "B"], [["Plain words, with a comma", "Line one\nline two"]])))
    assert rows[1] == ["Plain words, with a comma", "Line one\nline two"]


def test_csv_download_is_a_private_utf8_attachment(app) -> None:
    with app.test_request_context():
        response = csv_download('report "2"/../x.csv', ["A"], [["é"]])
        body = response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="report-2-..-x.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    assert body == "\ufeffA\r\né\r\n"


# Every export, every column ------------------------------------------------------------


def _spec_report(session, client, lead: str) -> tuple[str, dict[str, str]]:
    """The "you said, we did" CSV with the payload in every column a person writes."""
    payload = PAYLOADS[lead]
    alliance = make_alliance()
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    helper = member(alliance, Role.FACILITATOR)
    paragraph = next(p for p in paragraphs(spec) if "listened" in p.text)
    sc = specs.add_comment(session, helper, paragraph, body="A comment", on_behalf_of_name="Cleo")
    outcomes = spec.sections[0]
    specs.save_section(session, boss, outcomes, outcomes.lock_version, heading=outcomes.heading,
                       body=outcomes.body.replace("four hours", "two hours"))
    specs.respond(session, boss, sc, outcome=Outcome.CHANGED, text="We did it", change_section=outcomes)
    specs.share_redraft(session, boss, spec, note="Quicker")
    # Services trim and check what people type; older rows and other routes in may not have
    # been, so the writer is tested with the raw payload in every column.
    session.execute(update(SpecSection).where(SpecSection.id == outcomes.id).values(heading=payload))
    # A short section, so the heading is part of the change's context and starts that cell.
    for version in (1, 2):
        session.execute(
            update(SpecSectionVersion)
            .where(SpecSectionVersion.section_id == outcomes.id,
                   SpecSectionVersion.version_id == specs.get_version(session, spec, version).id)
            .values(heading=payload, body=f"Seen within {'four' if version == 1 else 'two'} hours")
        )
    session.execute(update(SpecParagraph).where(SpecParagraph.id == paragraph.id).values(text=payload))
    session.execute(update(SpecComment).where(SpecComment.id == sc.id).values(quote=payload))
    session.execute(update(Comment).where(Comment.id == sc.comment_id).values(body=payload, on_behalf_of_name=payload))
    session.execute(update(SpecResponse).where(SpecResponse.id == sc.response.id).values(text=payload))
    helper.display_name = payload
    boss.display_name = payload + " (responder)"
    session.flush()
    session.expire_all()
    login_as(client, boss)
    response = client.get(f"/alliances/{alliance.slug}/specs/{spec.id}/you-said-we-did.csv")
    assert response.status_code == 200
    return response.get_data(as_text=True), {
        "Section": payload,
        "Paragraph now": payload,
        "What the comment was about (quote)": payload,
        "Comment": payload,
        "From": payload,
        "Added by": payload,
        "Response": payload,
        "Responded by": payload + " (responder)",
        "Section changed": payload,
        "How the section changed": payload,
    }


def _resources_value(session, client, lead: str) -> tuple[str, dict[str, str]]:
    """Shared resources (issue 12): resource title and both organisations' names in the value export."""
    from datetime import timedelta
    from decimal import Decimal

    from collab.alliances.models import Organisation
    from collab.db import utcnow
    from collab.resources.models import Booking, BookingStatus, RateUnit, Resource, ResourceKind
    from tests.factories import add_member, make_organisation, make_user

    payload = PAYLOADS[lead]
    alliance = make_alliance()
    owner = add_member(alliance, make_user(), Role.PROVIDER, make_organisation())
    borrower = add_member(alliance, make_user(), Role.PROVIDER, make_organisation())
    resource = Resource(alliance_id=alliance.id, organisation_id=owner.organisation_id, kind=ResourceKind.ROOM,
                        title=payload, units=1, rate=Decimal("10"), rate_unit=RateUnit.HOUR)
    session.add(resource)
    session.flush()
    start = utcnow() - timedelta(days=3)
    session.add(Booking(resource_id=resource.id, alliance_id=alliance.id, organisation_id=borrower.organisation_id,
                        starts_at=start, ends_at=start + timedelta(hours=2), status=BookingStatus.APPROVED,
                        rate=Decimal("10"), rate_unit=RateUnit.HOUR, purpose="x"))
    session.execute(update(Organisation).where(Organisation.id == owner.organisation_id).values(name=payload))
    session.execute(update(Organisation).where(Organisation.id == borrower.organisation_id)
                    .values(name=payload + " (borrower)"))
    session.flush()
    session.expire_all()
    login_as(client, borrower.user)
    response = client.get(f"/alliances/{alliance.slug}/resources/value.csv")
    assert response.status_code == 200
    return response.get_data(as_text=True), {"Resource": payload, "Owner": payload, "Borrower": payload}


def _workshop_payments(session, client, lead: str) -> tuple[str, dict[str, str]]:
    """Co-production workshops (issue 11): the participation payment list names people and the workshop."""
    from collab.accounts.models import User
    from collab.alliances.models import Role
    from collab.workshops import services as workshops
    from tests.factories import commissioner_of
    from tests.workshops.helpers import invite_all, make_past, make_workshop

    payload = PAYLOADS[lead]
    alliance = make_alliance()
    person = member(alliance, Role.SERVICE_USER)
    workshop = make_workshop(alliance, payment_pence=2000, title=payload)
    invite_all(workshop, [person])
    workshops.reply(session, person, workshop, "yes", claims_payment=True)
    make_past(workshop)
    boss = commissioner_of(alliance)
    workshops.mark_attendance(session, boss, workshop, [workshops.invitee_for(session, workshop, person).id])
    session.execute(update(User).where(User.id == person.id).values(display_name=payload))
    session.flush()
    session.expire_all()
    login_as(client, boss)
    response = client.get(f"/alliances/{alliance.slug}/workshops/{workshop.id}/payments.csv")
    assert response.status_code == 200
    return response.get_data(as_text=True), {"Name": payload, "Workshop": payload}


def _value_open_book(session, client, lead: str) -> tuple[str, dict[str, str]]:
    """Value, not price (issue 13): the open book's cost lines and organisation names."""
    from decimal import Decimal

    from collab.alliances.models import Organisation
    from collab.value import services as value
    from tests.value.helpers import make_value_world

    payload = PAYLOADS[lead]
    world = make_value_world()
    value.save_line(session, world.small_provider, world.alliance, world.small_org, world.period,
                    cost_line=payload, budget=Decimal("100"), actual=Decimal("90"), note=payload)
    session.execute(update(Organisation).where(Organisation.id == world.small_org.id).values(name=payload))
    session.flush()
    session.expire_all()
    login_as(client, world.small_provider)
    response = client.get(f"/alliances/{world.alliance.slug}/value/open-book.csv")
    assert response.status_code == 200
    return response.get_data(as_text=True), {"Organisation": payload, "Cost line": payload, "Note": payload}


#: url rule -> a function that builds hostile data and fetches that export.
EXPORTS = {
    "/alliances/<slug>/specs/<int:spec_id>/you-said-we-did.csv": _spec_report,
    "/alliances/<slug>/resources/value.csv": _resources_value,
    "/alliances/<slug>/workshops/<int:workshop_id>/payments.csv": _workshop_payments,
    "/alliances/<slug>/value/<table>.csv": _value_open_book,
}


def test_every_csv_route_is_checked_here(app) -> None:
    routes = {rule.rule for rule in app.url_map.iter_rules() if ".csv" in rule.rule or "csv" in rule.endpoint}
    assert routes == set(EXPORTS), "a CSV export is missing from tests/test_csv_export.py EXPORTS"


@pytest.mark.parametrize("lead", DANGEROUS, ids=repr)
@pytest.mark.parametrize("rule", sorted(EXPORTS))
def test_every_column_of_every_export_is_escaped(client, session, rule, lead) -> None:
    text, hostile = EXPORTS[rule](session, client, lead)
    rows = _parse(text)
    _assert_inert(rows)
    header, data = rows[0], rows[1:]
    assert data, "the export has no rows to check"
    for column, payload in hostile.items():
        cells = [row[header.index(column)] for row in data]
        # The formula's start reached this column (tabs and line breaks may be folded, and Markdown
        # tidied), and came out escaped.
        start = payload.strip()[:4]
        assert any(start in cell for cell in cells), (column, cells)


# One writer ----------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_module_but_csv_export_writes_csv() -> None:
    offenders = []
    for path in sorted((ROOT / "collab").rglob("*.py")):
        if path.relative_to(ROOT).as_posix() == "collab/csv_export.py":
            continue
        names = _imports(path)
        if any(n == "csv" or n.startswith(("csv.", "defusedcsv")) for n in names):
            offenders.append(path.relative_to(ROOT).as_posix())
        if "text/csv" in path.read_text():
            offenders.append(path.relative_to(ROOT).as_posix() + " (text/csv response)")
    assert offenders == [], "write CSV through collab.csv_export.csv_download"
