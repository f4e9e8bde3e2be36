"""The plan's own words: what it calls its two levels and its council, for every page's text.

Plans name their levels differently (ambitions and priorities, themes and outcomes, missions
and objectives) and councils call themselves by a short name ("the Royal Borough"). Page
builders, navigation, templates and booklet covers take these words from ``Plan.words`` and
never write "Ambition" or "Priority" themselves; ``plan.csv``'s optional fields set them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LABEL_FIELDS = (
    "ambition_label",
    "ambition_label_plural",
    "priority_label",
    "priority_label_plural",
)
FIELDS = (*LABEL_FIELDS, "council_short_name", "accessibility_contact")
"""The optional ``plan.csv`` fields that set the words (documented in ``data/README.md``)."""
MAX_LABEL = 40
"""A level's name is a heading, a menu entry and a table column: a word or two, not a sentence."""


@dataclass(frozen=True)
class Words:
    """What the plan calls things, each as a heading writes it ("Missions"); ``in_sentence``
    gives the form for running text ("every mission")."""

    ambition: str
    ambitions: str
    priority: str
    priorities: str
    council: str
    """The council's short name as it reads mid-sentence, e.g. ``the Royal Borough``."""
    accessibility_contact: str
    """Who readers contact about accessibility, as it reads after "contact"."""


def plural(label: str) -> str:
    """An English plural of a level's name: ``Objective`` → ``Objectives``, ``Priority`` →
    ``Priorities``. Irregular ones are given as ``*_label_plural``."""
    if label.endswith("y") and label[-2:-1].lower() not in tuple("aeiou"):
        return f"{label[:-1]}ies"
    return label if label.endswith("s") else f"{label}s"


def in_sentence(label: str) -> str:
    """A heading's word as running text writes it: first letter small unless it starts an
    abbreviation (``Missions`` → ``missions``, ``NHS outcomes`` unchanged)."""
    if label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def from_fields(fields: Mapping[str, str]) -> Words:
    """The words ``plan.csv`` sets, today's defaults for any it leaves out."""

    def given(name: str, default: str) -> str:
        return fields.get(name) or default

    ambition = given("ambition_label", "Ambition")
    priority = given("priority_label", "Priority")
    council = given("council_short_name", fields.get("council", ""))
    return Words(
        ambition=ambition,
        ambitions=given("ambition_label_plural", plural(ambition)),
        priority=priority,
        priorities=given("priority_label_plural", plural(priority)),
        council=council,
        accessibility_contact=given(
            "accessibility_contact", f"{council}'s performance and insight team"
        ),
    )


def problems(name: str, value: str) -> list[str]:
    """What is wrong with one of the words' fields as written (empty when it is fine)."""
    if name not in FIELDS:
        return []
    found = []
    if "\n" in value or "\r" in value:
        found.append(f"{name} must be on one line")
    if name in LABEL_FIELDS and len(value.strip()) > MAX_LABEL:
        found.append(f"{name} is a heading and menu entry: {MAX_LABEL} characters at most")
    return found
