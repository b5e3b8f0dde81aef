"""Agreement pages: draft clauses, propose and decide changes, publish, sign, verify, export."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import default_exceptions

from collab import audit
from collab.accounts import two_step  # two-step sign-in before signing (issue 7)
from collab.agreements import bp, services
from collab.agreements.forms import (
    ClauseForm,
    ConfirmForm,
    DecisionForm,
    NewClauseForm,
    ProposalForm,
    ResponseForm,
    SignForm,
    StartForm,
    VerifyForm,
)
from collab.agreements.models import Agreement, AgreementVersion, Clause, ClauseRevision, Proposal, ResponseKind
from collab.alliances.access import load_alliance
from collab.alliances.models import Alliance
from collab.db import db
from collab.documents.canonical import clean_sha256, sha256_hex
from collab.documents.locking import EditConflict
from collab.documents.routes import thread_context
from collab.documents.services import comment_counts
from collab.documents.subjects import Subject, register_subject
from collab.errors import DomainError
from collab.extensions import limiter
from collab.security import Permission, can
from collab.web import form_status, get_or_404, page_number, paginate, parse_id, query_id, redirect_to, render, targets

CLAUSE_SUBJECT = "agreement_clause"
PROPOSAL_SUBJECT = "agreement_proposal"


# Loading ----------------------------------------------------------------------------------


def _alliance(slug: str, permission: Permission = Permission.AGREEMENT_VIEW) -> Alliance:
    return load_alliance(slug, permission)


def _agreement(alliance: Alliance) -> Agreement:
    agreement = services.get_agreement(db.session, alliance)
    if agreement is None:
        abort(404)
    return agreement


def _clause(agreement: Agreement, clause_id: int) -> Clause:
    return get_or_404(db.session, Clause, clause_id, agreement_id=agreement.id)


def _proposal(agreement: Agreement, proposal_id: int) -> Proposal:
    return get_or_404(db.session, Proposal, proposal_id, agreement_id=agreement.id)


def _version(agreement: Agreement, number: int) -> AgreementVersion:
    version = services.get_version(db.session, agreement, number)
    if version is None:
        abort(404)
    return version


def _stop(code: int, message: str, title: str | None = None) -> None:
    """End the request with an error page that says what happened and what to do."""
    error = default_exceptions[code]()
    error.user_message = message  # type: ignore[attr-defined]
    if title:
        error.user_title = title  # type: ignore[attr-defined]
    raise error


def _stop_if_drafting_closed(agreement: Agreement, instead: str = "Propose a change instead") -> None:
    """Editing pages when drafting is closed: say why (not "someone else changed this")."""
    if agreement.drafting:
        return
    latest = services.latest_version(db.session, agreement)
    if latest is None:
        reason = "The agreement is not open for drafting"
    elif latest.is_in_force:
        reason = f"Version {latest.number} is in force, so drafting is closed"
    else:
        reason = f"Version {latest.number} is out for signature, so drafting is closed"
    _stop(
        409,
        f"{reason}. {instead}, or ask a commissioner to open the agreement for drafting the next version.",
        title=reason,
    )


# Thread subjects --------------------------------------------------------------------------


def _clause_subject(session: Any, clause_id: int) -> Subject | None:
    clause = session.get(Clause, clause_id)
    if clause is None:
        return None
    alliance = clause.agreement.alliance
    return Subject(
        alliance=alliance,
        label=f"the clause \u201c{clause.heading}\u201d",
        url=url_for("agreements.show_clause", slug=alliance.slug, clause_id=clause.id),
        open_for_comments=not clause.is_retired,
        closed_reason="This clause has been retired, so the discussion is closed.",
    )


def _proposal_subject(session: Any, proposal_id: int) -> Subject | None:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        return None
    alliance = proposal.agreement.alliance
    return Subject(
        alliance=alliance,
        label=f"the proposal \u201c{proposal.heading}\u201d",
        url=url_for("agreements.show_proposal", slug=alliance.slug, proposal_id=proposal.id),
    )


register_subject(CLAUSE_SUBJECT, _clause_subject)
register_subject(PROPOSAL_SUBJECT, _proposal_subject)


# The agreement -----------------------------------------------------------------------------


@bp.get("/alliances/<slug>/agreement")
@login_required
def show(slug: str) -> str | Response:
    """The agreement: its clauses, status, open proposals and versions."""
    alliance = _alliance(slug)
    agreement = services.get_agreement(db.session, alliance)
    if agreement is None:
        return render_template("agreements/start.html", alliance=alliance, form=StartForm(formdata=None))
    clauses = services.active_clauses(db.session, agreement)
    latest = services.latest_version(db.session, agreement)
    in_force = services.version_in_force(db.session, agreement)
    return render_template(
        "agreements/show.html",
        alliance=alliance,
        agreement=agreement,
        clauses=list(enumerate(clauses, start=1)),
        comment_counts=comment_counts(db.session, CLAUSE_SUBJECT, [c.id for c in clauses]),
        proposal_counts=services.open_proposal_counts(db.session, agreement),
        open_proposals=services.proposals(db.session, agreement, open_only=True),
        latest=latest,
        in_force=in_force,
        latest_status=services.signature_status(db.session, latest) if latest else None,
        confirm=ConfirmForm(formdata=None),
    )


@bp.post("/alliances/<slug>/agreement/start")
@login_required
def start(slug: str) -> Response | tuple[str, int]:
    """Start the agreement from the starter template or blank."""
    alliance = _alliance(slug, Permission.AGREEMENT_CREATE)
    form = StartForm()
    if form.validate_on_submit():
        try:
            services.start_agreement(db.session, current_user, alliance, use_template=form.start.data == "template")
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("The agreement has been started. Everyone in the alliance can now read it and comment.", "success")
            return redirect_to(url_for("agreements.show", slug=alliance.slug))
    return render_template("agreements/start.html", alliance=alliance, form=form), 422


# Clauses ------------------------------------------------------------------------------------


def _clause_fragment(alliance: Alliance, agreement: Agreement, clause: Clause) -> str:
    counts = comment_counts(db.session, CLAUSE_SUBJECT, [clause.id])
    ids = [c.id for c in services.active_clauses(db.session, agreement)]
    return render_template(
        "agreements/_clause.html", alliance=alliance, agreement=agreement, clause=clause,
        number=ids.index(clause.id) + 1 if clause.id in ids else None, comment_count=counts.get(clause.id, 0),
        proposal_count=services.open_proposal_counts(db.session, agreement).get(clause.id, 0),
        confirm=ConfirmForm(formdata=None), first=bool(ids) and ids[0] == clause.id,
        last=bool(ids) and ids[-1] == clause.id,
    )


@bp.get("/alliances/<slug>/agreement/clauses/<int:clause_id>")
@login_required
def show_clause(slug: str, clause_id: int) -> Response | str:
    """One clause with its proposals, history and discussion (or just the clause, for htmx)."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    clause = _clause(agreement, clause_id)
    if targets(f"clause-{clause.id}"):
        response = make_response(_clause_fragment(alliance, agreement, clause))
        response.vary.add("HX-Target")
        return response
    subject = _clause_subject(db.session, clause.id)
    assert subject is not None
    proposals = [p for p in services.proposals(db.session, agreement) if p.clause_id == clause.id]
    history = db.session.scalars(
        select(ClauseRevision).where(ClauseRevision.clause_id == clause.id)
        .options(selectinload(ClauseRevision.author)).order_by(ClauseRevision.lock_version.desc()).limit(6)
    ).all()
    response = make_response(render_template(
        "agreements/clause.html", alliance=alliance, agreement=agreement, clause=clause,
        number=services.clause_number(db.session, clause), proposals=proposals, history=history,
        **thread_context(CLAUSE_SUBJECT, clause.id, subject),
    ))
    response.vary.add("HX-Target")
    return response


def _clause_form_response(
    alliance: Alliance, agreement: Agreement, clause: Clause, form: ClauseForm, status: int,
    conflict: EditConflict | None = None,
) -> Response:
    return render(
        "agreements/clause_edit.html", fragment="agreements/_clause_form.html", target=f"clause-{clause.id}",
        status=status, alliance=alliance, agreement=agreement, clause=clause, form=form, conflict=conflict,
        number=services.clause_number(db.session, clause),
    )


@bp.route("/alliances/<slug>/agreement/clauses/<int:clause_id>/edit", methods=["GET", "POST"])
@login_required
def edit_clause(slug: str, clause_id: int) -> Response:
    """Change a clause in place; a stale save answers 409 with both texts side by side."""
    alliance = _alliance(slug, Permission.AGREEMENT_CLAUSE_EDIT)
    agreement = _agreement(alliance)
    clause = _clause(agreement, clause_id)
    if clause.is_retired:
        abort(404)
    _stop_if_drafting_closed(agreement)
    prefix = f"clause-{clause.id}"
    if request.method == "GET":
        form = ClauseForm(formdata=None, obj=clause, prefix=prefix)
        return _clause_form_response(alliance, agreement, clause, form, 200)
    form = ClauseForm(prefix=prefix)
    if "preview" in request.form:
        form.validate()
        form.heading.errors, form.body.errors = [], []
        return _clause_form_response(alliance, agreement, clause, form, 200)
    if form.validate_on_submit():
        try:
            saved = services.edit_clause(
                db.session, current_user, clause, heading=form.heading.data, body=form.body.data,
                lock_version=form.lock_version.data,
            )
        except EditConflict as conflict:
            db.session.rollback()
            current = db.session.get(Clause, clause.id, populate_existing=True)
            assert current is not None
            # The merge form starts from the person's own text and the current lock version.
            form.lock_version.data = current.lock_version
            return _clause_form_response(alliance, agreement, current, form, 409, conflict=conflict)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            if targets(f"clause-{clause.id}"):
                response = make_response(_clause_fragment(alliance, agreement, saved))
                response.headers["HX-Trigger"] = "clauseSaved"
                return response
            flash(f"Clause {services.clause_number(db.session, saved)} has been saved.", "success")
            return redirect_to(url_for("agreements.show", slug=alliance.slug) + f"#clause-{saved.id}")
    return _clause_form_response(alliance, agreement, clause, form, 422)


@bp.route("/alliances/<slug>/agreement/clauses/new", methods=["GET", "POST"])
@login_required
def new_clause(slug: str) -> Response | tuple[str, int] | str:
    """Add a clause at the end of the draft."""
    alliance = _alliance(slug, Permission.AGREEMENT_CLAUSE_EDIT)
    agreement = _agreement(alliance)
    _stop_if_drafting_closed(agreement, "Propose a new clause instead")
    form = NewClauseForm()
    if "preview" not in request.form and form.validate_on_submit():
        try:
            clause = services.add_clause(db.session, current_user, agreement, heading=form.heading.data, body=form.body.data)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("The clause has been added.", "success")
            return redirect_to(url_for("agreements.show", slug=alliance.slug) + f"#clause-{clause.id}")
    status = form_status() if "preview" not in request.form else 200
    return render_template("agreements/clause_new.html", alliance=alliance, agreement=agreement, form=form), status


@bp.post("/alliances/<slug>/agreement/clauses/<int:clause_id>/move")
@login_required
def move_clause(slug: str, clause_id: int) -> Response:
    """Move a clause up or down (plain buttons; no JavaScript needed)."""
    alliance = _alliance(slug, Permission.AGREEMENT_CLAUSE_EDIT)
    agreement = _agreement(alliance)
    clause = _clause(agreement, clause_id)
    _stop_if_drafting_closed(agreement)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.move_clause(db.session, current_user, clause, request.form.get("direction", ""))
    except DomainError as error:
        db.session.rollback()
        _stop(error.status, error.message)
    db.session.commit()
    return redirect_to(url_for("agreements.show", slug=alliance.slug) + f"#clause-{clause.id}")


@bp.route("/alliances/<slug>/agreement/clauses/<int:clause_id>/retire", methods=["GET", "POST"])
@login_required
def retire_clause(slug: str, clause_id: int) -> Response | str:
    """Check, then retire a clause from the draft."""
    alliance = _alliance(slug, Permission.AGREEMENT_CLAUSE_EDIT)
    agreement = _agreement(alliance)
    clause = _clause(agreement, clause_id)
    _stop_if_drafting_closed(agreement)
    if request.method == "GET":
        return render_template("agreements/clause_retire.html", alliance=alliance, agreement=agreement, clause=clause,
                               number=services.clause_number(db.session, clause), form=ConfirmForm(formdata=None))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.retire_clause(db.session, current_user, clause)
    except DomainError as error:
        db.session.rollback()
        _stop(error.status, error.message)
    db.session.commit()
    flash(f"\u201c{clause.heading}\u201d has been retired. Its history is kept.", "success")
    return redirect_to(url_for("agreements.show", slug=alliance.slug))


@bp.get("/alliances/<slug>/agreement/clauses/<int:clause_id>/history")
@login_required
def clause_history(slug: str, clause_id: int) -> str:
    """Every accepted change to a clause, newest first, each with what it changed."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    clause = _clause(agreement, clause_id)
    stmt = (
        select(ClauseRevision).where(ClauseRevision.clause_id == clause.id)
        .options(selectinload(ClauseRevision.author)).order_by(ClauseRevision.lock_version.desc())
    )
    page = paginate(db.session, stmt, page_number(), per_page=20)
    items = list(page.items)
    # The revision before the oldest on this page, to diff against.
    before = db.session.scalar(
        select(ClauseRevision).where(ClauseRevision.clause_id == clause.id, ClauseRevision.lock_version < items[-1].lock_version)
        .order_by(ClauseRevision.lock_version.desc()).limit(1)
    ) if items else None
    pairs = [(rev, items[i + 1] if i + 1 < len(items) else before) for i, rev in enumerate(items)]
    return render_template("agreements/clause_history.html", alliance=alliance, agreement=agreement, clause=clause,
                           page=page, pairs=pairs)


# Drafting and publishing -------------------------------------------------------------------


@bp.route("/alliances/<slug>/agreement/publish", methods=["GET", "POST"])
@login_required
def publish(slug: str) -> Response | tuple[str, int] | str:
    """Check, then publish the current clauses as the next version."""
    alliance = _alliance(slug, Permission.AGREEMENT_VERSION_PUBLISH)
    agreement = _agreement(alliance)
    latest = services.latest_version(db.session, agreement)
    number = latest.number + 1 if latest else 1
    form = ConfirmForm()
    errors: list[str] = []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            version = services.publish(db.session, current_user, agreement)
        except DomainError as error:
            db.session.rollback()
            errors.append(error.message)
        else:
            db.session.commit()
            flash(f"Version {version.number} has been published. Each member organisation can now sign it.", "success")
            return redirect_to(url_for("agreements.show_version", slug=alliance.slug, number=version.number))
    open_proposals = services.proposals(db.session, agreement, open_only=True)
    return render_template(
        "agreements/publish.html", alliance=alliance, agreement=agreement, number=number, form=form, errors=errors,
        clauses=services.active_clauses(db.session, agreement), open_proposals=open_proposals,
    ), (422 if errors else 200)


@bp.post("/alliances/<slug>/agreement/drafting")
@login_required
def open_drafting(slug: str) -> Response:
    """Open the agreement for direct drafting of the next version."""
    alliance = _alliance(slug, Permission.AGREEMENT_VERSION_PUBLISH)
    agreement = _agreement(alliance)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.open_drafting(db.session, current_user, agreement)
    except DomainError as error:
        db.session.rollback()
        _stop(409, error.message)
    db.session.commit()
    flash("Drafters can now change clauses directly for the next version.", "success")
    return redirect_to(url_for("agreements.show", slug=alliance.slug))


# Proposals ----------------------------------------------------------------------------------


@bp.get("/alliances/<slug>/agreement/proposals")
@login_required
def proposals(slug: str) -> str:
    """Every proposal, open ones first."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    items = services.proposals(db.session, agreement)
    return render_template("agreements/proposals.html", alliance=alliance, agreement=agreement,
                           open_items=[p for p in items if p.is_open], closed_items=[p for p in items if not p.is_open])


@bp.route("/alliances/<slug>/agreement/proposals/new", methods=["GET", "POST"])
@login_required
def new_proposal(slug: str) -> Response | tuple[str, int] | str:
    """Propose a change to a clause (?clause=<id>) or a new clause."""
    alliance = _alliance(slug, Permission.AGREEMENT_PROPOSAL_CREATE)
    agreement = _agreement(alliance)
    clause = None
    raw = request.values.get("clause")
    if raw:
        clause_id = parse_id(raw)
        if clause_id is None:
            abort(404)
        clause = _clause(agreement, clause_id)
        if clause.is_retired:
            abort(404)
    form = ProposalForm()
    if request.method == "GET" and clause is not None:
        form.heading.data, form.body.data = clause.heading, clause.body
    if "preview" not in request.form and form.validate_on_submit():
        try:
            proposal = services.propose(
                db.session, current_user, agreement, clause=clause, heading=form.heading.data, body=form.body.data,
                reason=form.reason.data, closes_on=form.closes_on.data,
            )
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("Your proposal has been made. Every seat has been asked to respond.", "success")
            return redirect_to(url_for("agreements.show_proposal", slug=alliance.slug, proposal_id=proposal.id))
    status = form_status() if "preview" not in request.form else 200
    return render_template("agreements/proposal_form.html", alliance=alliance, agreement=agreement, clause=clause,
                           form=form, proposal=None), status


@bp.get("/alliances/<slug>/agreement/proposals/<int:proposal_id>")
@login_required
def show_proposal(slug: str, proposal_id: int) -> str:
    """A proposal: the tracked changes, the reason, who has responded and who has not, the discussion."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    proposal = _proposal(agreement, proposal_id)
    return _proposal_page(alliance, agreement, proposal, ResponseForm(formdata=None))


def _proposal_page(alliance: Alliance, agreement: Agreement, proposal: Proposal, form: ResponseForm, status: int = 200) -> Any:
    state = services.consent_state(db.session, proposal)
    seat = services.seat_for(db.session, alliance, current_user)
    mine = state.responses.get(seat.key) if seat else None
    if mine is not None and form.response.data is None and not form.errors:
        form.response.data, form.reason.data = mine.response.value, mine.reason
    subject = _proposal_subject(db.session, proposal.id)
    assert subject is not None
    return render_template(
        "agreements/proposal.html", alliance=alliance, agreement=agreement, proposal=proposal, state=state,
        seat=seat, mine=mine, form=form, ResponseKind=ResponseKind,
        can_respond=proposal.is_open and seat is not None and can(Permission.AGREEMENT_PROPOSAL_RESPOND, alliance),
        **thread_context(PROPOSAL_SUBJECT, proposal.id, subject),
    ), status


@bp.post("/alliances/<slug>/agreement/proposals/<int:proposal_id>/respond")
@login_required
def respond(slug: str, proposal_id: int) -> Response | tuple[str, int]:
    """Agree, stand aside or object, for your seat."""
    alliance = _alliance(slug, Permission.AGREEMENT_PROPOSAL_RESPOND)
    agreement = _agreement(alliance)
    proposal = _proposal(agreement, proposal_id)
    form = ResponseForm()
    if form.validate_on_submit():
        try:
            services.respond(db.session, current_user, proposal, response=form.response.data, reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            if error.status == 403:
                abort(403)
            form.add_domain_error(error)
        else:
            db.session.commit()
            if proposal.status.value == "carried":
                flash("Thank you. Every seat has now responded with no objection, so the proposal is carried and the agreement has changed.", "success")
            else:
                flash("Thank you. Your response has been recorded.", "success")
            return redirect_to(url_for("agreements.show_proposal", slug=alliance.slug, proposal_id=proposal.id))
    return _proposal_page(alliance, agreement, proposal, form, 422)


@bp.route("/alliances/<slug>/agreement/proposals/<int:proposal_id>/revise", methods=["GET", "POST"])
@login_required
def revise_proposal(slug: str, proposal_id: int) -> Response | tuple[str, int] | str:
    """The proposer changes their proposal (which clears all responses)."""
    alliance = _alliance(slug, Permission.AGREEMENT_PROPOSAL_CREATE)
    agreement = _agreement(alliance)
    proposal = _proposal(agreement, proposal_id)
    if proposal.proposer_id != current_user.id or not proposal.is_open:
        abort(403)
    form = ProposalForm(obj=proposal if request.method == "GET" else None)
    if "preview" not in request.form and form.validate_on_submit():
        try:
            services.revise_proposal(db.session, current_user, proposal, heading=form.heading.data, body=form.body.data,
                                     reason=form.reason.data, closes_on=form.closes_on.data)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("Your proposal has been changed. Every seat has been asked to respond again.", "success")
            return redirect_to(url_for("agreements.show_proposal", slug=alliance.slug, proposal_id=proposal.id))
    status = form_status() if "preview" not in request.form else 200
    return render_template("agreements/proposal_form.html", alliance=alliance, agreement=agreement,
                           clause=proposal.clause, form=form, proposal=proposal), status


@bp.route("/alliances/<slug>/agreement/proposals/<int:proposal_id>/decide", methods=["GET", "POST"])
@login_required
def decide_proposal(slug: str, proposal_id: int) -> Response | tuple[str, int] | str:
    """A commissioner closes a proposal as withdrawn or decides it with a reserved power."""
    alliance = _alliance(slug, Permission.AGREEMENT_PROPOSAL_DECIDE)
    agreement = _agreement(alliance)
    proposal = _proposal(agreement, proposal_id)
    if not proposal.is_open:
        _stop(409, "This proposal is already closed. See the decision register.")
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            if form.outcome.data == "withdraw":
                services.withdraw_proposal(db.session, current_user, proposal, form.reason.data)
            else:
                services.decide_reserved(db.session, current_user, proposal,
                                         apply=form.outcome.data == "reserved_apply", reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("Your decision has been recorded in the decision register.", "success")
            return redirect_to(url_for("agreements.decisions", slug=alliance.slug) + f"#decision-{proposal.id}")
    return render_template("agreements/decide.html", alliance=alliance, agreement=agreement, proposal=proposal,
                           form=form), form_status()


@bp.get("/alliances/<slug>/agreement/decisions")
@login_required
def decisions(slug: str) -> str:
    """The decision register: every decision, its date, the responses and reasons."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    return render_template("agreements/decisions.html", alliance=alliance, agreement=agreement,
                           items=services.decisions(db.session, agreement))


# Versions -------------------------------------------------------------------------------------


@bp.get("/alliances/<slug>/agreement/versions")
@login_required
def versions(slug: str) -> str:
    """Every published version with its date, SHA-256 and signatures."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    items = services.versions(db.session, agreement)
    required = services.member_organisations(db.session, alliance)
    required_ids = {seat.organisation.id for seat in required if seat.organisation}
    in_force = next((v for v in items if v.in_force_at is not None), None)
    return render_template("agreements/versions.html", alliance=alliance, agreement=agreement, items=items,
                           required_ids=required_ids, n=len(required_ids), in_force=in_force)


@bp.get("/alliances/<slug>/agreement/versions/<int:number>")
@login_required
def show_version(slug: str, number: int) -> str:
    """One published version: its text, SHA-256, signatures and downloads."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    version = _version(agreement, number)
    status = services.signature_status(db.session, version)
    membership = services.signing_organisation(db.session, alliance, current_user)
    signed_mine = membership is not None and membership.organisation_id in status.signed
    return render_template(
        "agreements/version.html", alliance=alliance, agreement=agreement, version=version, status=status,
        can_sign=can(Permission.AGREEMENT_SIGN, alliance) and membership is not None and not signed_mine
        and services.can_be_signed(db.session, version),
        signed_mine=signed_mine, in_force=services.version_in_force(db.session, agreement),
        latest=services.latest_version(db.session, agreement),
    )


@bp.get("/alliances/<slug>/agreement/compare")
@login_required
def compare(slug: str) -> str | tuple[str, int]:
    """Compare any two versions clause by clause (?from=1&to=2)."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    numbers = [v.number for v in services.versions(db.session, agreement)]
    a, b = query_id("from"), query_id("to")
    if a is None or b is None:
        if request.args.get("from") or request.args.get("to"):
            abort(404)  # a version number that cannot exist, such as 9223372036854775808
        if not numbers:
            abort(404)
        b = numbers[0]
        a = numbers[1] if len(numbers) > 1 else numbers[0]
    older, newer = _version(agreement, min(a, b)), _version(agreement, max(a, b))
    return render_template("agreements/compare.html", alliance=alliance, agreement=agreement, older=older, newer=newer,
                           rows=services.compare_versions(older, newer), numbers=sorted(numbers))


@bp.route("/alliances/<slug>/agreement/versions/<int:number>/sign", methods=["GET", "POST"])
@login_required
# Re-entering the password must not become a way to guess it: failed attempts are limited.
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=lambda response: response.status_code == 422)
def sign(slug: str, number: int) -> Response | tuple[str, int]:
    """Sign a version for your organisation: password, full name and the explicit statement."""
    alliance = _alliance(slug, Permission.AGREEMENT_SIGN)
    agreement = _agreement(alliance)
    version = _version(agreement, number)
    membership = services.signing_organisation(db.session, alliance, current_user)
    if membership is None or membership.organisation is None:
        abort(403)
    status = services.signature_status(db.session, version)
    existing = status.signed.get(membership.organisation_id)
    form = SignForm()
    statement = services.statement_for(version, membership.organisation)
    if existing is None and not services.can_be_signed(db.session, version):
        _stop(409, "A newer version has replaced this one, so it can no longer be signed.")
    if request.method == "POST" and existing is None:
        if form.validate_on_submit():
            if form.sha256.data and form.sha256.data != version.sha256:
                form.form_errors.append("The version changed while you were signing. Read the statement again.")
            else:
                try:
                    services.sign(
                        db.session, current_user, version, password=form.password.data, typed_name=form.typed_name.data,
                        confirmed=bool(form.confirm.data), ip_address=request.remote_addr or "",
                        user_agent=request.headers.get("User-Agent", ""),
                    )
                except services.AlreadySigned:
                    db.session.rollback()
                    flash(f"{membership.organisation.name} has already signed version {version.number}. Nothing more to do.", "info")
                    return redirect_to(url_for("agreements.show_version", slug=alliance.slug, number=version.number))
                except DomainError as error:
                    db.session.rollback()
                    form.add_domain_error(error)
                else:
                    db.session.commit()
                    flash(f"You have signed version {version.number} for {membership.organisation.name}.", "success")
                    return redirect_to(url_for("agreements.show_version", slug=alliance.slug, number=version.number))
        form.password.data = ""
    elif request.method == "POST":
        flash(f"{membership.organisation.name} has already signed version {version.number}. Nothing more to do.", "info")
        return redirect_to(url_for("agreements.show_version", slug=alliance.slug, number=version.number))
    return render_template(
        "agreements/sign.html", alliance=alliance, agreement=agreement, version=version, form=form,
        statement=statement, organisation=membership.organisation, existing=existing,
        two_step_on=two_step.is_enabled(db.session, current_user),  # two-step sign-in (issue 7)
    ), form_status()


@bp.get("/alliances/<slug>/agreement/versions/<int:number>/export.md")
@login_required
def export_markdown(slug: str, number: int) -> Response:
    """The version's canonical Markdown; its SHA-256 is the published hash."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    version = _version(agreement, number)
    services.record_export(db.session, current_user, version, "markdown")
    db.session.commit()
    response = make_response(version.canonical_text.encode("utf-8"))
    response.headers["Content-Type"] = "text/markdown; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{alliance.slug}-agreement-v{version.number}.md"'
    return response


@bp.get("/alliances/<slug>/agreement/versions/<int:number>/export.pdf")
@login_required
def export_pdf(slug: str, number: int) -> Response:
    """A PDF of the version with a signature certificate page."""
    alliance = _alliance(slug)
    agreement = _agreement(alliance)
    version = _version(agreement, number)
    check = services.verify_version(db.session, version)
    # Links in the PDF come from BASE_URL, never from the request's Host header.
    base_url = current_app.config["BASE_URL"]
    html = render_template("agreements/pdf.html", alliance=alliance, version=version, check=check,
                           status=services.signature_status(db.session, version),
                           verify_url=base_url + url_for("agreements.verify_version", public_id=version.public_id),
                           audit_head=audit.current_head(db.session))
    try:
        pdf = render_pdf(html, base_url + "/")
    except PdfUnavailable:
        # WeasyPrint loads Pango as it is imported; a server without it answers this, not a 500.
        current_app.logger.exception("PDF export needs Pango: run scripts/check_prereqs.py to see what to install")
        _stop(503, "We cannot make PDF files at the moment, because the server is missing a program it needs. "
                   "Please tell the person who runs Collab. You can still download this version as a text file.",
              title="PDF export is not available")
    services.record_export(db.session, current_user, version, "pdf")
    db.session.commit()
    response = make_response(pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{alliance.slug}-agreement-v{version.number}.pdf"'
    return response


class PdfUnavailable(Exception):
    """WeasyPrint or the native libraries it needs (Pango, GObject) are missing."""


def render_pdf(html: str, base_url: str) -> bytes:
    """HTML to PDF with WeasyPrint; PdfUnavailable if its native libraries cannot be loaded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error
    try:
        return HTML(string=html, base_url=base_url).write_pdf()
    except OSError as error:
        raise PdfUnavailable(str(error)) from error


# Public verification --------------------------------------------------------------------------


@bp.get("/verify/<public_id>")
def verify_version(public_id: str) -> str:
    """Anyone with the link: the version's hash, signatures and whether the stored text still matches."""
    version = services.find_version_by_public_id(db.session, public_id)
    if version is None:
        abort(404)
    return render_template("agreements/verify_version.html", version=version,
                           check=services.verify_version(db.session, version), full=_may_see_details(version))


def _may_see_details(version: AgreementVersion) -> bool:
    """Signatories, dates and links for public alliances and members; for a private alliance,
    anyone else sees only what the document they hold already says."""
    alliance = version.agreement.alliance
    return alliance.is_public or can(Permission.AGREEMENT_VIEW, alliance)


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def verify() -> tuple[str, int] | str:
    """Paste a SHA-256 or upload an exported Markdown file to see whether it matches a published version."""
    form = VerifyForm()
    matches: list[Any] | None = None
    checked = None
    if request.method == "POST" and form.validate_on_submit():
        upload = form.file.data
        if upload is not None and getattr(upload, "filename", ""):
            data = upload.read(2_000_001)
            if len(data) > 2_000_000:
                form.file.errors = ["The file must be smaller than 2 MB"]
            else:
                checked = sha256_hex(data)
                matches = services.find_by_hash(db.session, checked)
                if not matches:
                    # A text editor may have turned line endings into CRLF; the words are what count.
                    try:
                        normalised = data.decode("utf-8").replace("\r\n", "\n").encode("utf-8")
                    except UnicodeDecodeError:
                        normalised = data
                    if normalised != data:
                        matches = services.find_by_hash(db.session, sha256_hex(normalised))
        elif form.sha256.data:
            checked = clean_sha256(form.sha256.data)
            if checked is None:
                form.sha256.errors = ["Enter a SHA-256: 64 characters, using only 0 to 9 and a to f"]
            else:
                matches = services.find_by_hash(db.session, checked)
        else:
            form.sha256.errors = ["Paste a SHA-256 or choose a file to upload"]
    results = [(v, services.verify_version(db.session, v), _may_see_details(v)) for v in (matches or [])]
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template("agreements/verify.html", form=form, results=results, checked=checked,
                           searched=matches is not None), status
