"""Word-level diffs and canonical Markdown: the pieces every document type shares."""

from __future__ import annotations

import hashlib

import pytest

from collab.documents.canonical import Section, canonical_markdown, clean_sha256, normalise_body, sha256_hex
from collab.documents.diff import DiffOp, render_diff, summarise, tokenise, word_diff


def test_tokens_rebuild_the_text():
    text = "We  share\nwhat we\tknow."
    assert "".join(tokenise(text)) == text


@pytest.mark.parametrize(
    ("old", "new", "ops"),
    [
        ("", "", []),
        ("same words", "same words", [DiffOp("equal", "same words")]),
        ("we meet yearly", "we meet monthly", [DiffOp("equal", "we meet "), DiffOp("delete", "yearly"), DiffOp("insert", "monthly")]),
        ("a b", "a b c", [DiffOp("equal", "a b"), DiffOp("insert", " c")]),
        ("a b c", "a c", [DiffOp("equal", "a "), DiffOp("delete", "b "), DiffOp("equal", "c")]),
        (None, "new", [DiffOp("insert", "new")]),
    ],
)
def test_word_diff(old, new, ops):
    assert word_diff(old, new) == ops


def test_diff_rebuilds_both_sides():
    old = "All win or all lose.\n\nEqual say for every member, big or small."
    new = "All win or all lose.\n\nAn equal say for every member, however big or small.\nNo blame."
    ops = word_diff(old, new)
    assert "".join(op.text for op in ops if op.kind != "insert") == old
    assert "".join(op.text for op in ops if op.kind != "delete") == new
    assert summarise(ops).sentence() == "5 words added, 1 word removed"


def test_rendered_diff_is_escaped_and_announced_to_screen_readers():
    html = str(render_diff("Keep <b>this</b>", "Keep <script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<del class="collab-diff__del"><span class="govuk-visually-hidden">[removed: </span>' in html
    assert '<ins class="collab-diff__ins"><span class="govuk-visually-hidden">[added: </span>' in html


def test_canonical_markdown_follows_the_documented_rules():
    text = canonical_markdown(
        "  Riverside\nagreement ",
        [("Alliance", "Riverside"), ("Version", "2")],
        [Section(1, "Purpose", "Line one.   \r\nLine two.\n\n\n\nNew paragraph.\n\n"), Section(2, "Empty", "  \n")],
    )
    assert text == (
        "# Riverside agreement\n\nAlliance: Riverside\nVersion: 2\n\n"
        "## 1. Purpose\n\nLine one.\nLine two.\n\nNew paragraph.\n\n"
        "## 2. Empty\n\n(No text)\n"
    )
    assert sha256_hex(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_canonical_text_is_deterministic_and_unicode_normalised():
    composed = canonical_markdown("Caf\u00e9", [], [Section(1, "x", "na\u00efve")])
    decomposed = canonical_markdown("Cafe\u0301", [], [Section(1, "x", "nai\u0308ve")])
    assert composed == decomposed
    assert normalise_body("a\r\nb\rc") == "a\nb\nc"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A" * 64, "a" * 64),
        ("sha256:" + "b" * 64, "b" * 64),
        (" " + "c" * 32 + "\n" + "c" * 32 + " ", "c" * 64),
        ("g" * 64, None),
        ("a" * 63, None),
        ("", None),
        (None, None),
    ],
)
def test_clean_sha256(value, expected):
    assert clean_sha256(value) == expected
