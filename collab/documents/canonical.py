"""Canonical Markdown for a frozen document version, and its SHA-256.

A published version is identified by the SHA-256 of one exact text. The text is
built from the version's parts by ``canonical_markdown`` and nothing else, so that
anyone can rebuild it from the stored parts and check the hash. The rules:

1. The text is UTF-8, Unicode NFC, with line feeds (``\\n``) only.
2. Line 1 is ``# <title>``. Then a blank line, then one ``Key: value`` line for each
   metadata item in the order given (for example ``Alliance: ...`` and ``Version: 3``).
3. Each section follows, in order, as a blank line, ``## <number>. <heading>``, a blank
   line and the section's body. Headings and metadata are on one line (line breaks
   inside them become spaces; runs of spaces become one).
4. In bodies, trailing spaces and tabs are removed from every line, runs of three or
   more line breaks become two (one blank line), and blank lines at the start and end
   are removed. An empty body is written as ``(No text)``.
5. The file ends with exactly one line feed.

A second document type (for example a service specification) calls
``canonical_markdown(title, [("Alliance", ...), ("Version", "2")], sections)`` with its
own sections and stores the text and ``sha256_hex(text)`` on its version row.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    number: int | str
    heading: str
    body: str


def _one_line(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return re.sub(r"\s+", " ", text).strip()


def normalise_body(text: str | None) -> str:
    """Rule 4: tidy a Markdown body without changing what it says."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def canonical_markdown(
    title: str, metadata: Sequence[tuple[str, str]], sections: Iterable[Section]
) -> str:
    """The one exact text of a version (see the module docstring for the rules)."""
    out = [f"# {_one_line(title)}", ""]
    out.extend(f"{_one_line(key)}: {_one_line(str(value))}" for key, value in metadata)
    for section in sections:
        out.append("")
        out.append(f"## {_one_line(str(section.number))}. {_one_line(section.heading)}")
        out.append("")
        out.append(normalise_body(section.body) or "(No text)")
    return "\n".join(out) + "\n"


def sha256_hex(text: str | bytes) -> str:
    """The SHA-256 of the text's UTF-8 bytes, as 64 lower-case hex digits."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def clean_sha256(value: str | None) -> str | None:
    """A pasted hash in canonical form, or None if it is not a SHA-256."""
    value = re.sub(r"\s+", "", (value or "")).lower()
    if value.startswith("sha256:"):
        value = value[len("sha256:"):]
    return value if _HEX64.match(value) else None
