"""Page assembly for the agreement: the context each template needs, built from services.

Routes load the objects and check permissions; these functions gather what a page shows.
They read (never change) the database and may look at the signed-in person.
"""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from collab import audit
from collab.accounts import two_step  # two-step sign-in before signing (issue 7)
from collab.agreements import links, services
from collab.agreements.forms import ConfirmForm, PublishForm, ResponseForm, SignForm
from collab.agreements.models import Agreement, AgreementVersion, Clause, Proposal, ResponseKind, Signature
from collab.agreements.subjects import CLAUSE_SUBJECT, PROPOSAL_SUBJECT, clause_subject, proposal_subject
from collab.alliances.models import Alliance, Organisation
from collab.db import db
from collab.documents.services import comment_counts
from collab.documents.views import thread_context
from collab.security import Permission, can
from collab.web import paginate

_UNKNOWN: Any = object()


def which_text(
    agreement: Agreement, showing: AgreementVersion | None = None, clauses: list[Clause] | None = None, *,
    latest: AgreementVersion | None = _UNKNOWN, in_force: AgreementVersion | None = _UNKNOWN,
    latest_count: services.SignatureCount | None = None,
) -> dict[str, Any]:
    """Which text a page shows (the working text, or one version) and how it stands against the others.

    ``templates/agreements/_which_text.html`` turns it into one plain sentence and links: the
    version in force, the version being signed, and the unpublished working text. A page that
    has already loaded the latest version, the one in force or the latest one's signature count
    passes them in, so they are not loaded twice.
    """
    if latest is _UNKNOWN:
        latest = services.latest_version(db.session, agreement)
    if in_force is _UNKNOWN:
        in_force = services.version_in_force(db.session, agreement)
    being_signed = latest if latest is not None and not latest.is_in_force else None
    working_same_as = None
    if showing is None and latest is not None:
        working = [(c.heading, c.body) for c in (clauses if clauses is not None
                                                   else services.active_clauses(db.session, agreement))]
        if working == [(c.heading, c.body) for c in latest.clauses]:
            working_same_as = latest
    if showing is None:
        kind = "working"
    elif in_force is not None and showing.id == in_force.id:
        kind = "in_force"
    elif being_signed is not None and showing.id == being_signed.id:
        kind = "being_signed"
    else:
        kind = "replaced"
    return {
        "kind": kind,
        "showing": showing,
        "in_force": in_force,
        "being_signed": being_signed,
        "being_signed_status": (latest_count if being_signed is latest and latest_count is not None
                                else services.signature_count(db.session, being_signed) if being_signed else None),
        "working_same_as": working_same_as,
        "drafting": agreement.drafting,
    }


def clause_links(alliance: Alliance, agreement: Agreement) -> links.ClauseLinks:
    """What every clause of a page shares: its addresses and whether you may change or propose."""
    return links.ClauseLinks(
        alliance,
        may_edit=agreement.drafting and can(Permission.AGREEMENT_CLAUSE_EDIT, alliance),
        may_propose=can(Permission.AGREEMENT_PROPOSAL_CREATE, alliance),
    )


def agreement_page(alliance: Alliance, agreement: Agreement) -> dict[str, Any]:
    """The agreement: its clauses, status, open proposals and versions."""
    clauses = services.active_clauses(db.session, agreement)
    latest = services.latest_version(db.session, agreement)
    in_force = services.version_in_force(db.session, agreement)
    latest_count = services.signature_count(db.session, latest) if latest else None
    return {
        "which": which_text(agreement, None, clauses, latest=latest, in_force=in_force, latest_count=latest_count),
        "alliance": alliance,
        "agreement": agreement,
        "clauses": list(enumerate(clauses, start=1)),
        "clause_links": clause_links(alliance, agreement),
        "comment_counts": comment_counts(db.session, CLAUSE_SUBJECT, [c.id for c in clauses]),
        "proposal_counts": services.open_proposal_counts(db.session, agreement),
        "open_proposals": services.proposals(db.session, agreement, open_only=True),
        "latest": latest,
        "in_force": in_force,
        "latest_status": latest_count,
        "confirm": ConfirmForm(formdata=None),
    }


def clause_fragment(alliance: Alliance, agreement: Agreement, clause: Clause) -> dict[str, Any]:
    """One clause as it appears in the agreement (``agreements/_clause.html``)."""
    counts = comment_counts(db.session, CLAUSE_SUBJECT, [clause.id])
    ids = [c.id for c in services.active_clauses(db.session, agreement)]
    return {
        "alliance": alliance,
        "agreement": agreement,
        "clause": clause,
        "clause_links": clause_links(alliance, agreement),
        "number": ids.index(clause.id) + 1 if clause.id in ids else None,
        "comment_count": counts.get(clause.id, 0),
        "proposal_count": services.open_proposal_counts(db.session, agreement).get(clause.id, 0),
        "confirm": ConfirmForm(formdata=None),
        "first": bool(ids) and ids[0] == clause.id,
        "last": bool(ids) and ids[-1] == clause.id,
    }


def clause_page(alliance: Alliance, agreement: Agreement, clause: Clause) -> dict[str, Any]:
    """One clause with its proposals, latest changes and discussion."""
    subject = clause_subject(db.session, clause.id)
    assert subject is not None
    return {
        "alliance": alliance,
        "agreement": agreement,
        "clause": clause,
        "number": services.clause_number(db.session, clause),
        "proposals": [p for p in services.proposals(db.session, agreement) if p.clause_id == clause.id],
        "history": services.clause_history(db.session, clause, limit=6),
        **thread_context(CLAUSE_SUBJECT, clause.id, subject),
    }


def clause_history_page(alliance: Alliance, agreement: Agreement, clause: Clause, number: int) -> dict[str, Any]:
    """One page of a clause's revisions, each with the one before it."""
    page = paginate(db.session, services.clause_revisions(clause), number, per_page=20)
    return {
        "alliance": alliance,
        "agreement": agreement,
        "clause": clause,
        "page": page,
        "pairs": services.with_previous(db.session, clause, list(page.items)),
    }


def proposal_page(alliance: Alliance, agreement: Agreement, proposal: Proposal, form: ResponseForm) -> dict[str, Any]:
    """A proposal: the tracked changes, who has responded and who has not, the discussion."""
    state = services.consent_state(db.session, proposal)
    seat = services.seat_for(db.session, alliance, current_user) if current_user.is_authenticated else None
    mine = state.responses.get(seat.key) if seat else None
    if mine is not None and form.response.data is None and not form.errors:
        form.response.data, form.reason.data = mine.response.value, mine.reason
    subject = proposal_subject(db.session, proposal.id)
    assert subject is not None
    return {
        "alliance": alliance,
        "agreement": agreement,
        "proposal": proposal,
        "state": state,
        "seat": seat,
        "mine": mine,
        "form": form,
        "ResponseKind": ResponseKind,
        "can_respond": proposal.is_open and seat is not None and can(Permission.AGREEMENT_PROPOSAL_RESPOND, alliance),
        **thread_context(PROPOSAL_SUBJECT, proposal.id, subject),
    }


def publish_page(alliance: Alliance, agreement: Agreement, form: PublishForm) -> dict[str, Any]:
    """The check before publishing: the clauses and the open proposals."""
    latest = services.latest_version(db.session, agreement)
    being_signed = latest if latest is not None and not latest.is_in_force else None
    return {
        "alliance": alliance,
        "agreement": agreement,
        "being_signed": being_signed,
        "being_signed_status": services.signature_count(db.session, being_signed) if being_signed else None,
        "number": latest.number + 1 if latest else 1,
        "form": form,
        "errors": [*form.form_errors, *form.replace_unsigned.errors],
        "clauses": services.active_clauses(db.session, agreement),
        "open_proposals": services.proposals(db.session, agreement, open_only=True),
    }


def versions_page(alliance: Alliance, agreement: Agreement) -> dict[str, Any]:
    """Every published version with its date, SHA-256 and signatures."""
    items = services.versions(db.session, agreement)
    required = services.member_organisations(db.session, alliance)
    required_ids = {seat.organisation.id for seat in required if seat.organisation}
    return {
        "alliance": alliance,
        "agreement": agreement,
        "items": items,
        "required_ids": required_ids,
        "n": len(required_ids),
        "in_force": next((v for v in items if v.in_force_at is not None), None),
    }


def version_page(alliance: Alliance, agreement: Agreement, version: AgreementVersion) -> dict[str, Any]:
    """One published version: its text, SHA-256, signatures and whether you can sign it."""
    status = services.signature_status(db.session, version)
    membership = (services.signing_organisation(db.session, alliance, current_user)
                  if current_user.is_authenticated else None)
    signed_mine = membership is not None and membership.organisation_id in status.signed
    latest = services.latest_version(db.session, agreement)
    in_force = services.version_in_force(db.session, agreement)
    return {
        "which": which_text(agreement, version, latest=latest, in_force=in_force),
        "alliance": alliance,
        "agreement": agreement,
        "version": version,
        "status": status,
        "can_sign": can(Permission.AGREEMENT_SIGN, alliance) and membership is not None and not signed_mine
        and services.can_be_signed(db.session, version),
        "signed_mine": signed_mine,
        "in_force": in_force,
        "latest": latest,
    }


def sign_page(
    alliance: Alliance, agreement: Agreement, version: AgreementVersion, organisation: Organisation, form: SignForm,
    existing: Signature | None,
) -> dict[str, Any]:
    """The signing form with the exact statement the signatory confirms."""
    return {
        "alliance": alliance,
        "agreement": agreement,
        "version": version,
        "form": form,
        "statement": services.statement_for(version, organisation),
        "organisation": organisation,
        "existing": existing,
        "two_step_on": two_step.is_enabled(db.session, current_user),  # two-step sign-in (issue 7)
    }


def pdf_page(alliance: Alliance, version: AgreementVersion, base_url: str) -> dict[str, Any]:
    """The PDF's text and certificate; links come from ``base_url`` (BASE_URL), never the Host header."""
    return {
        "alliance": alliance,
        "version": version,
        "check": services.verify_version(db.session, version),
        "status": services.signature_status(db.session, version),
        "verify_url": base_url + links.verify_url(version),
        "audit_head": audit.current_head(db.session),
    }


def may_see_details(version: AgreementVersion) -> bool:
    """Signatories, dates and links for public alliances and members; for a private alliance,
    anyone else sees only what the document they hold already says."""
    alliance = version.agreement.alliance
    return alliance.is_public or can(Permission.AGREEMENT_VIEW, alliance)


def verify_results(matches: list[AgreementVersion]) -> list[tuple[AgreementVersion, services.VersionCheck, bool]]:
    """Each matching version with its check and whether the visitor may see the details."""
    return [(v, services.verify_version(db.session, v), may_see_details(v)) for v in matches]
