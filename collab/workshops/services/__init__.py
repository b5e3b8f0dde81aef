"""Co-production workshops: the rules. Plain functions; they flush, never commit.

Life of a workshop: scheduled (planning) → invitations and replies, with a waiting list →
the live ideas board on the day (board) → notes, decisions, actions and proposals afterwards
(outcomes) → the report.

``from collab.workshops import services; services.reply(...)`` works for every public name.
"""

from collab.workshops.services.board import (
    Board,
    Ranked,
    add_idea,
    add_theme,
    board_for,
    board_revision,
    close_voting,
    current_item,
    dots_used,
    go_to_item,
    ideas_of,
    merge,
    move_to_theme,
    open_voting,
    results,
    step,
    themes_of,
    vote,
)
from collab.workshops.services.calendar import feed_ics, feed_owner, has_feed, new_feed_token, stop_feed, workshop_ics
from collab.workshops.services.invitations import (
    ReplyResult,
    access_summary,
    invite,
    invitee_for,
    invitees,
    mark_attendance,
    members_of,
    payment_list,
    promote_waiting,
    record_payment_export,
    reply,
    reply_counts,
    taken_places,
)
from collab.workshops.services.outcomes import (
    actions_of,
    add_action,
    add_contributions,
    add_decision,
    contribution_to_comment,
    contributions_of,
    decisions_of,
    proposals_raised,
    raise_proposal,
    save_notes,
    section_proposal,
    section_proposals_raised,
    set_action_status,
)
from collab.workshops.services.planning import (
    Plan,
    add_agenda_item,
    agenda_times,
    cancel,
    get_workshop,
    linkable_clauses,
    linkable_sections,
    local_to_utc,
    move_agenda_item,
    remove_agenda_item,
    reschedule,
    schedule,
    workshops_for,
)
from collab.workshops.services.rates import set_usual_payment, usual_payment
from collab.workshops.services.report import Report
from collab.workshops.services.report import build as build_report

__all__ = [
    "Board", "Plan", "Ranked", "Report", "ReplyResult", "access_summary", "actions_of", "add_action",
    "add_agenda_item", "add_contributions", "add_decision", "add_idea", "add_theme", "agenda_times", "board_for",
    "board_revision", "build_report", "cancel", "close_voting", "contribution_to_comment", "contributions_of",
    "current_item", "decisions_of", "dots_used", "feed_ics", "feed_owner", "get_workshop", "go_to_item",
    "has_feed", "ideas_of", "invite", "invitee_for", "invitees", "linkable_clauses", "linkable_sections",
    "local_to_utc", "mark_attendance", "members_of", "merge", "move_agenda_item", "move_to_theme",
    "new_feed_token", "open_voting", "payment_list", "promote_waiting", "proposals_raised", "raise_proposal",
    "record_payment_export", "remove_agenda_item", "reply", "reply_counts", "reschedule", "results",
    "save_notes", "schedule", "section_proposal", "section_proposals_raised", "set_action_status", "set_usual_payment",
    "step", "stop_feed", "taken_places", "usual_payment",
    "themes_of", "vote", "workshop_ics", "workshops_for",
]
