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

import pandas as pd

PROFILE_FREQUENCIES = ("monthly", "quarterly")
"""A profile divides a year, so only KPIs measured within the year can have one."""


def financial_year(period: pd.Period) -> pd.Period:
    """The financial year in which a period (of any frequency) ends."""
    return pd.Period(period.end_time, freq="Y-MAR")


def closes_year(period: pd.Period) -> bool:
    """Whether the period ends when its financial year does (Q4, March, or a year)."""
    return period.end_time == financial_year(period).end_time


def target_in_force(
    targets: pd.DataFrame, period: pd.Period, year_to_date: bool = False
) -> pd.Series | None:
    """One KPI's target row for a period (see the module docstring), or None."""
    profiled = targets["period"] if "period" in targets else [None] * len(targets)
    own = targets[[p is not None and p == period for p in profiled]]
    if len(own):
        return own.iloc[-1]
    if year_to_date and not closes_year(period):
        return None
    year = financial_year(period)
    starts = targets["starts"]
    annual = targets[[p is None and s <= year for p, s in zip(profiled, starts, strict=True)]]
    return annual.sort_values("starts").iloc[-1] if len(annual) else None


def targets_by_period(
    targets: pd.DataFrame, periods: Iterable[pd.Period], year_to_date: bool = False
) -> list[float]:
    """The target value in force for each period (NaN where none): what a chart draws."""
    rows = (target_in_force(targets, p, year_to_date) for p in periods)
    return [float("nan") if row is None else float(row["target"]) for row in rows]
