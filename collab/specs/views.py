"""Page assembly for specifications: the context each page's template needs, built from services."""

from __future__ import annotations

from dataclasses import dataclass
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


def section_comments_url(spec: Spec, section_id: int) -> str:
    return url_for("specs.section_comments", slug=spec.alliance.slug, spec_id=spec.id, section_id=section_id)


def whole_comments_url(spec: Spec) -> str:
    return url_for("specs.whole_comments", slug=spec.alliance.slug, spec_id=spec.id)


def comment_url(item: SpecComment) -> str:
    """The page of a comment's thread (its paragraph, its section as a whole, or the whole spec)."""
    return place_of(item).page_url


@dataclass(frozen=True)
class Place:
    """Where comments are made: a paragraph, a section as a whole, or the whole specification."""

    spec: Spec
    #: "paragraph", "section" or "spec".
    kind: str
    section: SpecSection | None = None
    paragraph: SpecParagraph | None = None

    @property
    def key(self) -> str:
        """"p-12", "s-3" or "spec": the end of the ids of its thread ("thread-p-12") and count ("count-p-12")."""
        if self.paragraph is not None:
            return f"p-{self.paragraph.id}"
        return f"s-{self.section.id}" if self.section is not None else "spec"

    @property
    def dom_id(self) -> str:
        return f"thread-{self.key}"

    @property
    def field_id(self) -> str:
        """The comment box's id ("body-12" for a paragraph, as before)."""
        return f"body-{self.paragraph.id}" if self.paragraph is not None else f"body-{self.key}"

    @property
    def target(self) -> SpecParagraph | SpecSection | Spec:
        """What services.add_comment takes."""
        return self.paragraph or self.section or self.spec

    @property
    def page_url(self) -> str:
        if self.paragraph is not None:
            return paragraph_url(self.spec, self.paragraph.id)
        return section_comments_url(self.spec, self.section.id) if self.section is not None else whole_comments_url(self.spec)

    @property
    def post_url(self) -> str:
        slug, spec_id = self.spec.alliance.slug, self.spec.id
        if self.paragraph is not None:
            return url_for("specs.add_comment", slug=slug, spec_id=spec_id, paragraph_id=self.paragraph.id)
        if self.section is not None:
            return url_for("specs.add_section_comment", slug=slug, spec_id=spec_id, section_id=self.section.id)
        return url_for("specs.add_whole_comment", slug=slug, spec_id=spec_id)

    @property
    def this(self) -> str:
        """"this paragraph", "this section as a whole", "the specification as a whole"."""
        return {"paragraph": "this paragraph", "section": "this section as a whole",
                "spec": "the specification as a whole"}[self.kind]

    @property
    def removed(self) -> bool:
        return self.paragraph is not None and self.paragraph.is_removed


def place_of(item: SpecComment) -> Place:
    """Where a comment was made."""
    return Place(item.spec, item.level, item.section, item.paragraph)


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


def load_section_subject(session: Session, section_id: int) -> Subject | None:
    """A spec section's own thread (comments on it as a whole), as the shared comment routes see it."""
    section = services.find_section(session, section_id)
    if section is None:
        return None
    spec = section.spec
    return Subject(
        alliance=spec.alliance, label=services.subject_label(spec, section, None),
        url=section_comments_url(spec, section.id),
        open_for_comments=spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING),
        closed_reason="Comments are closed for this specification.", top_level_comments=False,
    )


def load_whole_subject(session: Session, spec_id: int) -> Subject | None:
    """The thread on a whole specification, as the shared comment routes see it."""
    spec = services.reload_spec(session, spec_id)
    if spec is None:
        return None
    return Subject(
        alliance=spec.alliance, label=services.subject_label(spec, None, None), url=whole_comments_url(spec),
        open_for_comments=spec.status in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING),
        closed_reason="Comments are closed for this specification.", top_level_comments=False,
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
        "whole_counts": services.whole_counts(db.session, spec, current_user, is_moderator),
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
    """One paragraph with its comments, replies and the controls this person may use."""
    return thread_context(Place(spec, "paragraph", paragraph.section, paragraph), form, reply_forms,
                          added=added, announce=announce, badge=badge)


def thread_context(place: Place, form: SpecCommentForm | None = None,
                   reply_forms: dict[int, ReplyForm] | None = None, *, added: int | None = None,
                   announce: str = "", badge: bool = False) -> dict[str, Any]:
    """The comments on one place (a paragraph, a whole section, the whole spec), with their controls.

    After htmx added a comment or reply: ``added`` (its comment id) takes the focus, ``announce``
    goes to the polite live region, and with ``badge`` the place's count badge is sent too.
    """
    spec = place.spec
    alliance = spec.alliance
    is_moderator = moderator(spec)
    if place.paragraph is not None:
        items = services.paragraph_comments(db.session, spec, place.paragraph, current_user, is_moderator)
    else:
        items = services.section_comments(db.session, spec, place.section, current_user, is_moderator)
    on_behalf = can(Permission.DOCUMENT_COMMENT_ON_BEHALF, alliance)
    if form is None:
        form = SpecCommentForm(formdata=None)
    if on_behalf:
        form.on_behalf_of.choices = member_choices(alliance)
    return {
        "alliance": alliance,
        "spec": spec,
        "place": place,
        "paragraph": place.paragraph,
        "section": place.section,
        "items": items,
        "replies": services.replies_for(db.session, items, current_user, is_moderator),
        "supported": services.supported_by(db.session, current_user, [i.id for i in items]),
        "form": form,
        "reply_forms": reply_forms or {},
        "on_behalf": on_behalf,
        "moderator": is_moderator,
        "can_comment": spec.is_taking_comments and not place.removed and can(Permission.DOCUMENT_COMMENT_ADD, alliance),
        "can_reply": _open(spec) and can(Permission.DOCUMENT_COMMENT_ADD, alliance),
        "can_support": _open(spec) and can(Permission.SPEC_COMMENT_SUPPORT, alliance),
        "can_respond": _open(spec) and can(Permission.SPEC_COMMENT_RESPOND, alliance),
        "dom_id": place.dom_id,
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
        "comment_url": comment_url,
    }
