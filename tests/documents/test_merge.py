"""The three-way merge behind the merge box: both people's changes go in; where they meet, a choice."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collab.documents.merge import ChoicesMissing, combine, merge_edit, pieces, read_snapshot, snapshot, three_way

BASE = "We meet every month. We share our costs.\n\nDecisions are unanimous."


def test_pieces_join_back_exactly():
    text = "One. Two!  Three?\n\n- a list\n- item\nNo end"
    assert "".join(pieces(text)) == text
    assert pieces("A. B.") == ["A. ", "B."]


@pytest.mark.parametrize(("theirs", "mine", "merged"), [
    # Different sentences of one paragraph.
    (BASE.replace("month", "week"), BASE.replace("our costs", "all our costs"),
     "We meet every week. We share all our costs.\n\nDecisions are unanimous."),
    # Neighbouring sentences (diff3 would call this a conflict).
    (BASE.replace("month", "week"), BASE.replace("We share our costs.", "We share our costs openly."),
     "We meet every week. We share our costs openly.\n\nDecisions are unanimous."),
    # A paragraph added at the end, and a change to the last line.
    (BASE + "\n\nWe review this each year.", BASE.replace("unanimous", "by consent"),
     "We meet every month. We share our costs.\n\nDecisions are by consent.\n\nWe review this each year."),
    # The same change made by both.
    (BASE.replace("month", "week"), BASE.replace("month", "week"), BASE.replace("month", "week")),
    # Only one of them changed anything.
    (BASE, BASE.replace("month", "week"), BASE.replace("month", "week")),
    (BASE.replace("month", "week"), BASE, BASE.replace("month", "week")),
])
def test_changes_to_different_words_merge_cleanly(theirs, mine, merged):
    result = three_way(BASE, theirs, mine)
    assert result.clean and result.text() == merged


def test_changes_to_the_same_sentence_need_a_choice_and_every_choice_keeps_the_rest():
    result = three_way(BASE, BASE.replace("month", "week") + "\n\nNew.", BASE.replace("month", "fortnight"))
    assert not result.clean and len(result.conflicts) == 1
    part = result.conflicts[0]
    assert (part.base, part.theirs, part.mine) == ("We meet every month. ", "We meet every week. ", "We meet every fortnight. ")
    with pytest.raises(ValueError):
        result.text()
    assert result.text(["theirs"]).startswith("We meet every week. We share") and result.text(["theirs"]).endswith("New.")
    assert result.text(["mine"]).startswith("We meet every fortnight. We share") and result.text(["mine"]).endswith("New.")
    assert result.text(["both"]).startswith("We meet every week. We meet every fortnight. We share")


def test_one_removed_what_the_other_changed():
    result = three_way(BASE, BASE.replace("We share our costs.\n", ""), BASE.replace("our costs", "all costs"))
    assert [(p.theirs, p.mine) for p in result.conflicts] == [("", "We share all costs.\n")]


def test_without_a_base_nothing_is_merged_silently():
    result = three_way(None, "Their text.", "My text.")
    assert [(p.theirs, p.mine) for p in result.conflicts] == [("Their text.", "My text.")]
    assert three_way(None, "Same.", "Same.").text() == "Same."


def test_line_endings_do_not_make_a_conflict():
    assert three_way("A.\nB.", "A.\r\nB!", "A!\r\nB.").text() == "A!\nB!"


def test_combine_puts_theirs_first():
    assert combine("Theirs.", "Mine.") == "Theirs. Mine."
    assert combine("Theirs.\n", "Mine.\n") == "Theirs.\nMine.\n"
    assert combine("", "Mine.") == "Mine."


def test_snapshots_survive_tampering():
    assert read_snapshot(snapshot({"body": "x\r\ny"})) == {"body": "x\ny"}
    for bad in (None, "", "not json", "[1, 2]", '{"body": 3}'):
        assert read_snapshot(bad).get("body") is None


def test_several_fields_number_their_choices_and_refuse_missing_ones():
    found = merge_edit(snapshot({"heading": "Purpose", "body": BASE}),
                       {"heading": "Our purpose", "body": BASE.replace("month", "week")},
                       {"heading": "The purpose", "body": BASE.replace("month", "year")},
                       {"heading": "Heading", "body": "Text"})
    assert [(c.key, c.number) for c in found.choices] == [("keep-heading-0", 1), ("keep-body-0", 2)]
    with pytest.raises(ChoicesMissing) as missing:
        found.values({"keep-heading-0": "mine", "keep-body-0": "whatever"})
    assert [c.key for c in missing.value.missing] == ["keep-body-0"]
    values = found.values({"keep-heading-0": "mine", "keep-body-0": "theirs"})
    assert values == {"heading": "The purpose", "body": BASE.replace("month", "week")}


_SENTENCE = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).map(lambda s: s.strip() or "x")


@settings(max_examples=150, deadline=None)
@given(
    base=st.lists(_SENTENCE, min_size=1, max_size=8),
    theirs_at=st.sets(st.integers(0, 7)),
    mine_at=st.sets(st.integers(0, 7)),
    choice=st.sampled_from(["theirs", "mine", "both"]),
)
def test_no_change_is_ever_lost_without_a_choice(base, theirs_at, mine_at, choice):
    """Each person rewrites some sentences. A clean merge has every rewrite; where they meet the
    person must choose, and "keep both" everywhere keeps every rewrite. Rewrites of different
    sentences never meet."""
    text = lambda words: "".join(f"{w}. " for w in words).rstrip()  # noqa: E731
    theirs = [f"T{i} {w}" if i in theirs_at else w for i, w in enumerate(base)]
    mine = [f"M{i} {w}" if i in mine_at else w for i, w in enumerate(base)]
    rewrites = [f"T{i} {w}" for i, w in enumerate(base) if i in theirs_at]
    rewrites += [f"M{i} {w}" for i, w in enumerate(base) if i in mine_at]
    result = three_way(text(base), text(theirs), text(mine))
    if not theirs_at & mine_at & set(range(len(base))) and len(set(base)) == len(base):
        assert result.clean
    if result.clean:
        assert all(r in result.text() for r in rewrites)
    merged = result.text(["both"] * len(result.conflicts))
    assert all(r in merged for r in rewrites)
    assert result.text([choice] * len(result.conflicts))  # every choice gives a text
