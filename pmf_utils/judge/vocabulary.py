"""The words, symbols and colours every judgement is shown with, and how figures are printed.

Public sector pages must never carry meaning by colour alone (WCAG 2.2 AA), so every judgement
value has a word label and a text symbol as well as a colour. Charts, pages, PDFs and the
command line all take their wording from here so a judgement reads the same everywhere.

Colours are colour-blind-safe and follow NHS England's Making Data Count convention (blue for
good, orange for concern, grey for no signal, purple for change where neither direction is
better): blue ``#0072B2`` and vermilion ``#D55E00`` from the Okabe-Ito palette, reddish purple
``#CC79A7`` (also Okabe-Ito) for within tolerance, a dark purple for polarity-free change and a
dark grey (also for "hit and miss", grey in MDC's assurance icon: see ``pmf_utils.pages.icons``).
Each has at least 3:1 contrast on white, as WCAG asks of graphics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

GOOD = "#0072B2"
BAD = "#D55E00"
BETWEEN = "#CC79A7"
NEUTRAL = "#5E3C99"
QUIET = "#6E6E6E"

# Judgement values, as they appear in `pmf status` and the assessment data frame.
ON_TARGET = "on target"
WITHIN_TOLERANCE = "within tolerance"
OFF_TARGET = "off target"
MONITOR_ONLY = "monitor only"
NO_DATA = "no data"

IMPROVING = "improving"
WORSENING = "worsening"
NO_CHANGE = "no significant change"
INCREASING = "increasing"
DECREASING = "decreasing"
NOT_AVAILABLE = "not available"

BETTER = "better"
SIMILAR = "similar"
WORSE = "worse"
HIGHER = "higher"
LOWER = "lower"

COMMON_CAUSE = "common cause"
IMPROVEMENT = "special cause improvement"
CONCERN = "special cause concern"
NEUTRAL_HIGH = "special cause neutral high"
NEUTRAL_LOW = "special cause neutral low"
NOT_ENOUGH_DATA = "not enough data"

PASSING = "consistently passing"
HIT_AND_MISS = "hit and miss"
FAILING = "consistently failing"
NOT_APPLICABLE = "not applicable"

STALE_DATA = "stale data"

EXCEPTION_REASONS = (OFF_TARGET, WORSENING, CONCERN, FAILING, STALE_DATA, NO_DATA)
"""The reasons a KPI is escalated, in the order a report lists them."""

UP, DOWN = "↑", "↓"


@dataclass(frozen=True)
class Term:
    """How one judgement value is shown: a label, a symbol that needs no colour, a colour."""

    label: str
    symbol: str
    colour: str


VOCABULARY: dict[str, dict[str, Term]] = {
    "status": {
        ON_TARGET: Term("On target", "✔", GOOD),
        WITHIN_TOLERANCE: Term("Within tolerance", "▲", BETWEEN),
        OFF_TARGET: Term("Off target", "✖", BAD),
        MONITOR_ONLY: Term("Monitor only", "○", QUIET),
        NO_DATA: Term("No data", "–", QUIET),
    },
    "direction": {
        IMPROVING: Term("Improving", UP, GOOD),
        NO_CHANGE: Term("No significant change", "↔", QUIET),
        WORSENING: Term("Worsening", DOWN, BAD),
        INCREASING: Term("Increasing", UP, NEUTRAL),
        DECREASING: Term("Decreasing", DOWN, NEUTRAL),
        NOT_AVAILABLE: Term("Not available", "–", QUIET),
    },
    "benchmark": {
        BETTER: Term("Better", "⊕", GOOD),
        SIMILAR: Term("Similar", "≈", QUIET),
        WORSE: Term("Worse", "⊖", BAD),
        HIGHER: Term("Higher", UP, NEUTRAL),
        LOWER: Term("Lower", DOWN, NEUTRAL),
        NOT_AVAILABLE: Term("Not available", "–", QUIET),
    },
    "variation": {
        COMMON_CAUSE: Term("Common cause variation", "~", QUIET),
        IMPROVEMENT: Term("Special cause improvement", "H", GOOD),
        CONCERN: Term("Special cause concern", "L", BAD),
        NEUTRAL_HIGH: Term("Special cause, high", "H", NEUTRAL),
        NEUTRAL_LOW: Term("Special cause, low", "L", NEUTRAL),
        NOT_ENOUGH_DATA: Term("Not enough data for SPC", "–", QUIET),
    },
    "assurance": {
        PASSING: Term("Consistently passing", "P", GOOD),
        HIT_AND_MISS: Term("Hit and miss", "?", QUIET),
        FAILING: Term("Consistently failing", "F", BAD),
        NOT_APPLICABLE: Term("No target to assure", "–", QUIET),
        NOT_ENOUGH_DATA: Term("Not enough data for SPC", "–", QUIET),
    },
    "exception": {
        OFF_TARGET: Term("Off target", "✖", BAD),
        WORSENING: Term("Worsening", "↘", BAD),
        CONCERN: Term("Special cause concern", "!", BAD),
        FAILING: Term("Consistently failing", "F", BAD),
        STALE_DATA: Term("Stale data", "◷", BAD),
        NO_DATA: Term("No data", "–", BAD),
    },
}
"""Every judgement kind and its values: the vocabulary documented in the README."""

# Symbols that show which way the figure moved, so they follow the KPI's polarity: an
# improvement in a lower-is-better KPI is a fall.
_WITH_POLARITY = {
    ("direction", IMPROVING): (UP, DOWN),
    ("direction", WORSENING): (DOWN, UP),
    ("variation", IMPROVEMENT): ("H", "L"),
    ("variation", CONCERN): ("L", "H"),
}


def term(kind: str, value: str) -> Term:
    """The display term for one judgement value (``KeyError`` names an unknown one)."""
    try:
        return VOCABULARY[kind][value]
    except KeyError:
        raise KeyError(f"no {kind} judgement called {value!r}") from None


def label(kind: str, value: str) -> str:
    """The word label, e.g. ``label('status', 'off target') == 'Off target'``."""
    return term(kind, value).label


def symbol(kind: str, value: str, polarity: str = "higher") -> str:
    """A text symbol that carries the meaning without colour.

    Arrows and the H/L of special cause show the way the figure moved, so they depend on the
    KPI's polarity: an improving lower-is-better KPI falls (``↓``).
    """
    pair = _WITH_POLARITY.get((kind, value))
    if pair is not None:
        return pair[polarity == "lower"]
    return term(kind, value).symbol


def colour(kind: str, value: str) -> str:
    """The colour (hex) to draw the judgement in, always alongside its symbol and label."""
    return term(kind, value).colour


def text(kind: str, value: str, polarity: str = "higher") -> str:
    """Symbol and label together, e.g. ``'✔ On target'``: what a table cell shows."""
    return f"{symbol(kind, value, polarity)} {label(kind, value)}"


def _number(value: float, decimals: int) -> str:
    # Round first so a tiny negative does not print as "-0.0".
    rounded = round(value, decimals) + 0.0
    return f"{rounded:,.{decimals}f}"


def format_value(value: float, unit: str, decimals: int = 0, rate_per: float = math.nan) -> str:
    """A figure as a reader expects it: ``63.2%``, ``1,234``, ``£1.2m``, ``12.4 per 1,000``.

    A missing or suppressed figure prints as "no figure", never as zero.
    """
    if value is None or math.isnan(value):
        return "no figure"
    if unit == "percentage":
        return f"{_number(value, decimals)}%"
    if unit == "rate":
        return f"{_number(value, decimals)} per {rate_per:,.0f}"
    if unit == "currency":
        sign, size = ("-" if value < 0 else ""), abs(value)
        for scale, suffix in ((1e9, "bn"), (1e6, "m")):
            if size >= scale:
                return f"{sign}£{_number(size / scale, 1)}{suffix}"
        return f"{sign}£{_number(size, decimals)}"
    if unit == "days":
        days = _number(value, decimals)
        return f"{days} day" if days == "1" else f"{days} days"
    return _number(value, decimals)
