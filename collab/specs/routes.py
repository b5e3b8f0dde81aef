"""Specification pages: list, drafting, consultation, comments, responses, report, versions."""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import date
from typing import Any

from flask import (
    Response,
    abort,
    flash,
    get_template_attribute,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from collab.agreements.models import Agreement, Clause
from collab.alliances.access import load_alliance
from collab.alliances.models import Alliance, Membership, Role
from collab.csv_export import csv_download
from collab.db import db
from collab.documents.diff import render_diff
from collab.documents.locking import EditConflict
from collab.documents.subjects import Subject, register_subject
from collab.errors import DomainError
from collab.security import Permission, can, require
from collab.specs import bp, services
from collab.specs.forms import (
    ConfirmForm,
    ConsultationForm,
    MoveForm,
    NewSectionForm,
    PublishForm,
    RedraftForm,
    ReplyForm,
    ResponseForm,
    SectionForm,
    SpecCommentForm,
    SpecDetailsForm,
    SpecForm,
    SupportForm,
    parse_int,
)
from collab.specs.models import Outcome, Spec, SpecClauseLink, SpecComment, SpecParagraph, SpecSection, SpecStatus
from collab.specs.readability import LONG_SENTENCE, MAX_AVERAGE_SENTENCE, MIN_READING_EASE
from collab.web import (  # trust-web: query_id
    Page,
    add_alliance_section,
    form_status,
    get_or_404,
    page_number,
    paginate,
    query_id,
    redirect_to,
    render,
    targets,
)

add_alliance_section("Service specifications", "specs.index", Permission.SPEC_VIEW, order=20)

REPORT_PAGE_SIZE = 50
COMMENTS_PAGE_SIZE = 25


# Loading ---------------------------------------------------------------------------------


def _spec(slug: str, spec_id: int, permission: Permission = Permission.SPEC_VIEW) -> Spec:
    """The spec in this alliance (404 if it is not there or you cannot see the alliance)."""
    alliance = load_alliance(slug)
    spec = services.get_spec(db.session, alliance, spec_id)
    if spec is None:
        abort(404)
    require(permission, spec)
    return spec


def _section(spec: Spec, section_id: int) -> SpecSection:
    return get_or_404(db.session, SpecSection, section_id, spec_id=spec.id)


def _spec_comment(spec: Spec, spec_comment_id: int) -> SpecComment:
    sc = db.session.get(SpecComment, spec_comment_id)
    if sc is None or sc.spec_id != spec.id or sc.comment.is_deleted:
        abort(404)
    if sc.comment.is_hidden and not (_moderator(spec) or sc.comment.author_id == current_user.id):
        abort(404)
    return sc


def _moderator(spec: Spec) -> bool:
    return can(Permission.DOCUMENT_COMMENT_HIDE, spec.alliance)


def _paragraph_url(spec: Spec, paragraph_id: int) -> str:
    return url_for("specs.paragraph", slug=spec.alliance.slug, spec_id=spec.id, paragraph_id=paragraph_id)


def _load_paragraph_subject(session: Any, paragraph_id: int) -> Subject | None:
    paragraph = session.get(SpecParagraph, paragraph_id)
    if paragraph is None:
        return None
    spec = paragraph.spec
    return Subject(
        alliance=spec.alliance,
        label=f"a paragraph of {spec.title}",
        url=_paragraph_url(spec, paragraph.id),
        open_for_comments=spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING),
        closed_reason="Comments are closed for this specification.",
        top_level_comments=False,  # specs.add_comment stores the quote and role with each one
    )


# Shared comment routes (change, delete, hide) load spec paragraphs through this.
register_subject(services.SUBJECT, _load_paragraph_subject)


# The list and new specs ------------------------------------------------------------------


@bp.get("/alliances/<slug>/specs")
@login_required
def index(slug: str) -> str:
    """The alliance's service specifications."""
    alliance = load_alliance(slug, Permission.SPEC_VIEW)
    specs = services.specs_for(db.session, alliance)
    return render_template(
        "specs/index.html", alliance=alliance, specs=specs,
        counts=services.spec_outcome_counts(db.session, [s.id for s in specs]),
    )


@bp.route("/alliances/<slug>/specs/new", methods=["GET", "POST"])
@login_required
def create(slug: str) -> Response | tuple[str, int]:
    """Start a new specification."""
    alliance = load_alliance(slug, Permission.SPEC_CREATE)
    form = SpecForm()
    if form.validate_on_submit():
        try:
            spec = services.create_spec(
                db.session, current_user, alliance, title=form.title.data, service_area=form.service_area.data,
                summary=form.summary.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("The specification has been started. Next, write its sections.", "success")
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id))
    return render_template("specs/new.html", alliance=alliance, form=form), form_status()


# Reading ---------------------------------------------------------------------------------


def _layout(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group consecutive list items into lists, for the template."""
    out: list[dict[str, Any]] = []
    for block in blocks:
        if block["kind"] == "item":
            last = out[-1] if out else None
            if last is not None and last["type"] == "list" and last["group"] == block["list"]:
                last["items"].append(block)
                continue
            out.append({"type": "list", "group": block["list"], "ordered": block["ordered"], "start": block["start"], "items": [block]})
        else:
            out.append({"type": "block", "block": block})
    return out


#: About how many paragraphs one request renders; longer specs load the rest section by
#: section as the reader scrolls (htmx "revealed"), or with a "continue reading" link without JS.
BLOCKS_PER_REQUEST = 80


def _window(sections: list[Any], start: int) -> tuple[list[Any], int | None]:
    """Sections from ``start`` until about BLOCKS_PER_REQUEST blocks; and where the next window starts."""
    chosen, blocks = [], 0
    index = start
    while index < len(sections) and (not chosen or blocks + len(sections[index].blocks) <= BLOCKS_PER_REQUEST):
        chosen.append(sections[index])
        blocks += len(sections[index].blocks)
        index += 1
    return chosen, index if index < len(sections) else None


#: Rendered blocks of frozen sections, by (section version, can comment, link prefix). Versions never
#: change, so entries never go stale; only the comment counts differ, and they are filled in per request.
_BLOCKS_CACHE: OrderedDict[tuple[int, bool, str], str] = OrderedDict()
_BLOCKS_CACHE_SIZE = 512
_COUNT_MARK = re.compile(r"<!--count:(\d+)-->")


def _section_html(section: Any, can_comment: bool, paragraph_base: str, counts: dict[int, int]) -> Markup:
    key = (section.id, can_comment, paragraph_base)
    html = _BLOCKS_CACHE.get(key)
    if html is None:
        macro = get_template_attribute("specs/_macros.html", "blocks")
        html = str(macro(_layout(section.blocks), None, paragraph_base, section.heading, can_comment))
        _BLOCKS_CACHE[key] = html
        while len(_BLOCKS_CACHE) > _BLOCKS_CACHE_SIZE:
            _BLOCKS_CACHE.popitem(last=False)

    def count(match: re.Match[str]) -> str:
        n = counts.get(int(match.group(1)), 0)
        return (f'<span class="collab-count">{n}<span class="govuk-visually-hidden"> '
                f'comment{"" if n == 1 else "s"} so far</span></span>')

    return Markup(_COUNT_MARK.sub(count, html))


@bp.get("/alliances/<slug>/specs/<int:spec_id>")
@login_required
def show(slug: str, spec_id: int) -> Response | str:
    """The specification as shared: every paragraph, with its comments during consultation."""
    spec = _spec(slug, spec_id)
    alliance = spec.alliance
    if spec.current_version_id is None:
        if can(Permission.SPEC_EDIT, spec):
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id))
        return render_template("specs/not_shared.html", alliance=alliance, spec=spec)
    version = spec.current_version
    assert version is not None
    sections = services.section_versions(db.session, version)
    start = min(query_id("from") or 0, max(len(sections) - 1, 0))
    shown, next_start = _window(sections, start)
    moderator = _moderator(spec)
    can_comment = spec.is_taking_comments and can(Permission.DOCUMENT_COMMENT_ADD, alliance)
    paragraph_base = _paragraph_url(spec, 0)[:-1]
    counts = services.paragraph_counts(db.session, spec, current_user, moderator)
    context = {
        "alliance": alliance, "spec": spec, "version": version,
        "sections": [(s, s.blocks, start + i + 1) for i, s in enumerate(shown)],
        "section_html": {s.id: _section_html(s, can_comment, paragraph_base, counts) for s in shown},
        "all_sections": sections, "start": start, "next_start": next_start,
        "next_heading": sections[next_start].heading if next_start is not None else None,
        "removed": services.removed_paragraph_comments(db.session, spec),
        "can_comment": can_comment,
    }
    if targets("spec-more"):
        return render("specs/show.html", fragment="specs/_sections.html", target="spec-more", **context)
    return render(
        "specs/show.html", fragment="specs/_sections.html", target="spec-more",
        links=_clause_links(spec), waiting=services.unanswered_count(db.session, spec) if spec.is_reviewing else 0,
        **context,
    )


def _clause_links(spec: Spec) -> list[SpecClauseLink]:
    return list(
        db.session.scalars(
            select(SpecClauseLink).join(Clause).where(SpecClauseLink.spec_id == spec.id)
            .options(selectinload(SpecClauseLink.clause)).order_by(Clause.position)
        )
    )


def _member_choices(alliance: Alliance) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Membership.user_id, Membership.role)
        .where(Membership.alliance_id == alliance.id)
    ).all()
    from collab.accounts.models import User

    names = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_([r[0] for r in rows]))).all())
    people = sorted(((names.get(uid, ""), uid, role) for uid, role in rows), key=lambda t: t[0].lower())
    return [("", "No one: it is my own comment")] + [(str(uid), f"{name} ({Role(role).label.lower()})") for name, uid, role in people]


def _paragraph_context(spec: Spec, paragraph: SpecParagraph, form: SpecCommentForm | None = None,
                       reply_forms: dict[int, ReplyForm] | None = None) -> dict[str, Any]:
    alliance = spec.alliance
    moderator = _moderator(spec)
    items = list(
        db.session.scalars(
            services.comments_query(spec, services.CommentFilter(paragraph_id=paragraph.id), current_user, moderator)
        )
    )
    on_behalf = can(Permission.DOCUMENT_COMMENT_ON_BEHALF, alliance)
    if form is None:
        form = SpecCommentForm(formdata=None)
    if on_behalf:
        form.on_behalf_of.choices = _member_choices(alliance)
    return {
        "alliance": alliance,
        "spec": spec,
        "paragraph": paragraph,
        "items": items,
        "replies": services.replies_for(db.session, items, current_user, moderator),
        "supported": services.supported_by(db.session, current_user, [i.id for i in items]),
        "form": form,
        "reply_forms": reply_forms or {},
        "on_behalf": on_behalf,
        "moderator": moderator,
        "can_comment": spec.is_taking_comments and not paragraph.is_removed and can(Permission.DOCUMENT_COMMENT_ADD, alliance),
        "can_reply": spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING) and can(Permission.DOCUMENT_COMMENT_ADD, alliance),
        "can_support": spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING) and can(Permission.SPEC_COMMENT_SUPPORT, alliance),
        "can_respond": spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING) and can(Permission.SPEC_COMMENT_RESPOND, alliance),
        "dom_id": f"thread-p-{paragraph.id}",
    }


@bp.get("/alliances/<slug>/specs/<int:spec_id>/paragraphs/<int:paragraph_id>")
@login_required
def paragraph(slug: str, spec_id: int, paragraph_id: int) -> Response:
    """One paragraph and its comments (the whole page, or the thread for htmx)."""
    spec = _spec(slug, spec_id)
    found = services.paragraph_for(db.session, spec, paragraph_id)
    if found is None:
        abort(404)
    return render(
        "specs/paragraph.html", fragment="specs/_paragraph_thread.html", target=f"thread-p-{found.id}",
        **_paragraph_context(spec, found),
    )


@bp.post("/alliances/<slug>/specs/<int:spec_id>/paragraphs/<int:paragraph_id>/comments")
@login_required
def add_comment(slug: str, spec_id: int, paragraph_id: int) -> Response:
    """Comment on a paragraph (facilitators may add one for someone else)."""
    spec = _spec(slug, spec_id)
    found = services.paragraph_for(db.session, spec, paragraph_id)
    if found is None:
        abort(404)
    require(Permission.DOCUMENT_COMMENT_ADD, spec.alliance)
    form = SpecCommentForm()
    on_behalf = can(Permission.DOCUMENT_COMMENT_ON_BEHALF, spec.alliance)
    if form.validate_on_submit():
        person = None
        name = None
        if on_behalf:
            person_id = parse_int(form.on_behalf_of.data)
            if person_id:
                from collab.accounts.models import User

                person = db.session.get(User, person_id)
                if person is None:
                    form.on_behalf_of.errors = ["Choose a member of this alliance"]
            name = form.on_behalf_of_name.data or None
            if person is not None and name:
                form.on_behalf_of_name.errors = ["Choose a member or type a name, not both"]
        if not form.on_behalf_of.errors and not form.on_behalf_of_name.errors:
            try:
                sc = services.add_comment(
                    db.session, current_user, found, body=form.body.data, on_behalf_of=person,
                    on_behalf_of_name=name, url=_paragraph_url(spec, found.id),
                )
            except DomainError as error:
                db.session.rollback()
                form.add_domain_error(error)
            else:
                db.session.commit()
                if targets(f"thread-p-{found.id}"):
                    return render("specs/paragraph.html", fragment="specs/_paragraph_thread.html",
                                  target=f"thread-p-{found.id}", **_paragraph_context(spec, found))
                flash("Your comment has been added.", "success")
                return redirect_to(_paragraph_url(spec, found.id) + f"#comment-{sc.comment_id}")
    return render("specs/paragraph.html", fragment="specs/_paragraph_thread.html", target=f"thread-p-{found.id}",
                  status=422, **_paragraph_context(spec, found, form=form))


@bp.post("/alliances/<slug>/specs/<int:spec_id>/comments/<int:comment_id>/replies")
@login_required
def reply(slug: str, spec_id: int, comment_id: int) -> Response:
    """Reply to a comment."""
    spec = _spec(slug, spec_id)
    sc = _spec_comment(spec, comment_id)
    require(Permission.DOCUMENT_COMMENT_ADD, spec.alliance)
    form = ReplyForm()
    url = _paragraph_url(spec, sc.paragraph_id)
    if form.validate_on_submit():
        try:
            made = services.reply(db.session, current_user, sc, body=form.body.data, url=url)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            if targets(f"thread-p-{sc.paragraph_id}"):
                return render("specs/paragraph.html", fragment="specs/_paragraph_thread.html",
                              target=f"thread-p-{sc.paragraph_id}", **_paragraph_context(spec, sc.paragraph))
            flash("Your reply has been added.", "success")
            return redirect_to(f"{url}#comment-{made.id}")
    return render("specs/paragraph.html", fragment="specs/_paragraph_thread.html", target=f"thread-p-{sc.paragraph_id}",
                  status=422, **_paragraph_context(spec, sc.paragraph, reply_forms={sc.id: form}))


@bp.post("/alliances/<slug>/specs/<int:spec_id>/comments/<int:comment_id>/support")
@login_required
def support(slug: str, spec_id: int, comment_id: int) -> Response:
    """Say "this matters to me too" about a comment, or take it back."""
    spec = _spec(slug, spec_id)
    sc = _spec_comment(spec, comment_id)
    require(Permission.SPEC_COMMENT_SUPPORT, spec.alliance)
    form = SupportForm()
    if not form.validate_on_submit():
        abort(400)
    back = request.form.get("next", "")
    try:
        if form.action.data == "remove":
            services.withdraw_support(db.session, current_user, sc)
            message = "You no longer say this matters to you."
        else:
            services.support(db.session, current_user, sc)
            message = "You said this matters to you too."
    except DomainError as error:
        db.session.rollback()
        abort(Response(render_template("errors/error.html", code=422, title="Sorry, we could not do that",
                                       message=error.message), 422))
    db.session.commit()
    if targets(f"support-{sc.id}"):
        return render("specs/paragraph.html", fragment="specs/_support.html", target=f"support-{sc.id}",
                      item=sc, supported=services.supported_by(db.session, current_user, [sc.id]),
                      spec=spec, alliance=spec.alliance, can_support=True)
    flash(message, "success")
    from collab.web import is_safe_next

    target = back if is_safe_next(back) else _paragraph_url(spec, sc.paragraph_id)
    return redirect_to(f"{target}#comment-{sc.comment_id}")


@bp.route("/alliances/<slug>/specs/<int:spec_id>/comments/<int:comment_id>/respond", methods=["GET", "POST"])
@login_required
def respond(slug: str, spec_id: int, comment_id: int) -> Response | tuple[str, int]:
    """Answer a comment: changed, partly changed, not changed (with why) or answered."""
    spec = _spec(slug, spec_id)
    sc = _spec_comment(spec, comment_id)
    require(Permission.SPEC_COMMENT_RESPOND, spec.alliance)
    form = ResponseForm(obj=None)
    form.change_section.choices = [("", "Choose a section")] + [(str(s.id), s.heading) for s in spec.sections]
    if request.method == "GET" and sc.response is not None:
        form.outcome.data = sc.response.outcome.value
        form.text.data = sc.response.text
        form.change_section.data = str(sc.response.change_section_id or "")
    elif request.method == "GET":
        form.change_section.data = str(sc.section_id)
    if form.validate_on_submit():
        section_id = parse_int(form.change_section.data)
        section = db.session.get(SpecSection, section_id) if section_id else None
        try:
            services.respond(
                db.session, current_user, sc, outcome=Outcome(form.outcome.data), text=form.text.data or "",
                change_section=section, url=url_for("specs.report", slug=slug, spec_id=spec.id) + f"#response-{sc.id}",
            )
        except (DomainError, ValueError) as error:
            db.session.rollback()
            if isinstance(error, DomainError):
                form.add_domain_error(error)
            else:
                form.outcome.errors = ["Choose what you did"]
        else:
            db.session.commit()
            flash("Your response has been saved. The person who commented has been told.", "success")
            return redirect_to(_paragraph_url(spec, sc.paragraph_id) + f"#comment-{sc.comment_id}")
    return render_template("specs/respond.html", alliance=spec.alliance, spec=spec, item=sc, form=form), form_status()


def _filters() -> services.CommentFilter:
    status = request.args.get("status")
    return services.CommentFilter(
        section_id=query_id("section"),
        status=status if status in ("awaiting", "responded") else None,
        service_users=request.args.get("from") == "service_users",
    )


@bp.get("/alliances/<slug>/specs/<int:spec_id>/comments")
@login_required
def comments(slug: str, spec_id: int) -> Response:
    """All comments on a spec, filtered by section, status and who they came from."""
    spec = _spec(slug, spec_id)
    moderator = _moderator(spec)
    filters = _filters()
    page: Page[SpecComment] = paginate(
        db.session, services.comments_query(spec, filters, current_user, moderator), page_number(), COMMENTS_PAGE_SIZE
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render(
        "specs/comments.html", fragment="specs/_comment_page.html", target="comment-list",
        alliance=spec.alliance, spec=spec, pager=page, filters=filters, args=args,
        replies=services.replies_for(db.session, page.items, current_user, moderator),
        supported=services.supported_by(db.session, current_user, [i.id for i in page.items]),
        can_support=spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING) and can(Permission.SPEC_COMMENT_SUPPORT, spec.alliance),
        can_respond=spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING) and can(Permission.SPEC_COMMENT_RESPOND, spec.alliance),
        moderator=moderator,
    )


@bp.get("/alliances/<slug>/specs/<int:spec_id>/you-said-we-did")
@login_required
def report(slug: str, spec_id: int) -> Response:
    """"You said, we did": every comment by section, with its outcome, response and text change."""
    spec = _spec(slug, spec_id)
    moderator = _moderator(spec)
    stmt = services.comments_query(spec, services.CommentFilter(), current_user, moderator, brief=True)
    if targets("report-more"):
        page: Page[SpecComment] = paginate(db.session, stmt, page_number(), REPORT_PAGE_SIZE)
        return render("specs/report.html", fragment="specs/_report_rows.html", target="report-more",
                      alliance=spec.alliance, spec=spec, pager=page, moderator=moderator,
                      changes=services.response_changes(db.session, spec, page.items))
    # The counts already hold the total, so the page needs no count query of its own.
    counts = services.report_counts(db.session, spec, current_user, moderator)
    last = max(1, -(-counts.total // REPORT_PAGE_SIZE))
    number = min(page_number(), last)
    items = db.session.scalars(stmt.limit(REPORT_PAGE_SIZE).offset((number - 1) * REPORT_PAGE_SIZE)).all()
    page = Page(items=items, number=number, per_page=REPORT_PAGE_SIZE, total=counts.total)
    return render("specs/report.html", fragment="specs/_report_rows.html", target="report-more", counts=counts,
                  outcomes=services.OUTCOME_ORDER, alliance=spec.alliance, spec=spec, pager=page, moderator=moderator,
                  changes=services.response_changes(db.session, spec, page.items))


@bp.get("/alliances/<slug>/specs/<int:spec_id>/you-said-we-did.csv")
@login_required
def report_csv(slug: str, spec_id: int) -> Response:
    """The "you said, we did" report as a CSV file."""
    spec = _spec(slug, spec_id)
    moderator = _moderator(spec)
    viewer = current_user._get_current_object()  # type: ignore[attr-defined]
    rows = services.report_csv_rows(db.session, spec, viewer, moderator)
    return csv_download(f"you-said-we-did-spec-{spec.id}.csv", services.CSV_HEADER, rows)


# Versions --------------------------------------------------------------------------------


@bp.get("/alliances/<slug>/specs/<int:spec_id>/versions")
@login_required
def versions(slug: str, spec_id: int) -> str:
    """Every shared version, with a form to compare any two."""
    spec = _spec(slug, spec_id)
    return render_template("specs/versions.html", alliance=spec.alliance, spec=spec,
                           versions=services.versions_of(db.session, spec))


@bp.get("/alliances/<slug>/specs/<int:spec_id>/versions/<int:number>")
@login_required
def version(slug: str, spec_id: int, number: int) -> str:
    """One frozen version as it was shared."""
    spec = _spec(slug, spec_id)
    found = services.get_version(db.session, spec, number)
    if found is None:
        abort(404)
    return render_template("specs/version.html", alliance=spec.alliance, spec=spec, version=found,
                           sections=[(s, _layout(s.blocks)) for s in found.sections])


@bp.get("/alliances/<slug>/specs/<int:spec_id>/compare")
@login_required
def compare(slug: str, spec_id: int) -> tuple[str, int] | str:
    """Word-level differences between two versions, section by section."""
    spec = _spec(slug, spec_id)
    all_versions = services.versions_of(db.session, spec)
    numbers = [v.number for v in all_versions]
    old_n = query_id("from") or (numbers[1] if len(numbers) > 1 else None)
    new_n = query_id("to") or (numbers[0] if numbers else None)
    old = next((v for v in all_versions if v.number == old_n), None)
    new = next((v for v in all_versions if v.number == new_n), None)
    if old is None or new is None:
        return render_template("specs/compare.html", alliance=spec.alliance, spec=spec, versions=all_versions,
                               old=None, new=None, changes=[],
                               error="Choose two versions of this specification to compare"), 422 if request.args else 200
    changes = services.compare(db.session, old, new)
    return render_template("specs/compare.html", alliance=spec.alliance, spec=spec, versions=all_versions,
                           old=old, new=new, changes=changes, render_diff=render_diff, error=None)


# Drafting --------------------------------------------------------------------------------


@bp.get("/alliances/<slug>/specs/<int:spec_id>/draft")
@login_required
def draft(slug: str, spec_id: int) -> str:
    """The working draft for authors: each section with its plain-language score."""
    spec = _spec(slug, spec_id, Permission.SPEC_EDIT)
    scores = {s.id: services.load_score(s.readability) for s in spec.sections}
    return render_template(
        "specs/draft.html", alliance=spec.alliance, spec=spec, scores=scores,
        easy_read_score=services.load_score(services.score_text(spec.easy_read)) if spec.easy_read else None,
        new_section=NewSectionForm(formdata=None), confirm=ConfirmForm(formdata=None), links=_clause_links(spec),
        thresholds={"ease": MIN_READING_EASE, "average": MAX_AVERAGE_SENTENCE, "long": LONG_SENTENCE},
    )


@bp.route("/alliances/<slug>/specs/<int:spec_id>/details", methods=["GET", "POST"])
@login_required
def edit_details(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Change the title, service area, summary and easy-read summary."""
    spec = _spec(slug, spec_id, Permission.SPEC_EDIT)
    if not spec.is_editable:
        abort(404)
    form = SpecDetailsForm(obj=spec)
    if request.method == "GET":
        form.lock_version.data = str(spec.lock_version)
    conflict = None
    if form.validate_on_submit():
        try:
            services.update_details(
                db.session, current_user, spec, parse_int(form.lock_version.data) or 0,
                title=form.title.data, service_area=form.service_area.data, summary=form.summary.data or "",
                easy_read=form.easy_read.data or "",
            )
        except EditConflict:
            db.session.rollback()
            current = db.session.get(Spec, spec.id, populate_existing=True)
            conflict = {"your_text": form.easy_read.data or "", "current_text": current.easy_read if current else ""}
            form.lock_version.data = str(current.lock_version if current else 0)
            return render_template("specs/details.html", alliance=spec.alliance, spec=spec, form=form,
                                   conflict=conflict, score=None), 409
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("The specification's details have been saved.", "success")
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id))
    score = services.load_score(services.score_text(form.easy_read.data or "")) if form.easy_read.data else None
    return render_template("specs/details.html", alliance=spec.alliance, spec=spec, form=form, conflict=conflict,
                           score=score), form_status()


@bp.route("/alliances/<slug>/specs/<int:spec_id>/sections/<int:section_id>", methods=["GET", "POST"])
@login_required
def edit_section(slug: str, spec_id: int, section_id: int) -> Response | tuple[str, int]:
    """Edit one section, with its plain-language score; a stale save shows both texts to merge."""
    spec = _spec(slug, spec_id, Permission.SPEC_EDIT)
    section = _section(spec, section_id)
    if not spec.is_editable:
        abort(404)
    form = SectionForm(obj=section)
    if request.method == "GET":
        form.lock_version.data = str(section.lock_version)
    checking = "check" in request.form
    if not checking and form.validate_on_submit():
        try:
            services.save_section(
                db.session, current_user, section, parse_int(form.lock_version.data) or 0,
                heading=form.heading.data, body=form.body.data or "",
            )
        except EditConflict:
            db.session.rollback()
            current = db.session.get(SpecSection, section.id, populate_existing=True)
            assert current is not None
            form.lock_version.data = str(current.lock_version)
            return render_template(
                "specs/section.html", alliance=spec.alliance, spec=spec, section=current, form=form,
                score=services.load_score(services.score_text(form.body.data or "")),
                conflict={"your_text": form.body.data or "", "current_text": current.body,
                          "current_author": current.updated_by.display_name if current.updated_by else None,
                          "current_at": current.updated_at},
            ), 409
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash(f"“{section.heading}” has been saved.", "success")
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id) + f"#section-{section.id}")
    score = services.load_score(services.score_text(form.body.data or "")) if (checking or request.method == "POST") else services.load_score(section.readability)
    status = 200 if checking else form_status()
    return render_template("specs/section.html", alliance=spec.alliance, spec=spec, section=section, form=form,
                           score=score, conflict=None), status


@bp.route("/alliances/<slug>/specs/<int:spec_id>/sections/new", methods=["GET", "POST"])
@login_required
def add_section(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Add a section at the end of the specification."""
    spec = _spec(slug, spec_id, Permission.SPEC_EDIT)
    if not spec.is_editable:
        abort(404)
    form = NewSectionForm()
    if form.validate_on_submit():
        try:
            section = services.add_section(db.session, current_user, spec, heading=form.heading.data)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("The section has been added. Now write its text.", "success")
            return redirect_to(url_for("specs.edit_section", slug=slug, spec_id=spec.id, section_id=section.id))
    return render_template("specs/new_section.html", alliance=spec.alliance, spec=spec, form=form), form_status()


@bp.post("/alliances/<slug>/specs/<int:spec_id>/sections/<int:section_id>/move")
@login_required
def move_section(slug: str, spec_id: int, section_id: int) -> Response:
    """Move a section up or down."""
    spec = _spec(slug, spec_id, Permission.SPEC_EDIT)
    section = _section(spec, section_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.move_section(db.session, current_user, section, form.direction.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash(f"“{section.heading}” has moved {form.direction.data}.", "success")
    return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id) + f"#section-{section.id}")


@bp.route("/alliances/<slug>/specs/<int:spec_id>/clauses", methods=["GET", "POST"])
@login_required
def link_clauses(slug: str, spec_id: int) -> Response | tuple[str, int] | str:
    """Choose the agreement clauses this specification relies on."""
    spec = _spec(slug, spec_id, Permission.SPEC_EDIT)
    clauses = list(
        db.session.scalars(
            select(Clause).join(Agreement).where(Agreement.alliance_id == spec.alliance_id, Clause.retired_at.is_(None))
            .order_by(Clause.position)
        )
    )
    chosen = {link.clause_id for link in _clause_links(spec)}
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        wanted = {parse_int(v) for v in request.form.getlist("clause")} - {None}
        try:
            services.link_clauses(db.session, current_user, spec, [c for c in clauses if c.id in wanted],
                                  unknown=len(wanted - {c.id for c in clauses}))
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("The linked agreement clauses have been saved.", "success")
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id))
        return render_template("specs/clauses.html", alliance=spec.alliance, spec=spec, clauses=clauses,
                               chosen=chosen, form=form), 422
    return render_template("specs/clauses.html", alliance=spec.alliance, spec=spec, clauses=clauses, chosen=chosen,
                           form=form), form_status()


# Stages ----------------------------------------------------------------------------------


@bp.route("/alliances/<slug>/specs/<int:spec_id>/consultation", methods=["GET", "POST"])
@login_required
def open_consultation(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Share the draft and open it for comments between two dates."""
    spec = _spec(slug, spec_id, Permission.SPEC_MANAGE)
    form = ConsultationForm()
    if request.method == "GET":
        form.opens_on.data = date.today()
    if form.validate_on_submit():
        try:
            services.open_consultation(db.session, current_user, spec, opens_on=form.opens_on.data,
                                       closes_on=form.closes_on.data, note=form.note.data or "")
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("The specification is open for comments.", "success")
            return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id))
    return render_template("specs/consultation.html", alliance=spec.alliance, spec=spec, form=form), form_status()


@bp.post("/alliances/<slug>/specs/<int:spec_id>/close")
@login_required
def close_consultation(slug: str, spec_id: int) -> Response:
    """Stop taking comments and start reviewing them."""
    spec = _spec(slug, spec_id, Permission.SPEC_MANAGE)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.close_consultation(db.session, current_user, spec)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash("Comments are closed. Now answer every comment.", "success")
    return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id))


@bp.route("/alliances/<slug>/specs/<int:spec_id>/redraft", methods=["GET", "POST"])
@login_required
def share_redraft(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Share the working draft as a new version; comments move with their paragraphs."""
    spec = _spec(slug, spec_id, Permission.SPEC_MANAGE)
    form = RedraftForm()
    if form.validate_on_submit():
        try:
            version = services.share_redraft(db.session, current_user, spec, note=form.note.data)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash(f"Draft {version.number} has been shared. Comments have moved with their paragraphs.", "success")
            return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id))
    return render_template("specs/redraft.html", alliance=spec.alliance, spec=spec, form=form), form_status()


@bp.route("/alliances/<slug>/specs/<int:spec_id>/publish", methods=["GET", "POST"])
@login_required
def publish(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Publish the final specification (a reason is needed if comments are unanswered)."""
    spec = _spec(slug, spec_id, Permission.SPEC_MANAGE)
    form = PublishForm()
    waiting = services.unanswered_count(db.session, spec)
    if form.validate_on_submit():
        try:
            services.publish(db.session, current_user, spec, override_reason=form.reason.data)
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash("The specification has been published.", "success")
            return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id))
    return render_template("specs/publish.html", alliance=spec.alliance, spec=spec, form=form, waiting=waiting), form_status()
