"""Demo data: Riverside's social value, key result areas, open book, risk-and-reward model and an evaluation model.

Every figure here is made up. Riverside has the starter framework, commitments from each member
organisation over two reporting periods with their actuals (most confirmed, one waiting for the
commissioner, one late), six key result areas with two periods of results, an open book, a target
outcome cost with every member's shares, and one quality-led evaluation model with example bids.
Northgate gets the starter framework only, so the two alliances look different.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.accounts import services as accounts
from collab.accounts.models import User
from collab.alliances.models import Alliance, Organisation
from collab.value import services
from collab.value.services import evaluation
from collab.value.services.evaluation import CriterionInput
from collab.value.services.paingain import ShareInput

D = Decimal
RIVERSIDE = "Riverside Living Well Alliance"
NORTHGATE = "Northgate Youth Alliance"

#: Organisation → who reports for it, and (measure name start, target, first actual, second actual).
#: A second actual of None: not reported yet (late); "waiting": reported, not yet confirmed.
COMMITMENTS: dict[str, tuple[str, list[tuple[str, str, str, str | None]]]] = {
    "Mind in Riverside": ("provider@riverside.example", [
        ("Volunteer hours given by staff", "300", "320", "290"),
        ("Hours of paid involvement", "400", "380", "waiting:410"),
    ]),
    "Riverside and Weald NHS Foundation Trust": ("trust@riverside.example", [
        ("Local people employed", "40", "38", "41"),
        ("Carbon emissions", "60", "58", "52"),
    ]),
    "Open Door Housing Support": ("opendoor@riverside.example", [
        ("Money spent with organisations based", "80000", "86500", None),
        ("Items of furniture", "150", "170", "160"),
    ]),
    "Talking Together Peer Support": ("peers@riverside.example", [
        ("Peer support sessions", "48", "52", "50"),
        ("Hours of paid work experience", "200", "230", "210"),
    ]),
    "Riverside Recovery College": ("college@riverside.example", [
        ("Money spent with micro and small", "25000", "27100", "24800"),
        ("Volunteer hours given by staff", "120", "140", "150"),
    ]),
}

KRAS = [
    ("Quick help in a crisis", "Share of people seen within 4 hours of asking for crisis help", "%", "more",
     "62", "90", "80", ("84", "91")),
    ("People stay well at home", "Share of people still living at home six months after support ends", "%", "more",
     "70", "85", "75", ("78", "83")),
    ("Fewer crisis visits to A&E", "A&E attendances for a mental health crisis, per month", "visits", "less",
     "140", "100", "120", ("118", "112")),
    ("People shape their support", "Share of people who say they helped plan their own support", "%", "more",
     "55", "80", "65", ("66", "72")),
    ("Peer support for everyone who wants it", "Share of people offered a peer worker within two weeks", "%", "more",
     "40", "75", "60", ("58", "63")),
    ("Short waits for talking therapies", "Median days from referral to first session", "days", "less",
     "42", "21", "35", ("30", "26")),
]

#: Organisation → (gain %, pain %, pain cap or None, contract value).
SHARES = {
    "Riverside Borough Council – Adult Social Care Commissioning": ("30", "40", None, "0"),
    "Riverside and Weald NHS Foundation Trust": ("25", "25", "60000", "1600000"),
    "Mind in Riverside": ("20", "15", "30000", "750000"),
    "Open Door Housing Support": ("10", "10", "15000", "380000"),
    "Talking Together Peer Support": ("7.5", "5", "4000", "120000"),
    "Riverside Recovery College": ("7.5", "5", "6000", "150000"),
}


def _org(session: Session, name: str) -> Organisation:
    found = session.scalar(select(Organisation).where(Organisation.name == name))
    assert found is not None, name
    return found


def _person(session: Session, email: str) -> User:
    found = accounts.find_by_email(session, email)
    assert found is not None, email
    return found


def seed_riverside_value(session: Session) -> None:
    alliance = session.scalar(select(Alliance).where(Alliance.name == RIVERSIDE))
    assert alliance is not None
    priya = _person(session, "commissioner@riverside.example")
    services.add_starter_set(session, priya, alliance)
    first = services.add_period(session, priya, alliance, label="October 2025 to March 2026",
                                starts_on=date(2025, 10, 1), ends_on=date(2026, 3, 31), reports_due_on=date(2026, 4, 30))
    second = services.add_period(session, priya, alliance, label="April to September 2026",
                                 starts_on=date(2026, 4, 1), ends_on=date(2026, 9, 30), reports_due_on=date(2026, 10, 31))
    measures = services.measures_of(session, alliance)

    def measure(start: str) -> Any:
        return next(m for m in measures if m.current.name.startswith(start))

    for org_name, (email, rows) in COMMITMENTS.items():
        org, person = _org(session, org_name), _person(session, email)
        for start, target, one, two in rows:
            for period, actual in ((first, one), (second, two)):
                c = services.add_commitment(session, person, alliance, org, measure(start), period, target=D(target))
                if actual is None:
                    continue
                waiting = actual.startswith("waiting:")
                report = services.report_actual(session, person, c, amount=D(actual.removeprefix("waiting:")),
                                                note="Counted from our monthly records.")
                if not waiting:
                    services.confirm(session, priya, report)
    for name, how, unit, direction, baseline, target, minimum, results in KRAS:
        kra = services.add_kra(session, priya, alliance, name=name, measure=how, unit=unit, direction=direction,
                               baseline=D(baseline), target=D(target), minimum=D(minimum))
        for period, value in zip((first, second), results, strict=True):
            services.record_result(session, priya, kra, period, value=D(value))
    for org_name, (*_terms, contract) in SHARES.items():
        contract_value = D(contract)
        if not contract_value:
            continue
        for period, spent in ((first, D("0.49")), (second, D("0.52"))):
            budget = contract_value / 2
            services.save_line(session, priya, alliance, _org(session, org_name), period, cost_line="Staff",
                               budget=(budget * D("0.8")).quantize(D("0.01")),
                               actual=(contract_value * spent * D("0.8")).quantize(D("0.01")))
            services.save_line(session, priya, alliance, _org(session, org_name), period, cost_line="Premises and running costs",
                               budget=(budget * D("0.2")).quantize(D("0.01")),
                               actual=(contract_value * spent * D("0.2")).quantize(D("0.01")))
    services.save_target_cost(session, priya, alliance, year=2026, amount=D("3000000"), rule="gate", shares=[
        ShareInput(_org(session, name).id, D(gain), D(pain), D(cap) if cap else None, D(contract))
        for name, (gain, pain, cap, contract) in SHARES.items()
    ])
    model = evaluation.save_model(
        session, priya, alliance, None, name="Peer support in the north: most suitable provider, 2027",
        purpose="A Provider Selection Regime 'most suitable provider' decision for peer support in Riverside north.",
        criteria=[CriterionInput("quality", "How well the service helps people recover and stay well", D(40)),
                  CriterionInput("quality", "How people who use the service shape it", D(20)),
                  CriterionInput("social_value", "Local jobs, volunteering and paid lived-experience roles", D(20)),
                  CriterionInput("cost", "Price", D(20))])
    evaluation.add_example_bids(session, priya, model)
    # The spec's key result areas section speaks to all six KRAs (the spec is seeded before value).
    from collab.specs.models import Spec
    from collab.value.services import spec_links

    spec = session.scalar(select(Spec).where(Spec.alliance_id == alliance.id).order_by(Spec.id).limit(1))
    section = spec_links.default_section(spec) if spec is not None else None
    if section is not None:
        spec_links.link_section(session, priya, section, services.kras_of(session, alliance))


def seed_northgate_value(session: Session) -> None:
    alliance = session.scalar(select(Alliance).where(Alliance.name == NORTHGATE))
    assert alliance is not None
    services.add_starter_set(session, _person(session, "commissioner@northgate.example"), alliance)
