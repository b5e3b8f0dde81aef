"""Three-way merge after an edit conflict: start from both people's changes, never from one side.

When a save is refused because someone else saved first (``collab.documents.locking``), we
know three texts: the *base* (what the person started editing from, carried in the form as
``merge_base``), *theirs* (what is saved now) and *mine* (what the person sent). Where the two
changes touch different sentences, ``three_way`` puts both in and the merge box starts from
that. Where they change the same words, the page shows both versions side by side and the
person must choose for each: keep theirs, keep mine, or keep both. There is no default, so
saving without thinking can never drop the other person's change.

Texts are split into sentences and lines (``pieces``), so two people editing different
sentences of one paragraph merge cleanly. Unlike diff3, a change next to (not on) the other
person's change merges too: only changes to the same sentence, or additions at the same
place, need a choice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

#: The choices for a part both people changed, in the order they are offered.
CHOICES: dict[str, str] = {
    "theirs": "Keep theirs",
    "mine": "Keep mine",
    "both": "Keep both: theirs, then mine",
}

# After a line break, or after . ! ? and one space: the boundaries between pieces. Splitting on
# empty matches never drops a character, so "".join(pieces(text)) == text.
_BOUNDARY = re.compile(r"(?<=\n)|(?<=[.!?][ \t])")


def pieces(text: str) -> list[str]:
    """The text as sentences and lines, with their spacing kept (they join back exactly)."""
    return [piece for piece in _BOUNDARY.split(text) if piece]


def _normal(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def combine(theirs: str, mine: str) -> str:
    """Both versions of a part, theirs first, with a space or line between them."""
    if not theirs or not mine:
        return theirs + mine
    if theirs[-1].isspace():
        return theirs + mine
    return theirs + ("\n" if "\n" in theirs or "\n" in mine else " ") + mine


@dataclass(frozen=True)
class Part:
    """A run of merged text, or (when ``conflict``) a place where both people changed the same words."""

    text: str = ""
    conflict: bool = False
    base: str = ""
    theirs: str = ""
    mine: str = ""

    def chosen(self, choice: str) -> str:
        """This part's text for one of ``CHOICES``."""
        if choice == "theirs":
            return self.theirs
        if choice == "mine":
            return self.mine
        if choice == "both":
            return combine(self.theirs, self.mine)
        raise ValueError(f"unknown choice {choice!r}")


@dataclass(frozen=True)
class Merged:
    """One text after a three-way merge."""

    parts: tuple[Part, ...]

    @property
    def conflicts(self) -> list[Part]:
        return [part for part in self.parts if part.conflict]

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def text(self, choices: list[str] | None = None) -> str:
        """The merged text, with ``choices`` (one per conflict, in order) where both changed the same words."""
        wanted = list(choices or [])
        if len(wanted) != len(self.conflicts):
            raise ValueError("a choice is needed for every conflict")
        out: list[str] = []
        for part in self.parts:
            out.append(part.chosen(wanted.pop(0)) if part.conflict else part.text)
        return "".join(out)


def _clean(text: str) -> Merged:
    return Merged((Part(text),) if text else ())


@dataclass(frozen=True)
class _Edit:
    """One side's change to the base pieces ``[start, end)`` (``start == end``: an insertion)."""

    side: str
    start: int
    end: int
    replacement: tuple[str, ...]


def _edits(side: str, base: list[str], other: list[str]) -> list[_Edit]:
    edits = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, other, autojunk=False).get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            # Sentence for sentence: one edit each, so a change next to the other person's is not theirs.
            edits += [_Edit(side, i, i + 1, (other[j],)) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                      if base[i] != other[j]]
        elif tag != "equal":
            edits.append(_Edit(side, i1, i2, tuple(other[j1:j2])))
    return edits


def _touch(a: _Edit, b: _Edit) -> bool:
    """Whether two changes from different people are to the same words (so only a person can merge them)."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # both added something at the same place
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _apply(base: list[str], start: int, end: int, edits: list[_Edit]) -> str:
    out, at = [], start
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        out += base[at:edit.start]
        out += edit.replacement
        at = edit.end
    out += base[at:end]
    return "".join(out)


def three_way(base: str | None, theirs: str, mine: str) -> Merged:
    """Merge ``mine`` and ``theirs``, both edited from ``base``, sentence by sentence.

    Changes to different sentences (or lines) both go in; changes to the same sentence, or
    additions at the same place, become a conflict part to choose on. Without a base (an old
    form), nothing can be merged safely: unless the two texts are the same, the whole text is
    one conflict.
    """
    theirs, mine = _normal(theirs), _normal(mine)
    if theirs == mine:
        return _clean(theirs)
    if base is None:
        return Merged((Part(conflict=True, theirs=theirs, mine=mine),))
    base = _normal(base)
    if mine == base:
        return _clean(theirs)
    if theirs == base:
        return _clean(mine)
    # Merged with a final line break on each, so text added at the end does not touch the last line.
    added = not theirs.endswith("\n") and not mine.endswith("\n")
    b, t, m = (pieces(x if x.endswith("\n") else x + "\n") for x in (base, theirs, mine))
    theirs_edits, mine_edits = _edits("theirs", b, t), _edits("mine", b, m)
    same = {(e.start, e.end, e.replacement) for e in theirs_edits}
    # A change both people made identically counts once.
    edits = theirs_edits + [e for e in mine_edits if (e.start, e.end, e.replacement) not in same]
    # Group changes that touch each other (across people) into clusters.
    cluster = list(range(len(edits)))

    def root(i: int) -> int:
        while cluster[i] != i:
            i = cluster[i]
        return i

    for i, a in enumerate(edits):
        for j in range(i + 1, len(edits)):
            if a.side != edits[j].side and _touch(a, edits[j]):
                cluster[root(j)] = root(i)
    groups: dict[int, list[_Edit]] = {}
    for i, edit in enumerate(edits):
        groups.setdefault(root(i), []).append(edit)
    parts: list[Part] = []
    pending: list[str] = []
    at = 0
    for group in sorted(groups.values(), key=lambda g: (min(e.start for e in g), max(e.end for e in g))):
        start, end = min(e.start for e in group), max(e.end for e in group)
        pending += b[at:start]
        sides = {e.side for e in group}
        if len(sides) == 1:
            pending.append(_apply(b, start, end, group))
        else:
            if pending:
                parts.append(Part("".join(pending)))
                pending = []
            parts.append(Part(
                conflict=True, base="".join(b[start:end]),
                theirs=_apply(b, start, end, [e for e in group if e.side == "theirs"]),
                mine=_apply(b, start, end, [e for e in group if e.side == "mine"]),
            ))
        at = end
    pending += b[at:]
    if pending:
        parts.append(Part("".join(pending)))
    if added and parts:
        last = parts[-1]
        parts[-1] = Part(_unend(last.text), last.conflict, _unend(last.base), _unend(last.theirs), _unend(last.mine))
    return Merged(tuple(p for p in parts if p.conflict or p.text))


def _unend(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text


# Several fields of one form (a heading and its text, say) -----------------------------------


def snapshot(values: Mapping[str, str]) -> str:
    """What an edit starts from, for the form's hidden ``merge_base`` field."""
    return json.dumps({key: _normal(value) for key, value in values.items()}, ensure_ascii=False)


def read_snapshot(raw: str | None) -> dict[str, str]:
    """The base texts a form carried back; anything unreadable counts as no base."""
    try:
        loaded = json.loads(raw or "")
    except (ValueError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {key: value for key, value in loaded.items() if isinstance(key, str) and isinstance(value, str)}


@dataclass(frozen=True)
class FieldMerge:
    """One field of the form after the merge."""

    name: str
    label: str
    base: str | None
    theirs: str
    mine: str
    merged: Merged

    @property
    def changed_by_both(self) -> bool:
        return self.theirs != (self.base or "") and self.mine != (self.base or "") and self.theirs != self.mine


@dataclass(frozen=True)
class Choice:
    """A conflict the person must decide, with the name of its radio buttons."""

    key: str
    number: int
    field: FieldMerge
    part: Part


class ChoicesMissing(ValueError):
    """Some conflicts were sent back without a choice."""

    def __init__(self, missing: list[Choice]) -> None:
        super().__init__(f"{len(missing)} choice(s) missing")
        self.missing = missing


@dataclass(frozen=True)
class EditMerge:
    """Every field of an edit that met a newer save: merged where it could be, choices where not."""

    fields: tuple[FieldMerge, ...]
    #: Who saved the newer text, and when (for the page).
    current_author: str | None = None
    current_at: datetime | None = None
    choices: tuple[Choice, ...] = field(default=())

    @property
    def clean(self) -> bool:
        return not self.choices

    def values(self, sent: Mapping[str, str] | None = None) -> dict[str, str]:
        """Each field's merged text, using the choices ``sent`` (form data: ``keep-<field>-<n>``).

        Raises ``ChoicesMissing`` when a conflict has no valid choice.
        """
        sent = sent or {}
        missing = [c for c in self.choices if sent.get(c.key) not in CHOICES]
        if missing:
            raise ChoicesMissing(missing)
        out = {}
        for f in self.fields:
            out[f.name] = f.merged.text([str(sent[c.key]) for c in self.choices if c.field is f])
        return out

    @property
    def options(self) -> list[tuple[str, str]]:
        """The choices offered for every conflict (value, label), for the template."""
        return list(CHOICES.items())

    def theirs(self) -> dict[str, str]:
        """The newer saved texts: the base for the next save."""
        return {f.name: f.theirs for f in self.fields}


def merge_edit(
    base_snapshot: str | None,
    theirs: Mapping[str, str],
    mine: Mapping[str, str],
    labels: Mapping[str, str],
    *,
    current_author: str | None = None,
    current_at: datetime | None = None,
) -> EditMerge:
    """Three-way merge each field named in ``labels`` (in that order)."""
    base = read_snapshot(base_snapshot)
    fields: list[FieldMerge] = []
    choices: list[Choice] = []
    for name, label in labels.items():
        merged = three_way(base.get(name), theirs.get(name, ""), mine.get(name, ""))
        found = FieldMerge(name, label, base.get(name), _normal(theirs.get(name, "")), _normal(mine.get(name, "")),
                           merged)
        fields.append(found)
        for index, part in enumerate(merged.conflicts):
            choices.append(Choice(f"keep-{name}-{index}", len(choices) + 1, found, part))
    return EditMerge(tuple(fields), current_author, current_at, tuple(choices))


# With a form (Flask-WTF): the same steps for every editable document part -----------------


@dataclass(frozen=True)
class FormConflict:
    """What an edit page needs after a conflict: the merge, and the hidden fields its choices form carries."""

    merge: EditMerge
    #: (name, value): the person's own text, the merge base and the current lock version.
    hidden: list[tuple[str, str]]
    missing: list[Choice] = field(default_factory=list)


def form_conflict(
    form: Any, labels: Mapping[str, str], current: Mapping[str, str], lock_version: int, *,
    current_author: str | None = None, current_at: datetime | None = None, missing: list[Choice] | None = None,
) -> FormConflict:
    """Merge the sent ``form`` (fields named in ``labels``, plus ``merge_base`` and ``lock_version``) with
    the ``current`` saved texts.

    The form is left ready to save over the current version: where the merge is clean its
    fields hold the merged text and its base is the current text; otherwise they keep the
    person's text until every choice is made (``form_choose``).
    """
    mine = {name: getattr(form, name).data or "" for name in labels}
    found = merge_edit(form.merge_base.data, current, mine, labels, current_author=current_author, current_at=current_at)
    hidden = [(getattr(form, name).name, mine[name]) for name in labels]
    hidden += [(form.merge_base.name, form.merge_base.data or ""), (form.lock_version.name, str(lock_version))]
    form.lock_version.data = lock_version if isinstance(form.lock_version.data, int) else str(lock_version)
    if found.clean:
        for name, value in found.values().items():
            getattr(form, name).data = value
        form.merge_base.data = snapshot(found.theirs())
    return FormConflict(found, hidden, missing or [])


def form_choose(form: Any, labels: Mapping[str, str], current: Mapping[str, str], sent: Mapping[str, str]) -> None:
    """Put the merged text, with the choices ``sent``, into the form (ChoicesMissing if one is missing)."""
    mine = {name: getattr(form, name).data or "" for name in labels}
    found = merge_edit(form.merge_base.data, current, mine, labels)
    values = found.values(sent)
    for name, value in values.items():
        getattr(form, name).data = value
    form.merge_base.data = snapshot(found.theirs())
