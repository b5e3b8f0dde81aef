"""Page assembly for specifications: the context each page's template needs, built from services."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.alliances.models import Alliance, Membership
from collab.db import db
from collab.documents import merge
from collab.documents.diff import render_diff
from collab.documents.subjects import Subject
from collab.permissions import permissions_for_role
from collab.security import Permission, can
from collab.specs import rendering, services
from collab.specs.forms import ConfirmForm, NewSectionForm, ReplyForm, SectionForm, SpecCommentForm, SpecDetailsForm
from collab.specs.models import Spec, SpecComment, SpecParagraph, SpecSection, SpecStatus, SpecVersion
from collab.specs.readability import LONG_SENTENCE, MAX_AVERAGE_SENTENCE, MIN_READING_EASE
from collab.web import Page, page_number, paginate

REPORT_PAGE_SIZE = 50
COMMENTS_PAGE_SIZE = 25


def moderator(spec: Spec) -> bool:
    """Whether the person asking may see hidden comments (and hide them)."""
    return can(Permission.DOCUMENT_COMMENT_HIDE, spec.alliance)


def paragraph_url(spec: Spec, paragraph_id: int) -> str:
    return url_for("specs.paragraph", slug=spec.alliance.slug, spec_id=spec.id, paragraph_id=paragraph_id)


def load_paragraph_subject(session: Session, paragraph_id: int) -> Subject | None:
    """A spec paragraph as the shared comment routes (change, delete, hide) see it."""
    paragraph = services.find_paragraph(session, paragraph_id)
    if paragraph is None:
        return None
    spec = paragraph.spec
    return Subject(
        alliance=spec.alliance,
        label=f"a paragraph of {spec.title}",
        url=paragraph_url(spec, paragraph.id),
        open_for_comments=spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING),
        closed_reason="Comments are closed for this specification.",
        top_level_comments=False,  # specs.add_comment stores the quote and role with each one
    )


def _open(spec: Spec) -> bool:
    """Replies, support and responses are open during consultation and review."""
    return spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING)


# The specification as shared ---------------------------------------------------------------


def show_context(spec: Spec, version: SpecVersion, start_at: int | None) -> dict[str, Any]:
    """A window of the shared version's sections, with this viewer's comment counts."""
    alliance = spec.alliance
    sections = services.section_versions(db.session, version)
    start = min(start_at or 0, max(len(sections) - 1, 0))
    shown, next_start = rendering.window(sections, start)
    is_moderator = moderator(spec)
    can_comment = spec.is_taking_comments and can(Permission.DOCUMENT_COMMENT_ADD, alliance)
    paragraph_base = paragraph_url(spec, 0)[:-1]
    counts = services.paragraph_counts(db.session, spec, current_user, is_moderator)
    return {
        "alliance": alliance, "spec": spec, "version": version,
        "sections": [(s, s.blocks, start + i + 1) for i, s in enumerate(shown)],
        "section_html": {s.id: rendering.section_html(s, can_comment, paragraph_base, counts) for s in shown},
        "all_sections": sections, "start": start, "next_start": next_start,
        "next_heading": sections[next_start].heading if next_start is not None else None,
        "removed": services.removed_paragraph_comments(db.session, spec),
        "can_comment": can_comment,
    }


def show_page_extras(spec: Spec) -> dict[str, Any]:
    """What the whole page shows around the sections: linked clauses, comments still waiting."""
    return {
        "links": services.clause_links(db.session, spec),
        "waiting": services.unanswered_count(db.session, spec) if spec.is_reviewing else 0,
    }


def version_sections(version: SpecVersion) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Each section of a frozen version with its blocks laid out for the template."""
    return [(s, rendering.layout(s.blocks)) for s in version.sections]


def compare_context(spec: Spec, old_number: int | None, new_number: int | None) -> dict[str, Any]:
    """Two versions side by side, section by section; by default the latest against the one before."""
    all_versions = services.versions_of(db.session, spec)
    numbers = [v.number for v in all_versions]
    old_n = old_number or (numbers[1] if len(numbers) > 1 else None)
    new_n = new_number or (numbers[0] if numbers else None)
    old = next((v for v in all_versions if v.number == old_n), None)
    new = next((v for v in all_versions if v.number == new_n), None)
    if old is None or new is None:
        return {"alliance": spec.alliance, "spec": spec, "versions": all_versions, "old": None, "new": None,
                "changes": [], "error": "Choose two versions of this specification to compare"}
    changes = services.compare(db.session, old, new)
    return {"alliance": spec.alliance, "spec": spec, "versions": all_versions, "old": old, "new": new,
            "changes": changes, "render_diff": render_diff, "error": None}


# Comments --------------------------------------------------------------------------------------


def member_choices(alliance: Alliance) -> list[tuple[str, str]]:
    """Whom a facilitator can add a comment for: no one, or a member of the alliance."""
    people = services.members_by_name(db.session, alliance)
    return [("", "No one: it is my own comment")] + [(str(uid), f"{name} ({role.label.lower()})") for name, uid, role in people]


def paragraph_context(spec: Spec, paragraph: SpecParagraph, form: SpecCommentForm | None = None,
                      reply_forms: dict[int, ReplyForm] | None = None, *, added: int | None = None,
                      announce: str = "", badge: bool = False) -> dict[str, Any]:
    """One paragraph with its comments, replies and the controls this person may use.

    After htmx added a comment or reply: ``added`` (its comment id) takes the focus, ``announce``
    goes to the polite live region, and with ``badge`` the paragraph's count badge is sent too.
    """
    alliance = spec.alliance
    is_moderator = moderator(spec)
    items = services.paragraph_comments(db.session, spec, paragraph, current_user, is_moderator)
    on_behalf = can(Permission.DOCUMENT_COMMENT_ON_BEHALF, alliance)
    if form is None:
        form = SpecCommentForm(formdata=None)
    if on_behalf:
        form.on_behalf_of.choices = member_choices(alliance)
    return {
        "alliance": alliance,
        "spec": spec,
        "paragraph": paragraph,
        "items": items,
        "replies": services.replies_for(db.session, items, current_user, is_moderator),
        "supported": services.supported_by(db.session, current_user, [i.id for i in items]),
        "form": form,
        "reply_forms": reply_forms or {},
        "on_behalf": on_behalf,
        "moderator": is_moderator,
        "can_comment": spec.is_taking_comments and not paragraph.is_removed and can(Permission.DOCUMENT_COMMENT_ADD, alliance),
        "can_reply": _open(spec) and can(Permission.DOCUMENT_COMMENT_ADD, alliance),
        "can_support": _open(spec) and can(Permission.SPEC_COMMENT_SUPPORT, alliance),
        "can_respond": _open(spec) and can(Permission.SPEC_COMMENT_RESPOND, alliance),
        "dom_id": f"thread-p-{paragraph.id}",
        "added": added,
        "announce": announce,
        "badge": badge,
    }


def support_context(spec: Spec, item: SpecComment) -> dict[str, Any]:
    """The support control of one comment, as htmx swaps it after a click."""
    return {"item": item, "supported": services.supported_by(db.session, current_user, [item.id]),
            "spec": spec, "alliance": spec.alliance, "can_support": True}


def comments_context(spec: Spec, filters: services.CommentFilter, number: int, args: dict[str, str]) -> dict[str, Any]:
    """One page of a spec's comments, filtered, with their replies and controls."""
    is_moderator = moderator(spec)
    page: Page[SpecComment] = paginate(
        db.session, services.comments_query(spec, filters, current_user, is_moderator), number, COMMENTS_PAGE_SIZE
    )
    return {
        "alliance": spec.alliance, "spec": spec, "pager": page, "filters": filters, "args": args,
        "replies": services.replies_for(db.session, page.items, current_user, is_moderator),
        "supported": services.supported_by(db.session, current_user, [i.id for i in page.items]),
        "can_support": _open(spec) and can(Permission.SPEC_COMMENT_SUPPORT, spec.alliance),
        "can_respond": _open(spec) and can(Permission.SPEC_COMMENT_RESPOND, spec.alliance),
        "moderator": is_moderator,
    }


# "You said, we did" --------------------------------------------------------------------------


def report_source(spec: Spec, asked: str | None) -> tuple[list[services.ReportSource], services.ReportSource | None]:
    """The workshops (sources) whose comments are in the report, and the one asked for if it is one of them."""
    sources = services.report_sources(db.session, spec, current_user, moderator(spec))
    chosen = next((s for s in sources if asked and s.key == asked), None)
    return sources, chosen


def report_rows_context(spec: Spec, number: int, source: str | None = None) -> dict[str, Any]:
    """One more page of the report's rows (htmx asks for them as the reader scrolls)."""
    is_moderator = moderator(spec)
    stmt = services.comments_query(spec, services.CommentFilter(source=source), current_user, is_moderator, brief=True)
    page: Page[SpecComment] = paginate(db.session, stmt, number, REPORT_PAGE_SIZE)
    return {"alliance": spec.alliance, "spec": spec, "pager": page, "moderator": is_moderator,
            "changes": services.response_changes(db.session, spec, page.items), "source": source}


def report_context(spec: Spec, number: int, asked_source: str | None = None) -> dict[str, Any]:
    """The whole report page: counts by outcome, role and group, then the first page of rows.

    ``asked_source`` (the ``source`` query parameter) keeps one workshop's comments; a source
    that none of the visible comments came from is ignored, and the report shows everything.
    """
    is_moderator = moderator(spec)
    sources, chosen = report_source(spec, asked_source)
    source = chosen.key if chosen else None
    # The counts already hold the total, so the page needs no count query of its own.
    counts = services.report_counts(db.session, spec, current_user, is_moderator, source)
    last = max(1, -(-counts.total // REPORT_PAGE_SIZE))
    number = min(number, last)
    items = services.report_items(db.session, spec, current_user, is_moderator, number, REPORT_PAGE_SIZE, source)
    page = Page(items=items, number=number, per_page=REPORT_PAGE_SIZE, total=counts.total)
    return {"counts": counts, "outcomes": services.OUTCOME_ORDER, "alliance": spec.alliance, "spec": spec,
            "pager": page, "moderator": is_moderator, "changes": services.response_changes(db.session, spec, page.items),
            "sources": sources, "source": source, "chosen_source": chosen}


# Drafting ------------------------------------------------------------------------------------


def draft_context(spec: Spec) -> dict[str, Any]:
    """The working draft: each section with its plain-language score, and the linked clauses."""
    scores = {s.id: services.load_score(s.readability) for s in spec.sections}
    return {
        "alliance": spec.alliance, "spec": spec, "scores": scores,
        "easy_read_score": services.load_score(services.score_text(spec.easy_read)) if spec.easy_read else None,
        "new_section": NewSectionForm(formdata=None), "confirm": ConfirmForm(formdata=None),
        "links": services.clause_links(db.session, spec),
        "thresholds": {"ease": MIN_READING_EASE, "average": MAX_AVERAGE_SENTENCE, "long": LONG_SENTENCE},
    }


def score_of(text: str | None) -> Any:
    """The plain-language score of text typed into a form (not saved yet)."""
    return services.load_score(services.score_text(text or ""))


#: The fields of each edit page that are merged after a conflict, with their labels.
DETAILS_FIELDS = {"title": "Title", "service_area": "Service area", "summary": "Summary", "easy_read": "Easy-read summary"}
SECTION_FIELDS = {"heading": "Heading", "body": "Text"}


def details_values(spec: Spec) -> dict[str, str]:
    return {name: getattr(spec, name) or "" for name in DETAILS_FIELDS}


def section_values(section: SpecSection) -> dict[str, str]:
    return {"heading": section.heading, "body": section.body}


def details_conflict(spec: Spec, form: SpecDetailsForm, missing: list[merge.Choice] | None = None) -> dict[str, Any]:
    """Someone saved the details first: both people's changes merged, or a choice where they met."""
    current = services.reload_spec(db.session, spec.id)
    assert current is not None
    conflict = merge.form_conflict(form, DETAILS_FIELDS, details_values(current), current.lock_version, missing=missing)
    return {"alliance": spec.alliance, "spec": current, "form": form, "merge": conflict.merge,
            "hidden": conflict.hidden, "missing": conflict.missing, "score": None}


def section_conflict(
    spec: Spec, section: SpecSection, form: SectionForm, missing: list[merge.Choice] | None = None
) -> dict[str, Any]:
    """Someone saved the section first: both people's changes merged, or a choice where they met."""
    current = services.reload_section(db.session, section.id)
    assert current is not None
    conflict = merge.form_conflict(
        form, SECTION_FIELDS, section_values(current), current.lock_version, missing=missing,
        current_author=current.updated_by.display_name if current.updated_by else None, current_at=current.updated_at,
    )
    return {"alliance": spec.alliance, "spec": spec, "section": current, "form": form, "score": score_of(form.body.data),
            "merge": conflict.merge, "hidden": conflict.hidden, "missing": conflict.missing}


MY_COMMENTS_PAGE_SIZE = 25


def my_comments_context() -> dict[str, Any]:
    """"My comments": the signed-in person's comments in every alliance where they can read specifications."""
    roles = db.session.execute(select(Membership.alliance_id, Membership.role).where(Membership.user_id == current_user.id))
    readable = [alliance_id for alliance_id, role in roles if Permission.SPEC_VIEW in permissions_for_role(role)]
    page = paginate(db.session, services.my_comments_query(current_user, readable), page_number(),
                    per_page=MY_COMMENTS_PAGE_SIZE)
    return {
        "page": page,
        "replies": services.reply_counts(db.session, [sc.comment_id for sc in page.items]),
        "paragraph_url": paragraph_url,
    }
