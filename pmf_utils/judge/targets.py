"""Which target a figure is judged against: targets as they were, per year and per period.

A council sets a target for a financial year, and sometimes a profile within it (a target
for each quarter or month, e.g. 24% of council tax collected by the end of Q1, 96% by year
end). Judging every figure against today's target rewrites history, and judging a year-to-date
figure at Q3 against the year-end target calls every year off target until March. So each
figure gets the target in force for its own period:

* a profile row of ``targets.csv`` (``period`` given) for exactly that period wins;
* otherwise the annual row with the latest starting year no later than the financial year in
  which the period ends, so a target applies from its year until a later row replaces it;
* a year-to-date KPI (``year_to_date`` in ``kpis.csv``) accumulates through the year, so an
  annual row is its target only at the period that closes the year; before then it has a
  target only where a profile gives one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

PROFILE_FREQUENCIES = ("monthly", "quarterly")
"""A profile divides a year, so only KPIs measured within the year can have one."""


@lru_cache(maxsize=4096)  # asked for every period of every chart; a Period is costly to make
def financial_year(period: pd.Period) -> pd.Period:
    """The financial year in which a period (of any frequency) ends."""
    return pd.Period(period.end_time, freq="Y-MAR")


def closes_year(period: pd.Period) -> bool:
    """Whether the period ends when its financial year does (Q4, March, or a year)."""
    return period.end_time == financial_year(period).end_time


class _InForce:
    """One KPI's target rows, indexed once to be asked about many periods (a chart asks for
    each of its periods; filtering the frame each time was most of a KPI page's own work)."""

    def __init__(self, targets: pd.DataFrame) -> None:
        profiled = targets["period"].tolist() if "period" in targets else [None] * len(targets)
        # The last profile row for a period wins; among annual rows, the latest start, and of
        # rows starting the same year the last (a stable sort).
        self.profile = {p: i for i, p in enumerate(profiled) if p is not None}
        starts = targets["starts"].tolist()
        self.annual = sorted(
            ((s, i) for i, (p, s) in enumerate(zip(profiled, starts, strict=True)) if p is None),
            key=lambda row: row[0],
        )

    def position(self, period: pd.Period, year_to_date: bool) -> int | None:
        """The position of the row in force for ``period``, or None."""
        if period in self.profile:
            return self.profile[period]
        if year_to_date and not closes_year(period):
            return None
        year = financial_year(period)
        started = [i for s, i in self.annual if s <= year]
        return started[-1] if started else None


def target_in_force(
    targets: pd.DataFrame, period: pd.Period, year_to_date: bool = False
) -> pd.Series | None:
    """One KPI's target row for a period (see the module docstring), or None."""
    position = _InForce(targets).position(period, year_to_date)
    return None if position is None else targets.iloc[position]


def targets_by_period(
    targets: pd.DataFrame, periods: Iterable[pd.Period], year_to_date: bool = False
) -> list[float]:
    """The target value in force for each period (NaN where none): what a chart draws."""
    rows, values = _InForce(targets), targets["target"].tolist()
    positions = (rows.position(p, year_to_date) for p in periods)
    return [float("nan") if i is None else float(values[i]) for i in positions]
