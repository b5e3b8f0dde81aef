"""The offline plain-language scorer: syllables, sentences, reading ease and the verdict."""

from __future__ import annotations

import pytest

from collab.specs.readability import (
    LONG_SENTENCE,
    count_syllables,
    markdown_blocks,
    score,
    split_sentences,
)

# Syllable counts from a dictionary; the heuristic must get all of these right.
SYLLABLES = [
    ("cat", 1), ("the", 1), ("make", 1), ("whale", 1), ("jumped", 1), ("helps", 1), ("homes", 1),
    ("roles", 1), ("miles", 1), ("young", 1), ("queue", 1), ("year", 1), ("hour", 1),
    ("table", 2), ("simple", 2), ("people", 2), ("service", 2), ("wanted", 2), ("needed", 2),
    ("being", 2), ("social", 2), ("special", 2), ("equal", 2), ("approach", 2), ("beyond", 2),
    ("boxes", 2), ("cities", 2), ("tables", 2), ("precious", 2), ("yellow", 2), ("player", 2),
    ("carers", 2), ("every", 2),
    ("created", 3), ("idea", 3), ("area", 3), ("readable", 3), ("agreement", 3), ("syllable", 3),
    ("media", 3), ("quality", 3), ("earlier", 3), ("creative", 3), ("studio", 3), ("period", 3),
    ("stadium", 3), ("video", 3), ("alliance", 3), ("Riverside's", 3), ("co-produce", 3),
    ("recovery", 4), ("commissioning", 4), ("individual", 5), ("organisation", 5),
    ("NHS", 3),
]


@pytest.mark.parametrize(("word", "expected"), SYLLABLES)
def test_syllable_counts(word: str, expected: int) -> None:
    assert count_syllables(word) == expected


def test_numbers_are_read_aloud() -> None:
    assert count_syllables("7") == 1
    assert count_syllables("2026") == 4
    assert count_syllables("£1,200") == 4


SENTENCES = [
    ("one plain sentence", "We help people.", ["We help people."]),
    ("two sentences", "We help people. They get well.", ["We help people.", "They get well."]),
    ("question and exclamation", "Is it open? Yes! Come in.", ["Is it open?", "Yes!", "Come in."]),
    ("abbreviation e.g.", "Bring ID, e.g. a bus pass. Thanks.", ["Bring ID, e.g. a bus pass.", "Thanks."]),
    ("title before a name", "Dr. Haddad runs it. Ask him.", ["Dr. Haddad runs it.", "Ask him."]),
    ("initial", "Ask J. Smith first. Then wait.", ["Ask J. Smith first.", "Then wait."]),
    ("decimal money", "It costs £3.50 a week. That is all.", ["It costs £3.50 a week.", "That is all."]),
    ("no. before a number", "See No. 5 below. Done.", ["See No. 5 below.", "Done."]),
    (
        "list items are sentences even without full stops",
        "You can get:\n\n- a phone call\n- a visit at home\n* a place to stay",
        ["You can get:", "a phone call", "a visit at home", "a place to stay"],
    ),
    ("numbered list", "1. Call us\n2. We visit", ["Call us", "We visit"]),
    ("heading is its own sentence", "## Who it is for\nAdults in crisis.", ["Who it is for", "Adults in crisis."]),
    ("wrapped paragraph", "This is one\nsentence over lines.", ["This is one sentence over lines."]),
    ("markdown emphasis and links", "We **always** [call back](https://x.example). Fast.", ["We always call back.", "Fast."]),
    ("quote after the stop", 'She said "yes." Then left.', ['She said "yes."', "Then left."]),
    ("code blocks are skipped", "Text here.\n\n```\nx = 1. y = 2.\n```\n", ["Text here."]),
    ("empty", "", []),
]


@pytest.mark.parametrize(("case", "text", "expected"), SENTENCES, ids=[c[0] for c in SENTENCES])
def test_sentence_splitting(case: str, text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_table_cells_are_blocks() -> None:
    assert markdown_blocks("| Area | Money |\n|---|---|\n| Crisis | £2m |") == ["Area", "Money", "Crisis", "£2m"]


EASY = "The cat sat on the mat. The dog ran to the park. We had fun."
PLAIN = """If you are in crisis, you can call us at any time, day or night.
A trained worker will talk with you and help you make a plan to stay safe.
You can also come to the crisis café in the town centre."""
HARD = """Notwithstanding the aforementioned contractual obligations, the commissioning organisation
shall, subject to the availability of appropriately authorised budgetary allocations, endeavour to
facilitate the implementation of integrated multidisciplinary interventions, prioritising
individuals demonstrating significant vulnerability consistent with established eligibility criteria."""
LONG_BUT_SIMPLE = (
    "We will see you and we will talk and we will help you and your family and we will stay "
    "with you for as long as you need us and then we will check in again the next week."
)


KNOWN_TEXTS = [
    # name, text, verdict, reading ease range, average sentence length
    ("children's book", EASY, "Pass", (100, 120), 5.0),
    ("plain crisis leaflet", PLAIN, "Pass", (75, 105), 14.3),
    ("contract legalese", HARD, "Needs work", (-150, 0), 37.0),
    ("short words, one long sentence", LONG_BUT_SIMPLE, "Needs work", (60, 100), 39.0),
]


@pytest.mark.parametrize(("name", "text", "verdict", "ease", "asl"), KNOWN_TEXTS, ids=[k[0] for k in KNOWN_TEXTS])
def test_known_texts(name: str, text: str, verdict: str, ease: tuple[int, int], asl: float) -> None:
    result = score(text)
    assert result.verdict == verdict
    assert ease[0] <= result.reading_ease <= ease[1], result.reading_ease
    assert result.average_sentence_length == pytest.approx(asl, abs=0.5)


def test_flesch_formula_on_a_hand_counted_text() -> None:
    # 6 words, 1 sentence, 6 syllables: 206.835 - 1.015 * 6 - 84.6 * 1
    result = score("The cat sat on the mat.")
    assert (result.words, result.sentences, result.syllables) == (6, 1, 6)
    assert result.reading_ease == pytest.approx(116.145)


def test_needs_work_gives_reasons_and_longest_sentences() -> None:
    result = score(PLAIN + "\n\n" + HARD)
    assert result.longest[0].text.startswith("Notwithstanding")
    assert result.long_sentences and all(s.words > LONG_SENTENCE for s in result.long_sentences)
    assert score(HARD).reasons and len(score(HARD).reasons) == 2
    assert score(EASY).reasons == []
    assert score(EASY).long_sentences == []


def test_too_little_text_passes_without_judging() -> None:
    result = score("Budget")
    assert result.passes and not result.has_enough_text
