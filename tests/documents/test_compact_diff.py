"""Compact word differences: only the changes and a few words around them (used by "you said, we did")."""

from __future__ import annotations

from collab.documents.diff import DiffOp, compact_ops, plain_diff, render_compact_diff, word_diff

LONG = " ".join(f"word{i}" for i in range(40))


def test_long_unchanged_runs_are_cut_to_a_few_words_either_side() -> None:
    old = LONG + " four hours. " + LONG
    new = LONG + " two hours. " + LONG
    ops = compact_ops(word_diff(old, new), context=3)
    assert ops[0] == DiffOp("equal", "… word37 word38 word39 ")
    assert [op.kind for op in ops] == ["equal", "delete", "insert", "equal"]
    assert ops[-1].text == " hours. word0 word1 …"


def test_a_short_text_is_kept_whole() -> None:
    ops = compact_ops(word_diff("We reply in ten days.", "We reply in five days."))
    assert "".join(op.text for op in ops if op.kind != "insert") == "We reply in ten days."


def test_unchanged_middle_between_two_changes_keeps_both_ends() -> None:
    old = "alpha " + LONG + " omega"
    new = "ALPHA " + LONG + " OMEGA"
    middle = compact_ops(word_diff(old, new), context=2)[2]
    assert middle == DiffOp("equal", " word0 word1 … word38 word39 ")


def test_plain_and_html_forms() -> None:
    old, new = LONG + " seen within four hours", LONG + " seen within two hours"
    assert plain_diff(old, new, context=2) == "… seen within [removed: four] [added: two] hours"
    html = str(render_compact_diff(old, new, context=2))
    assert html.startswith('<div class="collab-diff">… seen within <del')
    assert "word1 " not in html
    assert plain_diff("same", "same") == "same"
