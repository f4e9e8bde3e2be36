"""Reporting periods: financial-year quarters, months and annual periods.

English councils report by financial year (April to March), so a report quarter is written
``2025/26 Q2`` (July to September 2025) with the file-safe slug ``2025-26-q2``. KPIs arrive
monthly, quarterly or annually (financial, academic or calendar year). Every period is held as a
``pandas.Period`` so ordering, shifting and start/end dates come from pandas rather than from
hand-written calendar arithmetic; this module only parses and formats the council's spellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

FREQUENCIES: dict[str, str] = {
    "monthly": "M",
    "quarterly": "Q-MAR",
    "annual-financial": "Y-MAR",
    "annual-academic": "Y-AUG",
    "annual-calendar": "Y-DEC",
}
"""The KPI cadences the data dictionary may name, mapped to pandas period frequencies."""

PERIODS_PER_YEAR: dict[str, int] = {
    "monthly": 12,
    "quarterly": 4,
    "annual-financial": 1,
    "annual-academic": 1,
    "annual-calendar": 1,
}

FORMATS: dict[str, str] = {
    "monthly": "2025-04",
    "quarterly": "2025/26 Q1",
    "annual-financial": "2024/25",
    "annual-academic": "2024/25",
    "annual-calendar": "2024",
}
"""An example of how a period of each cadence is written in the data files."""

_QUARTER = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2})\s*[ -]?\s*[qQ]([1-4])\s*$")
_YEAR_PAIR = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2})\s*$")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{2})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


class PeriodError(ValueError):
    """A period written in a way this module cannot read."""


def _check_pair(start: int, end2: int, text: str) -> None:
    if (start + 1) % 100 != end2:
        raise PeriodError(f"'{text}' is not a year followed by the next year (e.g. 2025/26)")


def parse_quarter(text: str) -> pd.Period:
    """Read a report quarter typed as ``2025/26 Q2`` or as its slug ``2025-26-q2``."""
    match = _QUARTER.match(str(text))
    if not match:
        raise PeriodError(f"'{text}' is not a quarter such as 2025/26 Q2 or 2025-26-q2")
    start, end2, q = int(match[1]), int(match[2]), int(match[3])
    _check_pair(start, end2, text)
    # pandas names a Q-MAR fiscal year by the calendar year it ends in.
    return pd.Period(year=start + 1, quarter=q, freq="Q-MAR")


def parse_period(text: str, frequency: str) -> pd.Period:
    """Read a KPI period written for its cadence (see ``FORMATS``)."""
    if frequency not in FREQUENCIES:
        raise PeriodError(f"unknown frequency '{frequency}'")
    text = str(text)
    if frequency == "quarterly":
        return parse_quarter(text)
    if frequency == "monthly":
        match = _MONTH.match(text)
        if not match or not 1 <= int(match[2]) <= 12:
            raise PeriodError(f"'{text}' is not a month such as 2025-04")
        return pd.Period(year=int(match[1]), month=int(match[2]), freq="M")
    if frequency == "annual-calendar":
        match = _YEAR.match(text)
        if not match:
            raise PeriodError(f"'{text}' is not a calendar year such as 2024")
        return pd.Period(year=int(match[1]), freq="Y-DEC")
    match = _YEAR_PAIR.match(text)
    if not match:
        raise PeriodError(f"'{text}' is not a year such as 2024/25")
    start, end2 = int(match[1]), int(match[2])
    _check_pair(start, end2, text)
    return pd.Period(year=start + 1, freq=FREQUENCIES[frequency])


def _year_pair(end_year: int) -> str:
    return f"{end_year - 1}/{end_year % 100:02d}"


def format_period(period: pd.Period) -> str:
    """Write a period the way the data files and the report spell it."""
    freq = period.freqstr
    if freq == "M":
        return f"{period.year:04d}-{period.month:02d}"
    if freq == "Q-MAR":
        return f"{_year_pair(period.qyear)} Q{period.quarter}"
    if freq == "Y-DEC":
        return f"{period.year:04d}"
    if freq in ("Y-MAR", "Y-AUG"):
        return _year_pair(period.year)
    raise PeriodError(f"no spelling for periods of frequency {freq}")


def describe_period(period: pd.Period) -> str:
    """A reader's label, e.g. 'Apr 2025', '2025/26 Q2 (Jul-Sep 2025)', '2024/25 academic year'."""
    freq = period.freqstr
    if freq == "M":
        return period.strftime("%b %Y")
    if freq == "Q-MAR":
        start, end = period.start_time, period.end_time
        return f"{format_period(period)} ({start:%b}-{end:%b %Y})"
    kind = {"Y-MAR": "financial year", "Y-AUG": "academic year", "Y-DEC": "calendar year"}[freq]
    return f"{format_period(period)} {kind}"


def quarter_label(quarter: pd.Period) -> str:
    """``2025/26 Q2``."""
    return format_period(quarter)


def quarter_slug(quarter: pd.Period) -> str:
    """``2025-26-q2``: the file-safe spelling used for folders and URLs."""
    return f"{quarter.qyear - 1}-{quarter.qyear % 100:02d}-q{quarter.quarter}"


def financial_year(date: pd.Timestamp) -> str:
    """The financial year a date falls in, e.g. ``2025/26`` for 30 September 2025."""
    return format_period(pd.Period(date, freq="Y-MAR"))


@dataclass(frozen=True)
class Cadence:
    """How often a KPI is published and how long after its period ends."""

    frequency: str
    lag_months: int = 0

    def shift_year(self) -> int:
        """How many periods back the same period a year earlier is."""
        return PERIODS_PER_YEAR[self.frequency]

    def expected_latest(self, quarter: pd.Period) -> pd.Period:
        """The newest period that should be published by the end of ``quarter``.

        A period is due once the month it ends in, plus the publication lag, has passed by
        the end of the quarter.
        """
        last_month = pd.Period(quarter.end_time, freq="M")
        period = pd.Period(quarter.end_time, freq=FREQUENCIES[self.frequency])
        while pd.Period(period.end_time, freq="M") + self.lag_months > last_month:
            period -= 1
        return period
