"""The words Collab uses that people may not know, explained in plain English.

One list, used three ways: the glossary page (``/glossary``), a one-line hint where a word
appears on a page (the ``what_is`` and ``hint`` macros in templates/_macros/glossary.html), and
a "Words used here" box beside texts that members write (an agreement's clauses), found by
``terms_in``. Each entry's ``slug`` is its anchor on the glossary page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    slug: str
    #: The word as it is shown, with its other names in brackets.
    word: str
    #: One sentence, for hint text beside the word.
    short: str
    #: A few short paragraphs for the glossary page.
    long: tuple[str, ...]
    #: Words in members' own text that mean this term (case-sensitive where shown in capitals).
    finds: tuple[str, ...] = field(default=())

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if not self.finds:
            return None
        # Abbreviations (ALT) match in capitals only; other words in any case.
        parts = [rf"\b{re.escape(w)}\b" if w.isupper() else rf"(?i:\b{re.escape(w)}\b)" for w in self.finds]
        return re.compile("|".join(parts))


TERMS: tuple[Term, ...] = (
    Term(
        "accession",
        "Accession (joining later)",
        "When an organisation joins after the agreement is in force, it signs that same version to join it.",
        (
            "When an organisation joins the alliance after a version of the agreement has come into force, "
            "someone who can speak for that organisation signs the same version. This is called an accession.",
            "It means the new organisation accepts the agreement everyone else has already signed. "
            "Signatures like this are marked “Joined later”.",
        ),
        ("accession",),
    ),
    Term(
        "alt",
        "ALT (Alliance Leadership Team)",
        "The group that leads the alliance: one seat for each member organisation, and seats for people who use services and carers.",
        (
            "The Alliance Leadership Team, or ALT, is the group that leads the alliance. Each member organisation "
            "has one seat on it, and so do people who use services and carers.",
            "The ALT meets regularly and decides together. Its papers are written in plain English, so that "
            "everyone can take part.",
        ),
        ("ALT", "Alliance Leadership Team"),
    ),
    Term(
        "consent",
        "Consent (agree, stand aside or object)",
        "A change is agreed when every seat agrees or stands aside, and no one objects.",
        (
            "The alliance decides by consent. That does not mean everyone must love a change. "
            "It means no one thinks it should not go ahead.",
            "Each seat answers in one of three ways. Agree: you are happy with it. Stand aside: you have concerns, "
            "but you will not block it. Object: it should not go ahead as it is. You give a reason when you stand "
            "aside or object.",
            "When every seat has answered and no one objects, the change is carried.",
        ),
    ),
    Term(
        "decision-register",
        "Decision register",
        "A list of every decision about the agreement, with each seat’s answer and the reasons.",
        (
            "The decision register lists every proposal that has been decided: carried, withdrawn, or decided "
            "with a reserved power. It shows how each seat answered and why. Anyone in the alliance can read it.",
        ),
    ),
    Term(
        "easy-read",
        "Easy read",
        "Short sentences and everyday words, one idea in each sentence.",
        (
            "An easy-read summary says what a document is about in short sentences and everyday words, with one "
            "idea in each sentence. It helps people with a learning disability, and anyone short of time.",
        ),
    ),
    Term(
        "in-force",
        "In force",
        "The version of the agreement everyone works to, once every member organisation has signed it.",
        (
            "A version of the agreement is in force when every member organisation has signed it. From then on, "
            "it is the agreement the alliance works to, until a newer version comes into force.",
            "A version that is still collecting signatures is not in force yet. Text that is being drafted is not "
            "a version at all until a commissioner publishes it.",
        ),
        ("in force",),
    ),
    Term(
        "reserved-power",
        "Reserved power",
        "A decision a commissioner may make alone, for things the funder must keep, such as the budget. The reason is always shown.",
        (
            "Most decisions are made by consent. But the organisations that pay for services (the commissioners) "
            "keep some decisions for themselves, such as the total budget, because the law or their council or "
            "NHS board requires it. These are reserved powers.",
            "When a commissioner uses a reserved power, they must give a reason. The decision and the reason go "
            "into the decision register, for everyone to see.",
        ),
        ("reserved power", "reserved powers"),
    ),
    Term(
        "seat",
        "Seat",
        "One voice when the alliance decides: each member organisation has one, and so does each service user or carer.",
        (
            "When the alliance decides something, each seat has one say. Every member organisation has one seat, "
            "whoever answers for it. Each service user or carer has a seat of their own.",
            "Commissioners who do not belong to an organisation, facilitators and observers do not hold a seat: "
            "they help the alliance decide, but do not answer for it.",
        ),
        ("seat", "seats"),
    ),
    Term(
        "sha-256",
        "SHA-256 (fingerprint of a text)",
        "A fingerprint of the exact words: any change, even one comma, gives a different one. You do not need it to take part.",
        (
            "SHA-256 is a way of working out a fingerprint of a text: a long string of 64 letters and numbers. "
            "The same words always give the same fingerprint, and changing even one comma gives a completely "
            "different one.",
            "Collab works out the fingerprint of each published version. Everyone who signs is signing the text "
            "with that fingerprint, and anyone can check later that a copy has not been changed. You do not need "
            "to understand it or copy it: Collab checks it for you.",
        ),
        ("SHA-256", "hash"),
    ),
    Term(
        "you-said-we-did",
        "You said, we did",
        "A report that answers every comment: what was changed, or why not.",
        (
            "After a consultation, the commissioners and facilitators answer every comment. The “you said, we did” "
            "report shows each comment with its answer: changed, partly changed, not changed (with the reason) or "
            "answered.",
        ),
    ),
)

BY_SLUG: dict[str, Term] = {term.slug: term for term in TERMS}


def term(slug: str) -> Term:
    """One entry (a wrong slug is a mistake in a template, so it fails loudly)."""
    return BY_SLUG[slug]


def terms_in(texts: Iterable[str | None]) -> list[Term]:
    """The glossary's words that appear in members' own texts, in glossary order."""
    joined = "\n".join(text for text in texts if text)
    return [t for t in TERMS if t.pattern is not None and t.pattern.search(joined)]
