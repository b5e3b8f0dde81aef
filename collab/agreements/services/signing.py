"""Signing: one signature per member organisation per version, the signature status, the
version coming into force, and asking organisations that join later to sign (accession).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts import two_step  # two-step sign-in before signing (issue 7)
from collab.accounts.models import User
from collab.agreements import links
from collab.agreements.models import AgreementVersion, Signature
from collab.agreements.services._common import ORGANISATION_ROLES, get_agreement
from collab.agreements.services.seats import Seat, member_organisations, memberships
from collab.agreements.services.versions import latest_version, signature_action, version_in_force
from collab.alliances.models import Alliance, Membership, Organisation
from collab.alliances.signals import representation_started
from collab.db import utcnow
from collab.errors import Conflict, DomainError, NotAllowed
from collab.notifications.services import notify, resolve
from collab.security import verify_password


@dataclass
class SignatureStatus:
    required: list[Seat]
    signed: dict[int, Signature]

    @property
    def n(self) -> int:
        return len(self.required)

    @property
    def k(self) -> int:
        return sum(1 for seat in self.required if seat.organisation and seat.organisation.id in self.signed)

    @property
    def waiting(self) -> list[Seat]:
        return [s for s in self.required if s.organisation and s.organisation.id not in self.signed]

    @property
    def complete(self) -> bool:
        return self.n > 0 and self.k == self.n


def signature_status(session: Session, version: AgreementVersion) -> SignatureStatus:
    """Which member organisations have signed the version (k of n)."""
    signatures = session.scalars(select(Signature).where(Signature.version_id == version.id)).all()
    return SignatureStatus(
        member_organisations(session, version.agreement.alliance), {s.organisation_id: s for s in signatures}
    )


@dataclass(frozen=True)
class SignatureCount:
    """How many member organisations have signed a version (k) of how many sign it (n)."""

    k: int
    n: int

    @property
    def complete(self) -> bool:
        return self.n > 0 and self.k == self.n


def signature_count(session: Session, version: AgreementVersion) -> SignatureCount:
    """``signature_status``'s k and n, counted by the database in one statement (no rows loaded).

    n: the organisations that sign (a commissioner's or provider's membership with an
    organisation); k: those of them with a signature on the version.
    """
    row = session.execute(
        select(func.count(distinct(Membership.organisation_id)), func.count(distinct(Signature.organisation_id)))
        .select_from(Membership)
        .outerjoin(Signature, and_(Signature.organisation_id == Membership.organisation_id,
                                   Signature.version_id == version.id))
        .where(
            Membership.alliance_id == version.agreement.alliance_id,
            Membership.role.in_(ORGANISATION_ROLES),
            Membership.organisation_id.is_not(None),
        )
    ).one()
    return SignatureCount(k=int(row[1]), n=int(row[0]))


def signing_organisation(session: Session, alliance: Alliance, user: User) -> Membership | None:
    """The membership through which the user signs for an organisation, if any."""
    return session.scalar(
        select(Membership).where(
            Membership.alliance_id == alliance.id,
            Membership.user_id == user.id,
            Membership.role.in_(ORGANISATION_ROLES),
            Membership.organisation_id.is_not(None),
        )
    )


def statement_for(version: AgreementVersion, organisation: Organisation) -> str:
    """The exact words a signatory confirms (with the alliance's name as the version says it)."""
    return (
        f"I sign version {version.number} of the {version.alliance_name} agreement on behalf of "
        f"{organisation.name}, whose SHA-256 is {version.sha256}."
    )


def name_matches(typed: str, account_name: str) -> bool:
    """The typed name is the account's name, ignoring case and spacing."""
    def norm(value: str) -> str:
        return " ".join((value or "").split()).casefold()

    return bool(norm(typed)) and norm(typed) == norm(account_name)


class AlreadySigned(Conflict):
    pass


class TwoStepRequired(DomainError):
    """Signing on an organisation's behalf needs two-step sign-in on (issue 7)."""


def can_be_signed(session: Session, version: AgreementVersion) -> bool:
    """Only the newest version and the version in force can be signed."""
    latest = latest_version(session, version.agreement)
    in_force = version_in_force(session, version.agreement)
    return version.id in {getattr(latest, "id", None), getattr(in_force, "id", None)}


def sign(
    session: Session,
    actor: User,
    version: AgreementVersion,
    *,
    password: str,
    typed_name: str,
    confirmed: bool,
    ip_address: str = "",
    user_agent: str = "",
    require_two_step: bool = True,
    version_url: str | None = None,
    read_sha256: str = "",
) -> Signature:
    """Sign a published version for the actor's organisation: exactly one signature per organisation.

    ``version_url`` is the version's page, for the notice that it is in force (the route passes it).
    ``read_sha256`` is the SHA-256 on the page the signatory read, if the form sent it.
    """
    alliance = version.agreement.alliance
    membership = signing_organisation(session, alliance, actor)
    if membership is None or membership.organisation is None:
        raise NotAllowed("Only someone who represents a member organisation can sign")
    if read_sha256 and read_sha256 != version.sha256:
        raise DomainError("The version changed while you were signing. Read the statement again.")
    # Two-step sign-in (issue 7): signing for an organisation needs more than a password.
    # Only the demo seed passes require_two_step=False.
    if require_two_step and not two_step.is_enabled(session, actor):
        raise TwoStepRequired(
            f"Turn on two-step sign-in before you sign for {membership.organisation.name}. "
            "You can do this from your account page."
        )
    if not verify_password(actor.password_hash, password or ""):
        raise DomainError("The password is not right", field="password")
    typed_name = " ".join((typed_name or "").split())
    if not typed_name:
        raise DomainError("Type your full name", field="typed_name")
    if len(typed_name) > 200:
        raise DomainError("Your name must be 200 characters or fewer", field="typed_name")
    if not name_matches(typed_name, actor.display_name):
        raise DomainError(
            f"Type your name as it is on your account: {actor.display_name}. "
            "If that is not your full name, change your display name first",
            field="typed_name",
        )
    if not confirmed:
        raise DomainError("Tick the box to confirm the statement", field="confirm")
    # One signer per version at a time (PostgreSQL); the unique constraint is the backstop.
    session.execute(
        select(AgreementVersion.id).where(AgreementVersion.id == version.id).with_for_update()
    )
    if not can_be_signed(session, version):
        raise DomainError("This version has been replaced by a newer one, so it can no longer be signed")
    organisation = membership.organisation

    def already() -> Signature | None:
        return session.scalar(
            select(Signature).where(Signature.version_id == version.id, Signature.organisation_id == organisation.id)
        )

    if already() is not None:
        raise AlreadySigned(f"{organisation.name} has already signed version {version.number}")
    session.refresh(version)
    signature = Signature(
        version_id=version.id,
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        user_id=actor.id,
        role=membership.role,
        typed_name=typed_name,
        account_name=actor.display_name,
        statement=statement_for(version, organisation),
        signed_at=utcnow(),
        ip_address=(ip_address or "")[:64],
        user_agent=(user_agent or "")[:400],
        version_sha256=version.sha256,
        is_accession=version.in_force_at is not None,
    )
    signature.record_hash = signature.compute_hash()
    try:
        with session.begin_nested():
            session.add(signature)
    except IntegrityError:
        raise AlreadySigned(f"{organisation.name} has already signed version {version.number}") from None
    resolve(session, signature_action(version, organisation.id))
    audit.record(
        session, actor, "agreement.signed", signature, alliance=alliance, label=f"Version {version.number}",
        detail={
            "number": version.number, "organisation": organisation.name, "typed_name": typed_name,
            "sha256": version.sha256, "record_hash": signature.record_hash, "accession": signature.is_accession,
            "account_name": actor.display_name, "version_id": version.id,
        },
    )
    if version.in_force_at is None and signature_status(session, version).complete:
        version.in_force_at = utcnow()
        session.flush()
        audit.record(
            session, None, "agreement.in_force", version, alliance=alliance, label=f"Version {version.number}",
            detail={"number": version.number, "sha256": version.sha256},
        )
        notify(
            session, [m.user for m in memberships(session, alliance)], "agreement_in_force",
            f"Version {version.number} of the {alliance.name} agreement is in force",
            body="Every member organisation has signed it.",
            url=version_url or links.version_url(alliance, version.number), alliance=alliance,
        )
    return signature


@representation_started.connect
def _ask_new_organisation_to_sign(session: Session, membership: Membership) -> None:
    """Someone newly represents an organisation: if the agreement in force has no signature
    from it, they are asked to sign it (an accession)."""
    organisation = membership.organisation
    if membership.role not in ORGANISATION_ROLES or organisation is None:
        return
    alliance = membership.alliance
    agreement = get_agreement(session, alliance)
    version = version_in_force(session, agreement) if agreement is not None else None
    if version is None:
        return
    signed = session.scalar(
        select(Signature.id).where(
            Signature.version_id == version.id, Signature.organisation_id == membership.organisation_id
        )
    )
    if signed is not None:
        return
    notify(
        session, [membership.user], "agreement_signature_needed",
        f"Sign version {version.number} of the {alliance.name} agreement to join it",
        body=(
            f"Version {version.number} is in force. {organisation.name} joins the agreement "
            "when someone who represents it signs (an accession)."
        ),
        url=links.sign_url(alliance, version.number), alliance=alliance,
        action_key=signature_action(version, organisation.id),
    )
