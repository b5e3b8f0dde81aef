""""You said, we did": every comment with its outcome, counts by outcome and role, the text each change made, and the CSV."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from collab import audit
from collab.alliances.models import Role
from collab.documents.diff import plain_diff, render_compact_diff
from collab.documents.models import Comment
from collab.documents.visibility import may_read
from collab.specs.anchoring import normalise
from collab.specs.models import (
    Outcome,
    Spec,
    SpecComment,
    SpecResponse,
    SpecSectionVersion,
    SpecVersion,
)
from collab.specs.services._common import CHANGE_OUTCOMES, section_text, spec_comment_ids
from collab.specs.services.comments import CommentFilter, comments_query
from collab.timezone import iso_date_in_london

OUTCOME_ORDER = [Outcome.CHANGED, Outcome.PARTLY_CHANGED, Outcome.NOT_CHANGED, Outcome.ANSWERED]


ROLE_ORDER = [Role.SERVICE_USER, Role.PROVIDER, Role.COMMISSIONER, Role.FACILITATOR, Role.OBSERVER]


@dataclass
class ReportCounts:
    total: int = 0
    awaiting: int = 0
    by_outcome: dict[Outcome, int] = field(default_factory=dict)
    #: role -> {"comments": n, "responded": n, outcome: n}; comments of groups are not in here.
    by_role: dict[Role, dict[str, int]] = field(default_factory=dict)
    #: Comments that speak for a group (a workshop table): the same counts, plus "people", the
    #: number of people they speak for together; None when there are none.
    groups: dict[str, int] | None = None


@dataclass(frozen=True)
class ReportSource:
    """Somewhere comments came from other than the consultation itself (a workshop)."""

    key: str
    label: str
    comments: int


def unseen_comment_ids(spec: Spec, viewer: Any, moderator: bool) -> Select[Any]:
    """The ids of this spec's comments the viewer may not see (deleted, or hidden from them).

    There are few of these, and they are found from the comment index alone, which is far
    cheaper than joining every comment of a long consultation to test it.
    """
    hidden = Comment.hidden_at.is_not(None)
    if not moderator:
        viewer_id = getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None
        hidden_from_viewer = and_(hidden, Comment.author_id != viewer_id) if viewer_id is not None else hidden
        condition = or_(Comment.deleted_at.is_not(None), hidden_from_viewer)
    else:
        condition = Comment.deleted_at.is_not(None)
    return spec_comment_ids(spec.id, condition)


def report_counts(
    session: Session, spec: Spec, viewer: Any, moderator: bool, source: str | None = None
) -> ReportCounts:
    """Counts of comments and responses by outcome, by role, and for groups with their size (one query).

    A comment that speaks for a group (a workshop table of 4) is counted with the groups and the
    people it speaks for, never as one person of the role of whoever typed it in.
    """
    is_group = SpecComment.group_size.is_not(None)
    stmt = (
        select(SpecComment.speaker_role, is_group, SpecResponse.outcome, func.count(SpecComment.id),
               func.coalesce(func.sum(SpecComment.group_size), 0))
        .outerjoin(SpecResponse, SpecResponse.spec_comment_id == SpecComment.id)
        .where(SpecComment.spec_id == spec.id, SpecComment.comment_id.not_in(unseen_comment_ids(spec, viewer, moderator)))
        .group_by(SpecComment.speaker_role, is_group, SpecResponse.outcome)
    )
    if source:
        stmt = stmt.where(SpecComment.source_key == source)
    counts = ReportCounts(by_outcome=dict.fromkeys(OUTCOME_ORDER, 0))
    for role, group, outcome, n, people in session.execute(stmt).all():
        empty = {"comments": 0, "responded": 0, **{o.value: 0 for o in OUTCOME_ORDER}}
        if group:
            if counts.groups is None:
                counts.groups = {**empty, "people": 0}
            entry = counts.groups
            entry["people"] += int(people or 0)
        else:
            entry = counts.by_role.setdefault(Role(role), empty)
        entry["comments"] += n
        counts.total += n
        if outcome is None:
            counts.awaiting += n
        else:
            outcome = Outcome(outcome)
            entry["responded"] += n
            entry[outcome.value] += n
            counts.by_outcome[outcome] += n
    counts.by_role = {r: counts.by_role[r] for r in ROLE_ORDER if r in counts.by_role}
    return counts


def report_sources(session: Session, spec: Spec, viewer: Any, moderator: bool) -> list[ReportSource]:
    """The sources (workshops) this spec's visible comments came from, for the report's filter."""
    rows = session.execute(
        select(SpecComment.source_key, func.max(SpecComment.source_label), func.count(SpecComment.id),
               func.min(SpecComment.created_at))
        .where(SpecComment.spec_id == spec.id, SpecComment.source_key.is_not(None),
               SpecComment.comment_id.not_in(unseen_comment_ids(spec, viewer, moderator)))
        .group_by(SpecComment.source_key)
        .order_by(func.min(SpecComment.created_at), SpecComment.source_key)
    ).all()
    return [ReportSource(key=str(key), label=str(label or key), comments=int(n)) for key, label, n, _ in rows]


def _report_batches(
    session: Session, spec: Spec, viewer: Any, moderator: bool, source: str | None = None
) -> Iterator[list[SpecComment]]:
    stmt = comments_query(spec, CommentFilter(source=source), viewer, moderator)
    offset = 0
    while True:
        batch = session.scalars(stmt.limit(500).offset(offset)).all()
        if not batch:
            return
        yield list(batch)
        offset += len(batch)


def report_rows(
    session: Session, spec: Spec, viewer: Any, moderator: bool, source: str | None = None
) -> Iterator[SpecComment]:
    """Every visible top-level comment, in report order, loaded in batches (for CSV)."""
    for batch in _report_batches(session, spec, viewer, moderator, source):
        yield from batch


@dataclass(frozen=True)
class ResponseChange:
    """What a "changed" response points to: the section before the comment and after the change."""

    #: The draft the comment was made on, and the draft with the change (None: not shared yet).
    from_number: int
    to_number: int | None
    heading: str = ""
    old: str = ""
    new: str = ""

    @property
    def shared(self) -> bool:
        return self.to_number is not None

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def html(self) -> Any:
        return render_compact_diff(self.old, self.new)

    def text(self) -> str:
        if not self.shared:
            return "The change will be in the next draft"
        if not self.changed:
            return "No change to the text of this section was found"
        return plain_diff(self.old, self.new)


def response_changes(session: Session, spec: Spec, items: Iterable[SpecComment]) -> dict[int, ResponseChange]:
    """For each comment answered "changed", the text change it points to, keyed by comment (one query)."""
    answered = [
        (sc, sc.response) for sc in items
        if sc.response is not None and sc.response.outcome in CHANGE_OUTCOMES and sc.response.change_section_id
    ]
    shared = [(sc, r) for sc, r in answered if r.change_version_number]
    rows = session.execute(
        select(SpecVersion.number, SpecSectionVersion.section_id, SpecSectionVersion.heading, SpecSectionVersion.body)
        .join(SpecVersion, SpecVersion.id == SpecSectionVersion.version_id)
        .where(
            SpecVersion.spec_id == spec.id,
            SpecSectionVersion.section_id.in_({r.change_section_id for _, r in shared}),
            SpecVersion.number.in_({sc.version_number for sc, _ in shared} | {r.change_version_number for _, r in shared}),
        )
    ).all() if shared else []
    found: dict[tuple[int | None, int | None], tuple[str, str]] = {
        (section_id, number): (heading, section_text(heading, body)) for number, section_id, heading, body in rows
    }
    changes = {}
    for sc, r in answered:
        if not r.change_version_number:
            changes[sc.id] = ResponseChange(from_number=sc.version_number, to_number=None)
            continue
        _, old = found.get((r.change_section_id, sc.version_number), ("", ""))
        heading, new = found.get((r.change_section_id, r.change_version_number), ("", ""))
        changes[sc.id] = ResponseChange(sc.version_number, r.change_version_number, heading, old, new)
    return changes


CSV_HEADER = [
    "Comment number", "Section", "Paragraph now", "What the comment was about (quote)", "Comment",
    "From", "Role", "Added by", "Date", "Supported by", "Outcome", "Response", "Responded by",
    "Section changed", "Changed in version", "How the section changed",
    "Speaks for (people)", "Where it came from",
]


def record_report_download(session: Session, actor: Any, spec: Spec) -> None:
    """Record in the audit trail that someone downloaded the report as a spreadsheet.

    Every download of a file made from the alliance's records shows in its activity, as the
    agreement's downloads do (collab.agreements.services.record_export).
    """
    audit.record(session, actor, "spec.report_downloaded", spec, alliance=spec.alliance, label=spec.title,
                 detail={"spec": spec.title, "format": "csv"})


def record_pdf_download(session: Session, actor: Any, spec: Spec, number: int, large: bool) -> None:
    """Record in the alliance's activity that someone downloaded a version of the spec as a PDF."""
    audit.record(session, actor, "spec.pdf_downloaded", spec, alliance=spec.alliance, label=spec.title,
                 detail={"spec": spec.title, "number": number, "large_print": large})


def report_csv_rows(
    session: Session, spec: Spec, viewer: Any, moderator: bool, source: str | None = None
) -> Iterator[list[Any]]:
    """The report for a spreadsheet, one row per comment, read in batches as it is written.

    Cells are returned raw: collab.csv_export escapes them. ``source`` keeps one workshop's comments.
    """
    for batch in _report_batches(session, spec, viewer, moderator, source):
        changes = response_changes(session, spec, batch)
        for sc in batch:
            c, r = sc.comment, sc.response
            hidden = not may_read(c, viewer, moderator)
            change = changes.get(sc.id)
            yield [
                sc.id,
                sc.section.heading if sc.section is not None else "",
                ("(removed)" if sc.paragraph.is_removed else normalise(sc.paragraph.text)) if sc.paragraph is not None
                else "On the whole section" if sc.section is not None else "On the whole specification",
                normalise(sc.quote),
                "(hidden by a moderator)" if hidden else c.body,
                c.speaker_name,
                "Group" if sc.group_size is not None else sc.speaker_role.label,
                c.author.display_name if (c.on_behalf_of_name and c.author) else "",
                iso_date_in_london(c.created_at),
                sc.support_count,
                r.outcome.label if r else "Awaiting response",
                r.text if r else "",
                r.responded_by.display_name if r and r.responded_by else "",
                r.change_section.heading if r and r.change_section else "",
                r.change_version_number or "" if r else "",
                change.text() if change else "",
                sc.group_size if sc.group_size is not None else 1,
                sc.source_label or "",
            ]


def report_items(
    session: Session, spec: Spec, viewer: Any, moderator: bool, number: int, per_page: int,
    source: str | None = None,
) -> list[SpecComment]:
    """One page of the report's comments (the page's total comes from ``report_counts``)."""
    stmt = comments_query(spec, CommentFilter(source=source), viewer, moderator, brief=True)
    return list(session.scalars(stmt.limit(per_page).offset((number - 1) * per_page)))
