"""The built-in starter agreement: twelve short clauses in plain English.

We wrote these ourselves as a starting point for a values-based alliance agreement.
They are meant to be changed: each alliance should make them its own.
"""

from __future__ import annotations

STARTER_CLAUSES: list[tuple[str, str]] = [
    (
        "Purpose and shared outcomes",
        "We are working together so that people get better help.\n\n"
        "We will judge ourselves by what changes for the people who use our services, "
        "not by what each of us gets. Our shared outcomes are written on the alliance's home page. "
        "Every decision we make should help us reach them.",
    ),
    (
        "Alliance principles",
        "- **We all win or we all lose.** If one of us struggles, we all help.\n"
        "- **Everyone has an equal say.** Big and small members count the same.\n"
        "- **No blame.** When something goes wrong, we fix it together and learn from it.\n"
        "- **Open book.** We share our costs and what we know.\n"
        "- **Best for the service.** We choose what is best for the people we serve, "
        "even if it is not best for our own organisation.",
    ),
    (
        "Values and behaviours",
        "We are honest, kind and open with each other.\n\n"
        "We listen to people who use our services and to their carers, and we act on what they tell us. "
        "We keep our promises. If we cannot keep one, we say so early. "
        "We treat everyone with respect, in meetings and outside them.",
    ),
    (
        "Governance and the Alliance Leadership Team",
        "The Alliance Leadership Team (ALT) leads the alliance.\n\n"
        "Each member organisation has one seat. People who use services and carers have seats too. "
        "The ALT meets at least every three months. Papers go out a week before each meeting, "
        "in plain English, so that everyone can take part.",
    ),
    (
        "Decision making",
        "The ALT decides together. A decision is made when every seat agrees or stands aside, "
        "and no one objects.\n\n"
        "If someone objects, we talk again and look for a better answer. "
        "We write down every decision and the reasons for it, and anyone in the alliance can read them. "
        "Commissioners keep some decisions for themselves, such as the total budget. "
        "When they use one of these powers, they explain why.",
    ),
    (
        "Risk and reward",
        "We share risk and reward fairly.\n\n"
        "Each member gets back the costs it has agreed with the alliance. If we spend less than planned "
        "and reach our outcomes, we share what we save. If we spend more, we share that too. "
        "We agree the shares, with worked examples, before we sign.",
    ),
    (
        "Key result areas",
        "We will agree no more than six key result areas.\n\n"
        "Each one says what we will measure, how we will measure it, and the lowest result we will accept. "
        "We look at our results together every three months and decide what to do next.",
    ),
    (
        "Information sharing and open book",
        "We share the information the alliance needs to do its work well.\n\n"
        "Every member can see the alliance's costs and spending. "
        "We keep personal information safe and only share it when the law allows. "
        "We never share what a person has told us without a good reason and a lawful basis.",
    ),
    (
        "Conflicts of interest",
        "If a decision could help or harm your own organisation, or you personally, "
        "you tell the ALT before it is discussed.\n\n"
        "The ALT writes it down and agrees what you may take part in. "
        "Having a conflict is not wrong. Hiding one is.",
    ),
    (
        "Joining and leaving",
        "A new member joins by signing the version of this agreement that is in force.\n\n"
        "A member that wants to leave gives six months' notice in writing. "
        "Before it leaves, the ALT agrees how to keep the people it supports safe and how to hand over its work.",
    ),
    (
        "Dispute avoidance",
        "We do not take each other to court over the alliance's work.\n\n"
        "If we disagree, we follow these steps, in order, until it is sorted:\n\n"
        "1. The people involved talk it through within two weeks.\n"
        "2. The working group looks at it.\n"
        "3. The ALT looks at it at its next meeting.\n"
        "4. An independent facilitator helps us agree.",
    ),
    (
        "Term and variation",
        "This agreement lasts for five years from the date it comes into force.\n\n"
        "We can change it at any time if the ALT agrees. Each change makes a new version. "
        "Every member signs the new version before it replaces the old one.",
    ),
]
