"""The alliance's contracting process as an Open Contracting Data Standard 1.1 release package.

One compiled release per export: parties with their roles (the commissioners' organisations are
buyers, the providers suppliers, and every member organisation an ``allianceMember`` — the party
role codelist is open), planning (the service specifications and the budget envelope), the award
and contract (the agreement version in force and its signatories), and implementation (the key
result areas as milestones, social value delivered as a reporting milestone and a document).

The ``ocid`` is ``<prefix>-<alliance slug>``: stable for the life of the alliance. Money is
written as JSON numbers from ``Decimal`` text (never a float in our code).
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab.agreements.models import Agreement, AgreementVersion
from collab.alliances.models import Alliance, Membership, Role
from collab.specs.models import Spec
from collab.value.models import Direction, KraStatus
from collab.value.services.kras import scorecard
from collab.value.services.paingain import target_costs
from collab.value.services.totals import value_totals

_MILESTONE_STATUS = {KraStatus.MET: "met", KraStatus.ABOVE_MINIMUM: "partiallyMet",
                     KraStatus.BELOW_MINIMUM: "notMet"}


#: Decimal amounts are written as placeholders (with a fresh nonce, so no text a person typed can
#: look like one), then swapped for their exact decimal text.
_PLACEHOLDER = r'"@decimal-{nonce}:(-?[0-9]+(?:\.[0-9]+)?)@"'


def _money(value: Decimal) -> dict[str, Any]:
    return {"amount": value, "currency": "GBP"}


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def release_package(session: Session, alliance: Alliance, *, ocid_prefix: str, base_url: str,
                    now: datetime) -> dict[str, Any]:
    """The release package as a dict (amounts as Decimal: write it with :func:`dumps`)."""
    ocid = f"{ocid_prefix}-{alliance.slug}"
    home = f"{base_url.rstrip('/')}/alliances/{alliance.slug}"
    memberships = session.scalars(select(Membership).where(Membership.alliance_id == alliance.id)
                                  .options(selectinload(Membership.organisation))).all()
    roles: dict[int, set[str]] = {}
    names: dict[int, str] = {}
    for m in memberships:
        if m.organisation is None:
            continue
        names[m.organisation.id] = m.organisation.name
        found = roles.setdefault(m.organisation.id, {"allianceMember"})
        if m.role == Role.COMMISSIONER:
            found.add("buyer")
        elif m.role == Role.PROVIDER:
            found.add("supplier")
    parties = [{"id": f"org-{org_id}", "name": names[org_id], "roles": sorted(roles[org_id])}
               for org_id in sorted(roles)]
    buyers = [p for p in parties if "buyer" in p["roles"]]
    suppliers = [{"id": p["id"], "name": p["name"]} for p in parties if "supplier" in p["roles"]]

    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{now.strftime('%Y%m%dT%H%M%SZ')}",
        "date": _iso(now),
        "tag": ["compiled"],
        "initiationType": "tender",
        "language": "en",
        "parties": parties,
    }
    if buyers:
        release["buyer"] = {"id": buyers[0]["id"], "name": buyers[0]["name"]}

    planning: dict[str, Any] = {"rationale": alliance.purpose[:2000] or alliance.name}
    targets = target_costs(session, alliance)
    if targets:
        planning["budget"] = {"id": f"target-cost-{targets[0].year}",
                              "description": f"Target outcome cost for {targets[0].year}",
                              "amount": _money(targets[0].amount)}
    specs = session.scalars(select(Spec).where(Spec.alliance_id == alliance.id).order_by(Spec.id)).all()
    if specs:
        planning["documents"] = [{"id": f"spec-{s.id}", "documentType": "technicalSpecifications",
                                  "title": s.title, "description": s.summary[:2000] or s.service_area,
                                  "url": f"{home}/specs/{s.id}", "format": "text/html"} for s in specs]
    release["planning"] = planning

    agreement = session.scalar(select(Agreement).where(Agreement.alliance_id == alliance.id))
    in_force = None
    if agreement is not None:
        in_force = session.scalar(
            select(AgreementVersion).where(AgreementVersion.agreement_id == agreement.id,
                                           AgreementVersion.in_force_at.is_not(None))
            .order_by(AgreementVersion.number.desc()).options(selectinload(AgreementVersion.signatures)).limit(1))
    if in_force is not None and in_force.in_force_at is not None:
        in_force_at = in_force.in_force_at
        award = {"id": f"award-{in_force.public_id}", "title": in_force.title, "status": "active",
                 "date": _iso(in_force_at), "suppliers": suppliers}
        release["awards"] = [award]
        contract: dict[str, Any] = {
            "id": f"contract-{in_force.public_id}", "awardID": award["id"], "status": "active",
            "title": f"{in_force.title}, version {in_force.number}",
            "description": "Signed by " + "; ".join(
                f"{s.typed_name} for {s.organisation_name} ({_iso(s.signed_at)[:10]})" for s in in_force.signatures),
            "dateSigned": _iso(max((s.signed_at for s in in_force.signatures), default=in_force_at)),
            "documents": [{"id": f"agreement-{in_force.public_id}", "documentType": "contractSigned",
                           "title": f"{in_force.title}, version {in_force.number}",
                           "url": f"{base_url.rstrip('/')}/verify/{in_force.public_id}", "format": "text/html"}],
        }
        contract["implementation"] = _implementation(session, alliance, home)
        release["contracts"] = [contract]
    package: dict[str, Any] = {
        "uri": f"{home}/value/open-contracting.json",
        "version": "1.1",
        "publishedDate": _iso(now),
        "publisher": {"name": alliance.name},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publicationPolicy": f"{home}",
        "releases": [release],
    }
    return package


def _implementation(session: Session, alliance: Alliance, home: str) -> dict[str, Any]:
    milestones: list[dict[str, Any]] = []
    for line in scorecard(session, alliance):
        k = line.kra
        better = "more" if k.direction == Direction.MORE else "less"
        description = (f"{k.measure}. Target {k.target:f} {k.unit}, minimum acceptable {k.minimum:f} {k.unit} "
                       f"({better} is better).")
        milestone: dict[str, Any] = {"id": f"kra-{k.id}", "title": k.name, "type": "delivery",
                                     "description": description}
        if line.status is not None and line.value is not None and line.period is not None:
            milestone["status"] = _MILESTONE_STATUS[line.status]
            milestone["description"] += f" Result for {line.period.label}: {line.value:f} {k.unit}."
            milestone["dateMet" if line.status == KraStatus.MET else "dueDate"] = f"{line.period.ends_on.isoformat()}T00:00:00Z"
        else:
            milestone["status"] = "scheduled"
        milestones.append(milestone)
    totals = value_totals(session, alliance)
    milestones.append({
        "id": "social-value", "title": "Social value delivered", "type": "reporting",
        "status": "met" if totals.committed and totals.delivered >= totals.committed else "partiallyMet",
        "description": (f"Money value of confirmed social value: £{totals.delivered:,} delivered of £{totals.committed:,} "
                        f"committed; £{totals.in_kind_total:,} in-kind value from shared resources, counted apart."),
    })
    return {"milestones": milestones,
            "documents": [{"id": "value-page", "documentType": "physicalProgressReport",
                           "title": "Social value: committed and delivered", "url": f"{home}/value",
                           "format": "text/html"}]}


def _encode(value: Any, nonce: str) -> Any:
    if isinstance(value, Decimal):
        return f"@decimal-{nonce}:{value:f}@"
    if isinstance(value, dict):
        return {k: _encode(v, nonce) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v, nonce) for v in value]
    return value


def dumps(package: dict[str, Any]) -> str:
    """The package as JSON text; Decimal amounts are written exactly as their decimal text (never via float)."""
    nonce = secrets.token_hex(8)
    text = json.dumps(_encode(package, nonce), ensure_ascii=False, indent=2)
    return re.sub(_PLACEHOLDER.format(nonce=nonce), r"\1", text)
