"""Service specifications: the rules. Plain functions; they flush, never commit.

Life of a spec: drafting → consultation (a version is frozen and people comment on its
paragraphs) → reviewing (commissioners answer every comment, share redrafts) → published.
Every frozen version re-anchors the comments (collab.specs.anchoring).

One module per sub-domain; this package names the public ones, so that
``from collab.specs import services; services.publish(...)`` works for every caller.
"""

from collab.specs.services._common import (
    CHANGE_OUTCOMES,
    MAX_SECTION_BODY,
    MAX_SECTIONS,
    MAX_TITLE,
    SUBJECT,
    section_text,
    visible_clause,
)
from collab.specs.services.comments import (
    CommentFilter,
    add_comment,
    comments_query,
    replies_for,
    reply,
    respond,
    support,
    supported_by,
    withdraw_support,
)
from collab.specs.services.drafting import (
    add_section,
    create_spec,
    link_clauses,
    load_score,
    move_section,
    save_section,
    score_text,
    update_details,
)
from collab.specs.services.paragraphs import (
    paragraph_counts,
    paragraph_for,
    removed_paragraph_comments,
)
from collab.specs.services.reading import (
    SectionChange,
    compare,
    get_spec,
    get_version,
    section_versions,
    spec_outcome_counts,
    specs_for,
    versions_of,
)
from collab.specs.services.report import (
    CSV_HEADER,
    OUTCOME_ORDER,
    ROLE_ORDER,
    ReportCounts,
    ResponseChange,
    report_counts,
    report_csv_rows,
    report_rows,
    response_changes,
    unseen_comment_ids,
)
from collab.specs.services.stages import (
    close_consultation,
    open_consultation,
    publish,
    share_redraft,
    unanswered_count,
)

__all__ = [
    "CHANGE_OUTCOMES",
    "CSV_HEADER",
    "CommentFilter",
    "MAX_SECTIONS",
    "MAX_SECTION_BODY",
    "MAX_TITLE",
    "OUTCOME_ORDER",
    "ROLE_ORDER",
    "ReportCounts",
    "ResponseChange",
    "SUBJECT",
    "SectionChange",
    "add_comment",
    "add_section",
    "close_consultation",
    "comments_query",
    "compare",
    "create_spec",
    "get_spec",
    "get_version",
    "link_clauses",
    "load_score",
    "move_section",
    "open_consultation",
    "paragraph_counts",
    "paragraph_for",
    "publish",
    "removed_paragraph_comments",
    "replies_for",
    "reply",
    "report_counts",
    "report_csv_rows",
    "report_rows",
    "respond",
    "response_changes",
    "save_section",
    "score_text",
    "section_text",
    "section_versions",
    "share_redraft",
    "spec_outcome_counts",
    "specs_for",
    "support",
    "supported_by",
    "unanswered_count",
    "unseen_comment_ids",
    "update_details",
    "versions_of",
    "visible_clause",
    "withdraw_support",
]
