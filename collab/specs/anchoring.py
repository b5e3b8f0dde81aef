"""Paragraph identity across redrafts.

A section's Markdown is split into blocks: paragraphs, list items, headings,
tables, quotes and code. Every block that is not a heading can be commented on.
A comment stores the block's key and a quote of its text at the time.

When a new draft is published, ``reanchor`` decides where each comment goes:

- UNCHANGED: a block with exactly the same text is at the same position.
- MOVED: a block with exactly the same text exists elsewhere (the nearest one
  to the old position wins when the text appears more than once).
- EDITED: no exact match, but a block is similar enough (``similarity``: the share
  of words in common, or most of the shorter text kept in the longer) is at least
  ``SIMILARITY_THRESHOLD``. The comment moves there and keeps its quote, so
  readers see what was there when it was written.
- REMOVED: nothing is similar enough; the comment stays, marked "the paragraph
  you commented on was removed".

Why 0.5: a light edit (a few words) scores 0.8-0.95; a paragraph rewritten
around the same point still shares about half of its words; text on another
subject scores below 0.3. The table in tests/specs/test_anchoring.py pins this.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import StrEnum

SIMILARITY_THRESHOLD = 0.5

_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    ITEM = "item"
    HEADING = "heading"
    TABLE = "table"
    QUOTE = "quote"
    CODE = "code"


@dataclass
class Block:
    """One paragraph-like piece of a section."""

    kind: BlockKind
    markdown: str
    #: Position in the section, from 0.
    index: int = 0
    #: For list items: which list (consecutive items share one), whether it is numbered,
    #: its nesting level and, for numbered lists, the number it starts at.
    list_group: int | None = None
    ordered: bool = False
    level: int = 0
    start: int = 1
    key: str = ""

    @property
    def text(self) -> str:
        return normalise(self.markdown)

    @property
    def commentable(self) -> bool:
        return self.kind != BlockKind.HEADING


def normalise(markdown: str) -> str:
    """The words of a block, without Markdown marks or spare white space."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`~]", "", text)
    text = re.sub(r"[>#|]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


def split_blocks(markdown: str) -> list[Block]:
    """Split Markdown into blocks, each with a stable key (hash of its text, plus an
    occurrence number when the same text appears more than once)."""
    blocks: list[Block] = []
    lines: list[str] = []
    kind: BlockKind | None = None
    item: dict[str, object] = {}
    list_group = 0
    in_list = False
    list_indent: list[int] = []
    list_ordered = False

    def close() -> None:
        nonlocal kind
        if kind is not None and any(line.strip() for line in lines):
            text = "\n".join(lines).strip("\n")
            block = Block(kind=kind, markdown=text)
            if kind == BlockKind.ITEM:
                block.list_group = list_group
                block.ordered = bool(item.get("ordered"))
                block.level = int(item.get("level", 0))  # type: ignore[call-overload]
                block.start = int(item.get("start", 1))  # type: ignore[call-overload]
            blocks.append(block)
        lines.clear()
        kind = None

    fenced = False
    blank_before = False
    for raw in (markdown or "").replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if fenced:
            lines.append(line)
            if _FENCE.match(line):
                fenced = False
                close()
            continue
        if _FENCE.match(line):
            close()
            in_list = False
            kind, fenced = BlockKind.CODE, True
            lines.append(line)
            continue
        if not line.strip():
            blank_before = True
            if kind != BlockKind.ITEM:
                close()
            continue
        after_blank, blank_before = blank_before, False
        match = _ITEM.match(line)
        if match:
            close()
            indent = len(match.group(1).expandtabs(4))
            ordered = match.group(2)[0].isdigit()
            if in_list and list_indent and indent <= list_indent[0] and ordered != list_ordered:
                in_list = False  # a different kind of marker starts a new list
            if not in_list:
                list_ordered = ordered
                list_group += 1
                list_indent = [indent]
                in_list = True
            while list_indent and indent < list_indent[-1]:
                list_indent.pop()
            if not list_indent or indent > list_indent[-1]:
                list_indent.append(indent)
            marker = match.group(2)
            item = {
                "ordered": marker[0].isdigit(),
                "level": len(list_indent) - 1,
                "start": int(marker[:-1]) if marker[0].isdigit() else 1,
            }
            kind = BlockKind.ITEM
            lines.append(match.group(3))
            continue
        if kind == BlockKind.ITEM:
            indented = raw.startswith((" ", "\t"))
            lazy = not after_blank and not (_HEADING.match(line) or line.lstrip().startswith(("|", ">")))
            if indented or lazy:
                lines.append(line.strip())  # the item goes on
                continue
        # Not part of a list any more.
        if kind == BlockKind.ITEM:
            close()
        in_list = False
        if _HEADING.match(line):
            close()
            kind = BlockKind.HEADING
            lines.append(line)
            close()
            continue
        new_kind = (
            BlockKind.TABLE if line.lstrip().startswith("|")
            else BlockKind.QUOTE if line.lstrip().startswith(">")
            else BlockKind.PARAGRAPH
        )
        if kind is not None and kind != new_kind:
            close()
        kind = kind or new_kind
        lines.append(line)
    close()
    _number(blocks)
    return blocks


def _number(blocks: list[Block]) -> None:
    seen: dict[str, int] = {}
    for index, block in enumerate(blocks):
        block.index = index
        base = text_hash(block.markdown)
        n = seen.get(base, 0)
        seen[base] = n + 1
        block.key = base if n == 0 else f"{base}-{n}"


def base_key(key: str) -> str:
    """The text hash part of a block key (without the occurrence number)."""
    return key.split("-", 1)[0]


class AnchorStatus(StrEnum):
    UNCHANGED = "unchanged"
    MOVED = "moved"
    EDITED = "edited"
    REMOVED = "removed"


@dataclass(frozen=True)
class Anchor:
    """Where a comment pointed in the old draft."""

    key: str
    quote: str
    index: int


@dataclass
class Placement:
    status: AnchorStatus
    #: The block it now belongs to (None when removed).
    key: str | None
    index: int | None
    similarity: float = 1.0


_WORDS = re.compile(r"\w+")


def similarity(a: str, b: str) -> float:
    """How alike two blocks are, from 0 (nothing in common) to 1 (the same words in the same order).

    Words are compared lower-case without punctuation. The score is the larger of the share of
    words in common (difflib's ratio) and 0.8 × how much of the shorter text survives in the
    longer one, so a sentence that was only added to ("... and know who to call") still counts
    as the same paragraph edited.
    """
    wa, wb = _WORDS.findall(normalise(a).lower()), _WORDS.findall(normalise(b).lower())
    if not wa and not wb:
        return 1.0
    if not wa or not wb:
        return 0.0
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return max(matcher.ratio(), 0.8 * matched / min(len(wa), len(wb)))


@dataclass
class _Candidates:
    by_hash: dict[str, list[Block]] = field(default_factory=dict)


def reanchor(anchors: Iterable[Anchor], new_blocks: list[Block]) -> dict[Anchor, Placement]:
    """Place every old anchor in the new draft (see the module docstring)."""
    commentable = [b for b in new_blocks if b.commentable]
    by_hash: dict[str, list[Block]] = {}
    for block in commentable:
        by_hash.setdefault(base_key(block.key), []).append(block)
    anchors = list(dict.fromkeys(anchors))
    old_hashes = {base_key(a.key) for a in anchors}
    # Blocks whose text is new in this draft: the only places an edited paragraph can have gone.
    changed = [b for b in commentable if base_key(b.key) not in old_hashes]
    result: dict[Anchor, Placement] = {}
    for anchor in anchors:
        same = by_hash.get(base_key(anchor.key))
        if same:
            # The same occurrence (first, second...) of repeated text first, then the nearest.
            block = min(same, key=lambda b: (b.key != anchor.key, abs(b.index - anchor.index), b.index))
            status = AnchorStatus.UNCHANGED if block.index == anchor.index else AnchorStatus.MOVED
            result[anchor] = Placement(status, block.key, block.index)
            continue
        best: tuple[float, int, Block] | None = None
        for block in changed:
            score = similarity(anchor.quote, block.markdown)
            rank = (score, -abs(block.index - anchor.index), block)
            if best is None or rank[:2] > best[:2]:
                best = rank
        if best is not None and best[0] >= SIMILARITY_THRESHOLD:
            result[anchor] = Placement(AnchorStatus.EDITED, best[2].key, best[2].index, round(best[0], 3))
        else:
            result[anchor] = Placement(AnchorStatus.REMOVED, None, None, round(best[0], 3) if best else 0.0)
    return result
