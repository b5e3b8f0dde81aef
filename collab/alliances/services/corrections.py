"""Corrections to organisations: a commissioner proposes, a representative accepts or declines."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from collab.accounts.models import User
from collab.alliances.models import CorrectionStatus, Organisation, OrganisationCorrection
from collab.alliances.services._common import default_organisation_url
from collab.alliances.services.organisations import (
    FIELD_LABELS,
    _apply,
    _change_detail,
    _changes,
    _check_organisation_name,
    _record_everywhere,
    organisation_values,
    representatives,
)
from collab.db import utcnow
from collab.errors import DomainError
from collab.notifications.services import notify, resolve


def pending_corrections(session: Session, organisation: Organisation) -> list[OrganisationCorrection]:
    return list(
        session.scalars(
            select(OrganisationCorrection)
            .where(
                OrganisationCorrection.organisation_id == organisation.id,
                OrganisationCorrection.status == CorrectionStatus.PENDING,
            )
            .options(selectinload(OrganisationCorrection.proposed_by))
            .order_by(OrganisationCorrection.id)
        )
    )


def propose_correction(
    session: Session, actor: User, organisation: Organisation, *, reason: str,
    organisation_url: str | None = None, **fields: object,
) -> OrganisationCorrection:
    """Propose a change to an organisation's details, for its representatives to decide.

    ``organisation_url`` is the organisation's page, where the notification takes them.
    """
    changes = _changes(organisation, fields)
    if not changes:
        raise DomainError("Change at least one detail, or go back if nothing needs correcting")
    if "name" in changes:
        _check_organisation_name(session, str(changes["name"]), exclude=organisation.id)
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the details need correcting", "reason")
    correction = OrganisationCorrection(
        organisation=organisation, changes=changes, reason=reason, proposed_by_id=actor.id
    )
    session.add(correction)
    session.flush()
    _record_everywhere(
        session, actor, "organisation.correction_proposed", organisation,
        {"correction": correction.id, "changed": [FIELD_LABELS[key] for key in changes]},
    )
    deciders = representatives(session, organisation)
    if not deciders and organisation.created_by_id is not None:
        registrar = session.get(User, organisation.created_by_id)
        deciders = [registrar] if registrar is not None else []
    notify(
        session, deciders, "organisation_correction_proposed",
        f"{actor.display_name} has proposed a correction to {organisation.name}",
        body=f"They say: {reason[:500]}\n\nAccept it if it is right, or decline it.",
        url=organisation_url or default_organisation_url(organisation),
        exclude=actor, action_key=f"correction:{correction.id}",
    )
    return correction


def _decide(session: Session, actor: User, correction: OrganisationCorrection, status: CorrectionStatus) -> None:
    # Claim the decision atomically: of two representatives deciding at once, one wins.
    claimed = session.execute(
        update(OrganisationCorrection)
        .where(
            OrganisationCorrection.id == correction.id,
            OrganisationCorrection.status == CorrectionStatus.PENDING,
        )
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("Someone has already accepted or declined this correction")
    session.refresh(correction)
    # One representative decided: the others no longer need to.
    resolve(session, f"correction:{correction.id}")


def accept_correction(
    session: Session, actor: User, correction: OrganisationCorrection, *, organisation_url: str | None = None
) -> None:
    """Apply a proposed correction to the organisation, recorded in every alliance it belongs to."""
    organisation = correction.organisation
    _decide(session, actor, correction, CorrectionStatus.ACCEPTED)
    before = organisation_values(organisation)
    changes = {key: value for key, value in correction.changes.items() if before.get(key) != value}
    if changes:
        _apply(session, organisation, changes)
    detail = _change_detail(before, changes)
    detail["correction"] = correction.id
    detail["proposed_by"] = correction.proposed_by.display_name if correction.proposed_by else None
    _record_everywhere(session, actor, "organisation.correction_accepted", organisation, detail)
    _tell_proposer(session, actor, correction, "accepted", organisation_url)


def decline_correction(
    session: Session, actor: User, correction: OrganisationCorrection, *, organisation_url: str | None = None
) -> None:
    """Turn down a proposed correction; the organisation stays as it is."""
    _decide(session, actor, correction, CorrectionStatus.DECLINED)
    _record_everywhere(
        session, actor, "organisation.correction_declined", correction.organisation,
        {"correction": correction.id},
    )
    _tell_proposer(session, actor, correction, "declined", organisation_url)


def _tell_proposer(
    session: Session, actor: User, correction: OrganisationCorrection, outcome: str, organisation_url: str | None
) -> None:
    organisation = correction.organisation
    notify(
        session, [correction.proposed_by] if correction.proposed_by else [], "organisation_correction_decided",
        f"{actor.display_name} {outcome} your correction to {organisation.name}",
        url=organisation_url or default_organisation_url(organisation),
        exclude=actor,
    )
