"""Paragraph identity across redrafts: blocks, keys and re-anchoring."""

from __future__ import annotations

import pytest

from collab.specs.anchoring import (
    SIMILARITY_THRESHOLD,
    Anchor,
    AnchorStatus,
    BlockKind,
    reanchor,
    similarity,
    split_blocks,
)

P1 = "People in crisis can call the crisis line at any time, day or night."
P2 = "A trained worker will visit you at home within four hours if you need it."
P3 = "The crisis café in the town centre is open every evening from 6pm to 11pm."
P4 = "We will check how you are the next day and help you plan what happens next."
ITEM_A = "Help with money worries"
ITEM_B = "Help finding somewhere safe to stay"

DRAFT_1 = f"{P1}\n\n{P2}\n\n{P3}\n\n- {ITEM_A}\n- {ITEM_B}\n\n{P4}"


def anchors_for(markdown: str) -> dict[str, Anchor]:
    """An anchor (as a comment would store it) for every commentable block, by its text."""
    return {b.markdown: Anchor(b.key, b.markdown, b.index) for b in split_blocks(markdown) if b.commentable}


REDRAFTS = [
    # case, new draft, the old block commented on, expected status, expected new text (None: removed)
    ("unchanged", DRAFT_1, P2, AnchorStatus.UNCHANGED, P2),
    ("unchanged list item", DRAFT_1, ITEM_B, AnchorStatus.UNCHANGED, ITEM_B),
    (
        "moved up",
        f"{P3}\n\n{P1}\n\n{P2}\n\n- {ITEM_A}\n- {ITEM_B}\n\n{P4}",
        P3,
        AnchorStatus.MOVED,
        P3,
    ),
    (
        "moved because a paragraph was added before it",
        f"A new opening paragraph about the service.\n\n{DRAFT_1}",
        P4,
        AnchorStatus.MOVED,
        P4,
    ),
    (
        "list items swapped",
        f"{P1}\n\n{P2}\n\n{P3}\n\n- {ITEM_B}\n- {ITEM_A}\n\n{P4}",
        ITEM_A,
        AnchorStatus.MOVED,
        ITEM_A,
    ),
    (
        "lightly edited",
        DRAFT_1.replace("within four hours", "within two hours"),
        P2,
        AnchorStatus.EDITED,
        P2.replace("within four hours", "within two hours"),
    ),
    (
        "lightly edited and moved",
        f"{P2.replace('at home', 'at home or at a place you choose')}\n\n{P1}\n\n{P3}\n\n- {ITEM_A}\n- {ITEM_B}\n\n{P4}",
        P2,
        AnchorStatus.EDITED,
        P2.replace("at home", "at home or at a place you choose"),
    ),
    (
        "lightly edited list item",
        DRAFT_1.replace(ITEM_B, "Help finding a safe place to stay tonight"),
        ITEM_B,
        AnchorStatus.EDITED,
        "Help finding a safe place to stay tonight",
    ),
    (
        "a sentence added to the end",
        DRAFT_1.replace(P1, P1[:-1] + ", and a second number to call if the line is busy."),
        P1,
        AnchorStatus.EDITED,
        P1[:-1] + ", and a second number to call if the line is busy.",
    ),
    (
        "heavily edited but the same point",
        DRAFT_1.replace(P3, "The crisis café in the town centre now opens every evening, 5pm to midnight, and at weekends."),
        P3,
        AnchorStatus.EDITED,
        "The crisis café in the town centre now opens every evening, 5pm to midnight, and at weekends.",
    ),
    (
        "heavily edited beyond recognition",
        DRAFT_1.replace(P3, "Peer supporters with lived experience answer calls alongside nurses."),
        P3,
        AnchorStatus.REMOVED,
        None,
    ),
    ("deleted", DRAFT_1.replace(f"{P2}\n\n", ""), P2, AnchorStatus.REMOVED, None),
    ("deleted list item", DRAFT_1.replace(f"- {ITEM_A}\n", ""), ITEM_A, AnchorStatus.REMOVED, None),
    ("whole section emptied", "", P1, AnchorStatus.REMOVED, None),
]


@pytest.mark.parametrize(
    ("case", "new_draft", "commented", "status", "expected_text"), REDRAFTS, ids=[r[0] for r in REDRAFTS]
)
def test_reanchoring_table(case, new_draft, commented, status, expected_text) -> None:
    anchor = anchors_for(DRAFT_1)[commented]
    new_blocks = split_blocks(new_draft)
    placement = reanchor([anchor], new_blocks)[anchor]
    assert placement.status == status
    if expected_text is None:
        assert placement.key is None
    else:
        target = next(b for b in new_blocks if b.key == placement.key)
        assert target.markdown == expected_text
        assert target.index == placement.index


def test_every_comment_in_a_redraft_is_placed_once() -> None:
    anchors = list(anchors_for(DRAFT_1).values())
    redraft = f"{P3}\n\n{P1.replace('day or night', 'day and night')}\n\n- {ITEM_A}\n\n{P4}"
    placed = reanchor(anchors, split_blocks(redraft))
    assert set(placed) == set(anchors)
    statuses = {a.quote: p.status for a, p in placed.items()}
    assert statuses == {
        P1: AnchorStatus.EDITED,
        P2: AnchorStatus.REMOVED,
        P3: AnchorStatus.MOVED,
        ITEM_A: AnchorStatus.MOVED,
        ITEM_B: AnchorStatus.REMOVED,
        P4: AnchorStatus.MOVED,
    }


def test_repeated_text_keeps_the_nearest_copy() -> None:
    draft = "Same words here.\n\nOther.\n\nSame words here."
    blocks = split_blocks(draft)
    assert [b.key for b in blocks][0] != [b.key for b in blocks][2]
    second = Anchor(blocks[2].key, blocks[2].markdown, 2)
    placed = reanchor([second], split_blocks("Intro.\n\n" + draft))[second]
    assert placed.status == AnchorStatus.MOVED and placed.index == 3


def test_an_edit_goes_to_new_text_not_to_a_paragraph_that_already_existed() -> None:
    # P1 was edited; P4 is unchanged and must not attract P1's comments even if similar.
    anchor = anchors_for(DRAFT_1)[P1]
    redraft = DRAFT_1.replace(P1, "People in crisis can phone the crisis line at any hour.")
    placement = reanchor([anchor], split_blocks(redraft))[anchor]
    assert placement.status == AnchorStatus.EDITED and placement.index == 0


def test_similarity_bounds() -> None:
    assert similarity(P1, P1) == 1.0
    assert similarity(P1, P1.replace("night", "evening")) > 0.9
    assert similarity(P1, P3) < SIMILARITY_THRESHOLD
    assert similarity("Help with money", "Help with money worries and debts") >= SIMILARITY_THRESHOLD
    assert similarity("", "Anything") == 0.0


def test_blocks_split_paragraphs_items_headings_and_tables() -> None:
    md = (
        "## What we offer\n\nFirst paragraph\nwraps.\n\n- one\n- two\n  goes on\n  - nested\n\n"
        "1. step\n2. next\n\n| a | b |\n|---|---|\n\n> quoted\n\n```\ncode\n```"
    )
    blocks = split_blocks(md)
    assert [b.kind for b in blocks] == [
        BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.ITEM, BlockKind.ITEM, BlockKind.ITEM,
        BlockKind.ITEM, BlockKind.ITEM, BlockKind.TABLE, BlockKind.QUOTE, BlockKind.CODE,
    ]
    assert blocks[3].markdown == "two\ngoes on"
    assert blocks[4].level == 1
    assert blocks[2].list_group == blocks[4].list_group != blocks[5].list_group
    assert blocks[5].ordered and not blocks[2].ordered
    assert not blocks[0].commentable and all(b.commentable for b in blocks[1:])
    assert [b.index for b in blocks] == list(range(len(blocks)))


def test_keys_depend_only_on_text() -> None:
    assert split_blocks("Hello *there*.")[0].key == split_blocks("Hello   there.")[0].key
    assert split_blocks("Hello there.")[0].key != split_blocks("Hello where.")[0].key
