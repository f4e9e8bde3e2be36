"""Judgements on one KPI's figures: latest value, staleness, target status, direction, benchmarks.

Every function here is pure (data frames and numbers in, words out; no files, no network), so
the command line, the notebooks and the tests all reach the same verdicts. The words returned
are the vocabulary of ``pmf_utils.judge.vocabulary`` and are documented in the README.

Decisions a reader of the report should be able to check:

* **Latest value as at a quarter**: the newest figure whose period had ended by the end of the
  quarter. A newer period whose figure is suppressed or blank is not shown as a value (and never
  as zero): the report shows the older figure and says which newer periods have none.
* **Stale**: the newest period we hold (with a figure, or deliberately suppressed, since a
  suppressed figure is current data that cannot be published) is older than the newest period
  the KPI's cadence and publication lag say should be out by the end of the quarter. A KPI with
  no figure at all is "no data", not stale.
* **Target in force**: a figure is judged against the target in force for its own period, not
  the report quarter's (``pmf_utils.judge.targets``: years, profiles and year-to-date KPIs).
* **Status**: higher is better: at or above target is on target; at or above target minus
  tolerance (a value exactly there included) is within tolerance; below that off target. Lower
  is better mirrors it. No target, or a KPI with no polarity, is monitor only: a context measure
  has no good side to judge a target from.
* **No significant change and similar**: when both figures carry confidence intervals, they
  decide (overlapping intervals, touching included, mean no significant change). Otherwise a
  band does: the KPI's ``change_threshold`` in its own units, or 2% of the earlier (or benchmark)
  figure where none is set. A change inside the band, its edge included, is no significant
  change.
* **Benchmarks**: where the KPI's figure has a confidence interval, the benchmark is similar when
  it lies inside that interval (the Fingertips method: local interval against the benchmark
  value); otherwise the band above decides. KPIs with no polarity get higher / lower / similar.
* **Quartile**: rank 1 is the best of the KPI's own figure and its comparators for the same
  period (by value, highest first, for a KPI with no polarity); ties share the better rank;
  quartile = ceil(4 x rank / number of areas), so 1 is the best quarter of areas.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from pmf_utils.data.periods import Cadence, format_period
from pmf_utils.judge import vocabulary as v

RELATIVE_BAND = 0.02
"""Where a KPI sets no change threshold, changes within 2% of the earlier figure are noise."""

Interval = tuple[float, float]
NO_INTERVAL: Interval = (math.nan, math.nan)


@dataclass(frozen=True)
class Latest:
    """The figure a report shows for one KPI as at a quarter."""

    row: pd.Series | None
    """The newest observation with a figure, or None when there is none."""
    newest: pd.Period | None
    """The newest period held with a figure or a deliberate suppression: staleness uses it."""
    withheld: str
    """Newer periods shown without a figure, e.g. ``'2025/26 Q2 suppressed'``; '' if none."""


def available(series: pd.DataFrame, quarter: pd.Period) -> pd.DataFrame:
    """The observations whose periods had ended by the end of the report quarter (their
    ``period_end``, which the data set holds: each Period's own end was slow to ask for)."""
    return series[pd.to_datetime(series["period_end"]) <= quarter.end_time]


def latest_as_at(series: pd.DataFrame, quarter: pd.Period) -> Latest:
    """One KPI's latest figure as at a quarter, and the newer periods that have none."""
    rows = available(series, quarter).sort_values("period_end")
    with_figure = rows[rows["value"].notna()]
    suppressed = rows["flag"].astype(str).str.contains("suppressed", regex=False)
    held = rows[rows["value"].notna() | suppressed]
    row = with_figure.iloc[-1] if len(with_figure) else None
    newer = rows if row is None else rows[rows["period_end"] > row["period_end"]]
    withheld = "; ".join(
        f"{format_period(p)} {'suppressed' if s else 'missing'}"
        for p, s in zip(newer["period"], suppressed[newer.index], strict=True)
    )
    newest = held["period"].iloc[-1] if len(held) else None
    return Latest(row=row, newest=newest, withheld=withheld)


def expected_period(frequency: str, lag_months: int, quarter: pd.Period) -> pd.Period:
    """The newest period that should be published by the end of the quarter."""
    return Cadence(frequency, int(lag_months)).expected_latest(quarter)


def is_stale(newest: pd.Period | None, frequency: str, lag_months: int, quarter: pd.Period) -> bool:
    """True when the newest period held is older than its cadence and lag allow."""
    return newest is not None and newest < expected_period(frequency, lag_months, quarter)


def status(value: float, target: float, tolerance: float, polarity: str) -> str:
    """On target, within tolerance or off target; monitor only without a target."""
    if math.isnan(value):
        return v.NO_DATA
    if math.isnan(target) or polarity == "none":
        return v.MONITOR_ONLY
    tolerance = 0.0 if math.isnan(tolerance) else tolerance
    if polarity == "higher":
        on, within = value >= target, value >= target - tolerance
    else:
        on, within = value <= target, value <= target + tolerance
    return v.ON_TARGET if on else v.WITHIN_TOLERANCE if within else v.OFF_TARGET


def _has(interval: Interval) -> bool:
    return not (math.isnan(interval[0]) or math.isnan(interval[1]))


def within_band(value: float, reference: float, threshold: float = math.nan) -> bool:
    """True when a change is too small to count: within ``threshold`` (default 2%)."""
    band = RELATIVE_BAND * abs(reference) if math.isnan(threshold) else threshold
    return abs(value - reference) <= band


def _verdict(change: float, polarity: str, same: bool, words: tuple[str, ...]) -> str:
    """Name a change with polarity: (good, bad, same, up, down) words in that order."""
    good, bad, same_word, up, down = words
    if same or change == 0:
        return same_word
    if polarity == "none":
        return up if change > 0 else down
    return good if (change > 0) == (polarity == "higher") else bad


_DIRECTION = (v.IMPROVING, v.WORSENING, v.NO_CHANGE, v.INCREASING, v.DECREASING)
_BENCHMARK = (v.BETTER, v.WORSE, v.SIMILAR, v.HIGHER, v.LOWER)


def direction(
    value: float,
    earlier: float,
    polarity: str,
    threshold: float = math.nan,
    interval: Interval = NO_INTERVAL,
    earlier_interval: Interval = NO_INTERVAL,
) -> str:
    """Improving, no significant change or worsening since an earlier figure.

    Overlapping confidence intervals decide "no significant change" when both figures have
    them; otherwise the band of ``within_band`` does.
    """
    if math.isnan(value) or math.isnan(earlier):
        return v.NOT_AVAILABLE
    if _has(interval) and _has(earlier_interval):
        same = interval[0] <= earlier_interval[1] and earlier_interval[0] <= interval[1]
    else:
        same = within_band(value, earlier, threshold)
    return _verdict(value - earlier, polarity, same, _DIRECTION)


def benchmark(
    value: float,
    comparator: float,
    polarity: str,
    threshold: float = math.nan,
    interval: Interval = NO_INTERVAL,
) -> str:
    """Better, similar or worse than a benchmark (England, region, neighbours).

    With a confidence interval on the KPI's figure, similar means the benchmark lies inside it.
    """
    if math.isnan(value) or math.isnan(comparator):
        return v.NOT_AVAILABLE
    if _has(interval):
        same = interval[0] <= comparator <= interval[1]
    else:
        same = within_band(value, comparator, threshold)
    return _verdict(value - comparator, polarity, same, _BENCHMARK)


def quartile(value: float, others: Iterable[float], polarity: str) -> int | None:
    """Quartile (1 best .. 4 worst; 1 highest for no polarity) among comparators; None without."""
    pool = [x for x in others if not math.isnan(x)]
    if math.isnan(value) or not pool:
        return None
    sign = -1 if polarity == "lower" else 1
    rank = 1 + sum(sign * x > sign * value for x in pool)
    return math.ceil(4 * rank / (len(pool) + 1))
