"""An offline plain-language score for Markdown text.

Why our own: textstat 0.7 downloads an nltk word list the first time it runs,
which fails on machines without internet. The formulas are public and small.

What is measured
- Sentences: Markdown is split into blocks first (paragraphs, list items,
  headings, table cells). Each block ends at least one sentence, so a bullet
  list without full stops counts as one sentence per item, as a reader sees it.
  Inside a block a sentence ends at ``.``, ``!`` or ``?`` followed by a space
  and a capital letter, digit or quote, unless the full stop belongs to a known
  abbreviation ("e.g.", "Dr.", "No. 5") or an initial ("J. Smith").
- Words: runs of letters, digits and inner apostrophes/hyphens ("don't",
  "co-produce", "£1,200" counts once).
- Syllables: a heuristic (vowel groups, silent final "e", "-ed" and "-es"
  endings, "-le" after a consonant, a few vowel pairs that split, and a short
  list of exceptions). It agrees with dictionaries on everyday words closely
  enough for a document-level score; see tests/specs/test_readability.py.
- Flesch reading ease: 206.835 - 1.015 × words per sentence - 84.6 × syllables per word.

The verdict: "readable at age 11"
Flesch bands put 60-70 at "plain English" and 80+ at "easy" (about age 11 in the
US school grades the formula was built on). Specifications must name services,
laws and organisations, which the formula scores as hard whatever the writing,
so a strict 80 would fail nearly every real spec and stop meaning anything. We
pass a section when BOTH hold:

- reading ease is at least ``MIN_READING_EASE`` (60): plain English; and
- the average sentence is at most ``MAX_AVERAGE_SENTENCE`` (20) words: the
  Plain English Campaign's 15-20 word guide; GOV.UK advises 25 at most for
  any one sentence, so sentences over ``LONG_SENTENCE`` (25) words are listed
  as the longest ones to shorten first.

Too little text to judge (under ``MIN_WORDS`` words) passes with no score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MIN_READING_EASE = 60.0
MAX_AVERAGE_SENTENCE = 20.0
LONG_SENTENCE = 25
MIN_WORDS = 5
#: How many of the longest sentences to show an author.
SHOW_LONGEST = 3

# Abbreviations whose full stop does not end a sentence (lower case, without the final dot).
ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "etc", "eg", "ie", "vs", "cf", "approx", "dept", "est", "incl", "no", "nos",
        "mr", "mrs", "ms", "mx", "dr", "prof", "st", "rev", "sr", "jr", "cllr", "hon", "gov",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "a.m", "p.m", "ltd", "co", "inc", "fig", "para", "ref", "tel", "ext", "govt", "u.k",
    }
)

# Words the heuristic gets wrong that are common in our domain.
_SYLLABLE_EXCEPTIONS = {
    "the": 1, "every": 2, "everyone": 3, "everything": 3, "people": 2, "business": 2,
    "area": 3, "areas": 3, "idea": 3, "ideas": 3, "being": 2, "create": 2, "created": 3,
    "creates": 2, "react": 2, "reaction": 3, "science": 2, "quiet": 2, "poem": 2,
    "diet": 2, "fire": 1, "hour": 1, "hours": 1, "our": 1, "ours": 1, "queue": 1,
    "recreate": 3, "naive": 2, "going": 2, "doing": 2, "seeing": 2, "agreeing": 3,
    "lived": 1, "loved": 1, "moved": 1, "used": 1, "whole": 1, "where": 1, "there": 1,
    "here": 1, "were": 1, "one": 1, "once": 1, "someone": 2, "somewhere": 2, "something": 2,
    "sometimes": 2, "themselves": 2, "yourself": 2, "carer": 2, "carers": 2, "care": 1,
    "nhs": 3, "ok": 2, "alliance": 3, "alliances": 4, "cooperate": 4, "co-operate": 4,
    "coordinate": 4, "evaluate": 4, "individual": 5, "individuals": 5, "via": 2,
    "usual": 3, "usually": 4, "actual": 3, "actually": 4, "annual": 3, "january": 4,
    "february": 4, "situation": 4, "situations": 4, "ensure": 2, "business's": 3,
    "different": 3, "interest": 3, "interesting": 4, "family": 3, "families": 3,
    "evening": 2, "several": 3, "general": 3, "generally": 4, "average": 3, "favourite": 3,
    "sure": 1, "reopen": 3, "reuse": 2, "review": 2, "reviewing": 3, "preview": 2,
}

_VOWELS = "aeiouy"
# Vowel pairs that are usually two syllables ("stud-i-o", "cre-ate" handled above).
_SPLIT_PAIRS = re.compile(r"((?<![ctg])ia(?!n$)|(?<![ctsx])io(?!n|us)|(?<![qg])ua(?!r|y)|uo|eo(?!u)|iu|ie(?=r)|ea(?=te|ti))")
_WORD = re.compile(r"[A-Za-z0-9£$€%]+(?:[-'’.,][A-Za-z0-9]+)*")
_MARKDOWN_INLINE = [
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"https?://\S+"), "link"),
]
_BLOCK_MARKER = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")
_SENTENCE_END = re.compile(r"([.!?]+)([\"'”’)\]]*)\s+(?=[\"'“‘(\[]?[A-Z0-9£])")


def count_syllables(word: str) -> int:
    """Estimate the syllables in one word (at least 1 for any word)."""
    w = word.lower().strip("'’.-")
    if not w:
        return 0
    if w in _SYLLABLE_EXCEPTIONS:
        return _SYLLABLE_EXCEPTIONS[w]
    if any(ch.isdigit() for ch in w):
        # Numbers are read aloud: "2026" is "twenty twenty-six". Roughly one per digit, at most 6.
        digits = sum(ch.isdigit() for ch in w)
        return max(1, min(digits, 6))
    if "-" in w:
        return sum(count_syllables(part) for part in w.split("-") if part)
    if w.endswith(("'s", "’s")):
        stem = w[:-2]
        extra = 1 if stem.endswith(("s", "x", "z", "ch", "sh", "ce", "ge")) else 0
        return count_syllables(stem) + extra
    letters = re.sub(r"[^a-z]", "", w)
    if not letters:
        return 1
    if len(letters) <= 3:
        return 1 if any(c in _VOWELS for c in letters) else max(1, len(letters))  # "BBC" → b-b-c
    # "y" before a vowel is a consonant: "young", "beyond", "player".
    letters = re.sub(r"y(?=[aeiou])", "j", letters)
    groups = re.findall(r"[aeiouy]+", letters)
    count = len(groups)
    count += len(_SPLIT_PAIRS.findall(letters))
    # Silent endings.
    if letters.endswith("e") and not letters.endswith(("le", "ee", "ye", "oe", "ie")):
        count -= 1
    elif letters.endswith("le") and len(letters) > 2 and letters[-3] in _VOWELS:
        count -= 1  # "whale", "mile": the e is silent
    elif letters.endswith("es") and not letters.endswith(("ses", "zes", "ces", "ges", "xes", "ches", "shes", "ies", "ees", "oes", "les")):
        count -= 1  # "makes", "homes"
    elif letters.endswith("ed") and not letters.endswith(("ted", "ded", "eed", "ied")):
        count -= 1  # "jumped", "helped"; but "wanted", "needed"
    if letters.endswith("les") and len(letters) > 3 and letters[-4] in _VOWELS:
        count -= 1  # "miles", "roles"
    return max(1, count)


def markdown_blocks(text: str) -> list[str]:
    """Plain-text blocks of Markdown: paragraphs, list items, headings, table rows."""
    blocks: list[str] = []
    current: list[str] = []
    in_code = False

    def close() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if line.lstrip().startswith(("```", "~~~")):
            close()
            in_code = not in_code
            continue
        if in_code:
            continue
        if not line.strip() or re.match(r"^\s*([-*_]\s*){3,}$", line) or re.match(r"^\s*\|?\s*:?-{3,}", line):
            close()
            continue
        if line.lstrip().startswith("|"):
            close()
            blocks.extend(cell.strip() for cell in line.strip().strip("|").split("|") if cell.strip())
            continue
        marker = _BLOCK_MARKER.match(line)
        if marker:
            close()
            line = _BLOCK_MARKER.sub("", line, count=1)
        current.append(line.strip())
        if marker and marker.group(1).startswith("#"):
            close()  # a heading is one line
    close()
    cleaned = []
    for block in blocks:
        for pattern, replacement in _MARKDOWN_INLINE:
            block = pattern.sub(replacement, block)
        block = re.sub(r"\s+", " ", block).strip()
        if _WORD.search(block):
            cleaned.append(block)
    return cleaned


def split_sentences(text: str) -> list[str]:
    """Sentences of Markdown text, coping with lists, abbreviations, initials and decimals."""
    sentences: list[str] = []
    for block in markdown_blocks(text):
        start = 0
        for match in _SENTENCE_END.finditer(block):
            end = match.end(2)
            candidate = block[start:end]
            before = candidate[: match.start(1) - start]
            last_word = before.rsplit(" ", 1)[-1].lower().lstrip("(\"'“‘")
            if match.group(1) == "." and (last_word in ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last_word)):
                continue  # "e.g. Shared", "Dr. Haddad", "J. Smith"
            if candidate.strip():
                sentences.append(candidate.strip())
            start = match.end()
        rest = block[start:].strip()
        if rest and _WORD.search(rest):
            sentences.append(rest)
    return sentences


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int


@dataclass
class ReadabilityScore:
    """What authors see beside each section."""

    words: int
    sentences: int
    syllables: int
    longest: list[Sentence] = field(default_factory=list)

    @property
    def has_enough_text(self) -> bool:
        return self.words >= MIN_WORDS and self.sentences > 0

    @property
    def average_sentence_length(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def reading_ease(self) -> float:
        if not self.has_enough_text:
            return 100.0
        return 206.835 - 1.015 * self.average_sentence_length - 84.6 * self.syllables_per_word

    @property
    def passes(self) -> bool:
        if not self.has_enough_text:
            return True
        return self.reading_ease >= MIN_READING_EASE and self.average_sentence_length <= MAX_AVERAGE_SENTENCE

    @property
    def verdict(self) -> str:
        return "Pass" if self.passes else "Needs work"

    @property
    def reasons(self) -> list[str]:
        """Plain reasons for a 'needs work' verdict."""
        found: list[str] = []
        if not self.has_enough_text:
            return found
        if self.reading_ease < MIN_READING_EASE:
            found.append(f"Reading ease is {self.reading_ease:.0f}; aim for {MIN_READING_EASE:.0f} or more. Use shorter, everyday words.")
        if self.average_sentence_length > MAX_AVERAGE_SENTENCE:
            found.append(
                f"Sentences average {self.average_sentence_length:.0f} words; aim for {MAX_AVERAGE_SENTENCE:.0f} or fewer."
            )
        return found

    @property
    def long_sentences(self) -> list[Sentence]:
        """The longest sentences over LONG_SENTENCE words, longest first."""
        return [s for s in self.longest if s.words > LONG_SENTENCE]


def score(text: str) -> ReadabilityScore:
    """Score Markdown text."""
    sentences = split_sentences(text)
    counted = [Sentence(s, len(words(s))) for s in sentences]
    counted = [s for s in counted if s.words]
    all_words = [w for s in sentences for w in words(s)]
    syllables = sum(count_syllables(w) for w in all_words)
    longest = sorted(counted, key=lambda s: s.words, reverse=True)[:SHOW_LONGEST]
    return ReadabilityScore(words=len(all_words), sentences=len(counted), syllables=syllables, longest=longest)
