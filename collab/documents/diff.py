"""Word-level differences between two texts, and an accessible tracked-changes rendering.

Used for clause edits, proposals, version comparison and the "your text vs current text"
view after an edit conflict. Any document type can call these; nothing here knows about
agreements.

    ops = word_diff(old, new)          # [DiffOp("equal", "We "), DiffOp("delete", "share"), ...]
    html = render_diff(old, new)       # Markup with <ins>/<del> and screen-reader labels
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from markupsafe import Markup, escape

#: Words and the white space between them are separate tokens, so a change of one word
#: is one small change and line breaks survive into the rendering.
_TOKEN = re.compile(r"\s+|[^\s]+")

Kind = Literal["equal", "insert", "delete"]


@dataclass(frozen=True)
class DiffOp:
    kind: Kind
    text: str


def tokenise(text: str) -> list[str]:
    """Split text into word and white-space tokens (joining them gives the text back)."""
    return _TOKEN.findall(text.replace("\r\n", "\n"))


def word_diff(old: str | None, new: str | None) -> list[DiffOp]:
    """The changes that turn ``old`` into ``new``, word by word, with runs merged.

    A lone space between two changed words is folded into the change, so that a
    rewritten sentence reads as "removed: old words / added: new words" rather than
    alternating one word at a time.
    """
    a, b = tokenise(old or ""), tokenise(new or "")
    raw: list[tuple[Kind, str]] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("delete", "replace"):
            raw.append(("delete", "".join(a[i1:i2])))
        if tag == "equal":
            raw.append(("equal", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            raw.append(("insert", "".join(b[j1:j2])))

    ops: list[DiffOp] = []
    removed = added = ""

    def add(kind: Kind, text: str) -> None:
        if not text:
            return
        if ops and ops[-1].kind == kind:
            ops[-1] = DiffOp(kind, ops[-1].text + text)
        else:
            ops.append(DiffOp(kind, text))

    def flush() -> None:
        nonlocal removed, added
        add("delete", removed)
        add("insert", added)
        removed = added = ""

    for index, (kind, text) in enumerate(raw):
        if kind == "equal":
            between_changes = (
                (removed or added) and text.isspace() and index + 1 < len(raw) and raw[index + 1][0] != "equal"
            )
            if between_changes:
                removed += text
                added += text
                continue
            flush()
            add("equal", text)
        elif kind == "delete":
            removed += text
        else:
            added += text
    flush()
    return ops


@dataclass(frozen=True)
class DiffSummary:
    added_words: int
    removed_words: int

    @property
    def changed(self) -> bool:
        return bool(self.added_words or self.removed_words)

    def sentence(self) -> str:
        """'3 words added, 1 word removed' or 'No changes'."""
        if not self.changed:
            return "No changes"
        parts = []
        if self.added_words:
            parts.append(f"{self.added_words} word{'s' if self.added_words != 1 else ''} added")
        if self.removed_words:
            parts.append(f"{self.removed_words} word{'s' if self.removed_words != 1 else ''} removed")
        return ", ".join(parts)


def summarise(ops: list[DiffOp]) -> DiffSummary:
    def words(kind: str) -> int:
        return sum(len(op.text.split()) for op in ops if op.kind == kind)

    return DiffSummary(added_words=words("insert"), removed_words=words("delete"))


def _html_text(text: str) -> str:
    # Keep the author's line breaks visible inside the inline diff.
    return str(escape(text)).replace("\n", "<br>\n")


def render_ops(ops: list[DiffOp]) -> Markup:
    """Tracked-changes HTML: <ins> and <del> with words a screen reader speaks.

    Screen readers do not announce <ins>/<del> by default, so each change carries
    visually hidden "added:" / "removed:" labels and a marker for where it ends.
    """
    parts: list[str] = []
    for op in ops:
        if op.kind == "equal":
            parts.append(_html_text(op.text))
        elif op.kind == "insert":
            parts.append(
                '<ins class="collab-diff__ins"><span class="govuk-visually-hidden">[added: </span>'
                f'{_html_text(op.text)}<span class="govuk-visually-hidden">]</span></ins>'
            )
        else:
            parts.append(
                '<del class="collab-diff__del"><span class="govuk-visually-hidden">[removed: </span>'
                f'{_html_text(op.text)}<span class="govuk-visually-hidden">]</span></del>'
            )
    return Markup('<div class="collab-diff">' + "".join(parts) + "</div>")


#: Pairs of texts longer than this (together) are diffed every time rather than cached.
_CACHE_TEXT_LIMIT = 40_000


def render_diff(old: str | None, new: str | None) -> Markup:
    """Word-level tracked changes from ``old`` to ``new`` as safe HTML."""
    old, new = old or "", new or ""
    if len(old) + len(new) <= _CACHE_TEXT_LIMIT:
        return _render_diff_cached(old, new)
    return render_ops(word_diff(old, new))


@lru_cache(maxsize=2048)
def _render_diff_cached(old: str, new: str) -> Markup:
    # Published versions never change, so the same pairs are compared again and again.
    return render_ops(word_diff(old, new))


# Compact differences: only the changes, with a few words either side -------------------

#: Unchanged words kept either side of a change in a compact diff.
COMPACT_CONTEXT_WORDS = 6
ELLIPSIS = "…"


def _words_then_space(tokens: list[str], count: int) -> str:
    """The first ``count`` words of ``tokens`` (with the spaces between them)."""
    kept: list[str] = []
    words = 0
    for token in tokens:
        if not token.isspace():
            if words == count:
                break
            words += 1
        kept.append(token)
    return "".join(kept)


def compact_ops(ops: list[DiffOp], context: int = COMPACT_CONTEXT_WORDS) -> list[DiffOp]:
    """The changes with ``context`` unchanged words either side; longer unchanged runs become "…".

    A long section with one word changed then reads as one short line, not the whole section.
    """
    if all(op.kind == "equal" for op in ops):
        return list(ops)  # nothing changed: nothing to cut around
    result: list[DiffOp] = []
    last = len(ops) - 1
    for index, op in enumerate(ops):
        if op.kind != "equal":
            result.append(op)
            continue
        tokens = tokenise(op.text)
        words = sum(1 for t in tokens if not t.isspace())
        after_change, before_change = index > 0, index < last
        keep = context * (int(after_change) + int(before_change))
        if words <= keep:
            result.append(op)
            continue
        head = _words_then_space(tokens, context) if after_change else ""
        tail = "".join(reversed(tokenise(_words_then_space(list(reversed(tokens)), context)))) if before_change else ""
        text = head.rstrip() + (" " if head else "") + ELLIPSIS + (" " if tail else "") + tail.lstrip()
        result.append(DiffOp("equal", text))
    return result


def render_compact_diff(old: str | None, new: str | None, context: int = COMPACT_CONTEXT_WORDS) -> Markup:
    """Tracked changes like ``render_diff``, but only the changed parts and a few words around them."""
    return render_ops(compact_ops(word_diff(old, new), context))


def plain_diff(old: str | None, new: str | None, context: int = COMPACT_CONTEXT_WORDS) -> str:
    """The compact changes as plain text, for a spreadsheet cell: "… safe [removed: old] [added: new] …"."""
    parts: list[str] = []
    for op in compact_ops(word_diff(old, new), context):
        text = " ".join(op.text.split()) if op.kind != "equal" else op.text
        if op.kind == "insert":
            parts.append(f"[added: {text}]")
        elif op.kind == "delete":
            parts.append(f"[removed: {text}]")
        else:
            parts.append(text)
    return " ".join(" ".join(parts).split())
