"""Named SPC methods, and how a plan and each KPI choose one and adjust its options.

A statistician reading a report must be able to tell which rules drew each XmR chart, and an
analyst must be able to match an NHS England Making Data Count (MDC) tool or an
NHSRplotthedots chart exactly. So the choices are data: ``plan.csv`` may set ``spc_method``
and any ``spc_<option>`` field for the whole plan, and ``kpis.csv`` the same columns for one
KPI. A KPI that names its own method starts from that method (the plan's options do not
apply to it); option values set on the KPI win over everything. docs/spc-methods.md tables
each option and why each method sets it as it does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from pmf_utils.judge import spc

METHODS: dict[str, spc.Options] = {
    "pmf": spc.Options(),
    "mdc": spc.Options(min_points=13, trial_below=13),
    "nhsrplotthedots": spc.Options(
        screen_outliers=True,
        min_points=2,
        trial_below=13,
        two_in_three=spc.TWO_TO_THREE_SIGMA,
    ),
}
"""Each named method's options; ``pmf`` is the project's default (docs/spc-methods.md)."""
DEFAULT = "pmf"
TITLES = {
    "pmf": "the project's default SPC method (Making Data Count rules, limits from 6 points)",
    "mdc": "NHS England's Making Data Count SPC method",
    "nhsrplotthedots": "the SPC method of NHSRplotthedots 0.2.2",
}
OPTIONS = tuple(f.name for f in fields(spc.Options))
SETTINGS = ("spc_method", *(f"spc_{name}" for name in OPTIONS))
"""The plan.csv fields and optional kpis.csv columns that choose a method and its options."""
MINIMUM = {
    "fix_after_n_points": 2,
    "shift_length": 2,
    "trend_length": 3,
    "min_points": 2,
    "trial_below": 0,
}
"""The smallest sensible value of each whole-number option (a trend needs two steps)."""
BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class Method:
    """A named method and the options it runs with (its own, or adjusted)."""

    name: str
    options: spc.Options

    def changes(self) -> dict[str, object]:
        """The options that differ from the named method's own."""
        own = METHODS[self.name]
        return {
            name: getattr(self.options, name)
            for name in OPTIONS
            if getattr(self.options, name) != getattr(own, name)
        }

    @property
    def label(self) -> str:
        """Short and exact, for tables and CSV: 'mdc' or 'mdc; shift_length=6'."""
        return "; ".join([self.name, *(f"{k}={_text(x)}" for k, x in self.changes().items())])

    def describe(self) -> str:
        """A sentence part for a chart's note: which method drew it, and any adjustments."""
        adjusted = [_PHRASES[name](value) for name, value in self.changes().items()]
        return TITLES[self.name] + (f" with {', '.join(adjusted)}" if adjusted else "")


_PHRASES = {
    "screen_outliers": lambda on: "outlier screening" if on else "no outlier screening",
    "fix_after_n_points": lambda n: f"limits frozen after {n} points",
    "shift_length": lambda n: f"shifts of {n} points",
    "trend_length": lambda n: f"trends of {n} points",
    "min_points": lambda n: f"limits from {n} points",
    "trial_below": lambda n: f"trial limits below {n} points",
    "two_in_three": lambda rule: (
        "two of three counting points beyond the limits"
        if rule == spc.BEYOND_TWO_SIGMA
        else "two of three counting only points between two and three sigma"
    ),
}


def _text(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def parse(setting: str, text: str) -> object:
    """The value of one ``spc_*`` setting written in a data file; ValueError says what is wrong."""
    name = setting.removeprefix("spc_")
    if name == "method":
        if text not in METHODS:
            raise ValueError(f"'{text}' is not one of: {', '.join(METHODS)}")
        return text
    if name == "screen_outliers":
        if text.lower() not in BOOLEANS:
            raise ValueError(f"'{text}' is not true or false")
        return BOOLEANS[text.lower()]
    if name == "two_in_three":
        if text not in spc.TWO_IN_THREE:
            raise ValueError(f"'{text}' is not one of: {', '.join(spc.TWO_IN_THREE)}")
        return text
    if not text.isdigit():
        raise ValueError(f"'{text}' is not a whole number")
    if int(text) < MINIMUM[name]:
        raise ValueError(f"{text} is too small: at least {MINIMUM[name]}")
    return int(text)


def resolve(settings: Mapping[str, str], start: Method) -> Method:
    """``start`` adjusted by the non-blank ``spc_*`` settings of one plan or KPI.

    A named ``spc_method`` replaces ``start`` with that method's own options before the
    other settings apply. The settings must have passed validation (``parse``).
    """
    chosen = settings.get("spc_method", "")
    method = Method(chosen, METHODS[chosen]) if chosen else start
    changes = {
        name: parse(f"spc_{name}", settings[f"spc_{name}"])
        for name in OPTIONS
        if settings.get(f"spc_{name}", "")
    }
    return replace(method, options=replace(method.options, **changes))


DEFAULT_METHOD = Method(DEFAULT, METHODS[DEFAULT])
