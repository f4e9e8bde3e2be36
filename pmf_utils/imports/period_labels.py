"""Read the period labels public health downloads use, as periods of a KPI's own cadence.

Fingertips writes ``2023/24`` (a financial or an academic year: which one depends on the
indicator, so the KPI's frequency decides), ``2023`` (a calendar year), ``2023/24 Q1`` (a
financial quarter), ``2021 - 23`` or ``2020/21 - 22/23`` (figures pooled over three years),
and its newer service writes ``Apr to Jun 2023``, ``Apr 2023`` or ``2021 to 2023``. Each label
is read as the months it covers; the KPI's period is the one ending in the label's last month.
A label covering several periods (only a range may) is a rolling figure, filed under the period
it ends with, as the data dictionary's ``methodology`` should say.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import pandas as pd

from pmf_utils.data.periods import FREQUENCIES, PeriodError

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_abbr[number], calendar.month_name[number], "sept" * (number == 9))
    if name
}
MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3}

_YEAR = re.compile(r"^(\d{4})$")
_PAIR = re.compile(r"^(\d{4})/(\d{2})$")
_FINANCIAL_QUARTER = re.compile(r"^(\d{4})/(\d{2})\s*Q([1-4])$", re.IGNORECASE)
_CALENDAR_QUARTER = re.compile(r"^(\d{4})\s*Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$|^(\d{4})\s+([A-Za-z]+)$")
_RANGE = re.compile(r"\s+(?:-|to)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Mapped:
    """A label read for one KPI: the period it is filed under and how many it covers."""

    period: pd.Period
    periods_covered: int

    @property
    def rolling(self) -> bool:
        return self.periods_covered > 1


def _month(year: int, month: int) -> pd.Period:
    return pd.Period(year=year, month=month, freq="M")


def _months(text: str, frequency: str) -> tuple[pd.Period, pd.Period]:
    """The first and last month of one (not a range) label."""
    if match := _YEAR.match(text):
        year = int(match[1])
        return _month(year, 1), _month(year, 12)
    if match := _PAIR.match(text):
        start, end2 = int(match[1]), int(match[2])
        if (start + 1) % 100 != end2:
            raise PeriodError(f"'{text}' is not a year followed by the next year")
        first = _month(start, 9 if frequency == "annual-academic" else 4)
        return first, first + 11
    if match := _FINANCIAL_QUARTER.match(text):
        first = _month(int(match[1]), 4) + 3 * (int(match[3]) - 1)
        return first, first + 2
    if match := _CALENDAR_QUARTER.match(text):
        first = _month(int(match[1]), 1) + 3 * (int(match[2]) - 1)
        return first, first + 2
    if match := _MONTH.match(text):
        name, year = (match[1], match[2]) if match[1] else (match[4], match[3])
        if name.lower() in _MONTHS:
            month = _month(int(year), _MONTHS[name.lower()])
            return month, month
    raise PeriodError(f"'{text}' is not a period label this import can read")


def _span(label: str, frequency: str) -> tuple[pd.Period, pd.Period, bool]:
    """First and last month of a label, and whether it is a range of periods."""
    parts = _RANGE.split(label.strip())
    if len(parts) == 1:
        return (*_months(parts[0], frequency), False)
    if len(parts) != 2:
        raise PeriodError(f"'{label}' is not a period label this import can read")
    start, end = parts
    if start.lower() in _MONTHS:  # 'Apr to Jun 2023': the year is written once, at the end
        last = _months(end, frequency)[1]
        first = _month(last.year, _MONTHS[start.lower()])
        return (first if first <= last else first - 12), last, False
    if re.fullmatch(r"\d{2}", end):  # '2021 - 23'
        end = start[:2] + end
    elif re.fullmatch(r"\d{2}/\d{2}", end):  # '2020/21 - 22/23'
        end = start[:2] + end
    return _months(start, frequency)[0], _months(end, frequency)[1], True


def map_label(label: str, frequency: str) -> Mapped:
    """The KPI period a download's label stands for, or ``PeriodError`` saying why not."""
    first, last, is_range = _span(label, frequency)
    period = pd.Period(last.end_time, freq=FREQUENCIES[frequency])
    length = MONTHS_PER_PERIOD.get(frequency, 12)
    months = (last - first).n + 1
    aligned = pd.Period(period.end_time, freq="M") == last
    if not aligned or months % length or (months != length and not is_range):
        raise PeriodError(f"'{label}' does not fit the KPI's frequency ({frequency})")
    return Mapped(period, months // length)
