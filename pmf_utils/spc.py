"""Statistical process control: the XmR chart of NHS England's "Making Data Count" (MDC).

An XmR chart tells signal from noise in a KPI's history. Its centre line is the mean; its
process limits are mean +/- 2.66 x the mean moving range (the mean absolute difference between
consecutive points); sigma is estimated as 2.66 / 3 x the mean moving range, so the two-sigma
lines sit at mean +/- 1.773 x the mean moving range. Four rules flag special cause variation,
and the type of the latest point and the position of the target against the limits give the
MDC variation and assurance icons.

The reference implementations are the R package NHSRplotthedots (NHS-R Community; read at its
``R/ptd_spc_standard.R``, ``R/ptd_calculate_point_type.R``, ``R/ptd_calculate_assurance_type.R``,
``R/ptd_add_short_group_warnings.R`` and the vignettes "Number of points required" and
"Deviations from Excel defaults") and NHS England's MDC Excel tools. Where this module follows
or differs from each:

1. **Limits**: mean +/- 2.66 x mean moving range, as both.
2. **Outlier screening**: none. NHSRplotthedots by default drops moving ranges of 3.267 x the
   mean moving range or more before recomputing it (``screen_outliers = TRUE``); the MDC Excel
   tools do not, and nor do we (the issue asks for mean +/- 2.66 x the mean moving range).
3. **Missing periods**: missing and suppressed figures are skipped and the chart runs over the
   consecutive available points, so a moving range bridges a gap. NHSRplotthedots does the same
   for absent rows (it orders rows and takes ``diff``); for a row present with a blank value it
   instead drops the two moving ranges either side of the blank.
4. **Minimum points**: limits need 6 points in a segment (``MIN_POINTS``), following Wheeler's
   "useful limits may be constructed with as few as five or six values" as quoted in the
   NHSRplotthedots vignette "Number of points required". NHSRplotthedots draws limits from 2
   points; the MDC single chart tool shows limits and icons only from 13 points (MDC team,
   NHSRplotthedots issue #194). Fewer points give "not enough data".
5. **Trial limits**: limits from fewer than 12 points are marked trial, as NHSRplotthedots'
   short group warning. Limits are recalculated with every point (NHSRplotthedots' default,
   ``fix_after_n_points = NULL``); the MDC tools can freeze a baseline, which here is done by
   rebasing.
6. **Rebasing**: each rebase period in the data dictionary starts a new segment with its own
   mean and limits, and the rules look only within a segment (a run cannot cross a rebase), as
   NHSRplotthedots groups by ``rebase_group``. Variation and assurance use the latest segment.
7. **Beyond a limit**: strictly above the upper or below the lower limit; a point exactly on a
   limit is not special cause, as NHSRplotthedots (``y > upl | y < lpl``).
8. **Shift**: ``shift_length`` (7 by default; 6 is the MDC tool's option, requested of
   NHSRplotthedots in its issue #202) consecutive points strictly on one side of the mean. A
   point exactly on the mean is on neither side and breaks the run, as NHSRplotthedots (its
   ``sign(y - mean)`` is 0 there); the NHS Improvement run chart guide (2017) would instead
   let it neither add to nor break a run.
9. **Trend**: ``trend_length`` (7) consecutive points each strictly above (or below) the one
   before, on either side of the mean. An equal neighbour breaks a trend, as NHSRplotthedots
   (NHSRplotthedots PR #24 notes that the run chart guide would let it neither add nor break).
10. **Two of three**: of 3 consecutive points all strictly on the same side of the mean, at
    least 2 strictly beyond that side's two-sigma line; only the points beyond it are flagged.
    Points beyond the process limit count, as the MDC tools since their late-2023 change
    (NHSRplotthedots issue #194); NHSRplotthedots counts only points between two and three
    sigma.
11. **Direction of a special cause point**: its side of the mean, except a trend point, which
    takes the trend's direction (as NHSRplotthedots since PR #180 and the MDC tool); a turning
    point shared by a rising and a falling trend takes the later trend's, as NHSRplotthedots.
12. **Conflicting signals on one point**: the rule that fires first in the order beyond limits,
    trend, two of three, shift decides its direction, as NHSRplotthedots. The MDC single chart
    tool shows improvement whenever improvement and concern both fire (issue #194); we keep the
    rule order so that reversing a KPI's polarity exactly swaps improvement and concern.
13. **Variation** of the KPI is that of its latest point: common cause, special cause
    improvement or concern, or (for a KPI with no polarity) special cause neutral high or low,
    as NHSRplotthedots' point types and the MDC variation icons.
14. **Assurance** compares the target in force with the latest segment's limits: a target
    beyond the limit on the bad side is consistently failing, beyond the limit on the good side
    consistently passing, otherwise hit and miss. Comparisons are strict, so a target exactly
    on a limit is hit and miss, as NHSRplotthedots. No target or no polarity: not applicable.
    Trajectories (a target per period) are not supported.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from . import vocabulary as v

LIMIT = 2.66
"""Process limits sit this many mean moving ranges from the mean (3 sigma)."""
TWO_SIGMA = 2 * LIMIT / 3
MIN_POINTS = 6
TRIAL_BELOW = 12
SHIFT = 7
TREND = 7
RULES = ("beyond limits", "trend", "two of three", "shift")
"""The special cause rules in the order that decides a point's direction when several fire."""
RULE_COLUMNS = {rule: rule.replace(" ", "_") for rule in RULES}
"""The ``Chart.points`` column that says whether each rule fired on a point."""


@dataclass(frozen=True)
class Limits:
    """The centre line and limits of one segment."""

    mean: float
    lpl: float
    upl: float
    lower_2sigma: float
    upper_2sigma: float


def limits(y: np.ndarray) -> Limits:
    """Mean and limits of consecutive values: mean +/- 2.66 x mean moving range."""
    mean = float(np.mean(y))
    mr = float(np.mean(np.abs(np.diff(y)))) if len(y) > 1 else math.nan
    return Limits(
        mean=mean,
        lpl=mean - LIMIT * mr,
        upl=mean + LIMIT * mr,
        lower_2sigma=mean - TWO_SIGMA * mr,
        upper_2sigma=mean + TWO_SIGMA * mr,
    )


def _runs(labels: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """(start, stop, label) of each run of equal consecutive labels."""
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            yield start, i, int(labels[start])
            start = i


def beyond_limits(y: np.ndarray, lim: Limits) -> np.ndarray:
    """Points strictly outside the process limits (a point on a limit is inside)."""
    return (y > lim.upl) | (y < lim.lpl)


def shift_rule(side: np.ndarray, length: int = SHIFT) -> np.ndarray:
    """+1/-1 for points in a run of ``length`` or more strictly above/below the mean, else 0."""
    out = np.zeros(len(side), dtype=int)
    for start, stop, label in _runs(side):
        if label and stop - start >= length:
            out[start:stop] = label
    return out


def trend_rule(y: np.ndarray, length: int = TREND) -> np.ndarray:
    """+1/-1 for points in ``length`` or more each strictly rising/falling, else 0.

    Runs are written in time order, so a turning point shared by two trends takes the later.
    """
    out = np.zeros(len(y), dtype=int)
    for start, stop, label in _runs(np.sign(np.diff(y)).astype(int)):
        if label and stop - start >= length - 1:  # n steps join n + 1 points
            out[start : stop + 1] = label
    return out


def two_of_three_rule(side: np.ndarray, beyond_2sigma: np.ndarray) -> np.ndarray:
    """+1/-1 for points beyond two sigma in a window of 3 on one side with 2 or 3 beyond."""
    out = np.zeros(len(side), dtype=int)
    for k in range(len(side) - 2):
        window = slice(k, k + 3)
        first = side[k]
        hits = np.flatnonzero(beyond_2sigma[window] == first)
        if first and (side[window] == first).all() and len(hits) >= 2:
            out[k + hits] = first
    return out


def point_variation(direction: int, polarity: str) -> str:
    """The MDC point type of a point with special cause direction +1, -1 or 0 (none)."""
    if direction == 0:
        return v.COMMON_CAUSE
    if polarity == "none":
        return v.NEUTRAL_HIGH if direction > 0 else v.NEUTRAL_LOW
    return v.IMPROVEMENT if direction == (1 if polarity == "higher" else -1) else v.CONCERN


def assurance(target: float, lim: Limits | None, polarity: str) -> str:
    """Whether the process will meet the target: the target against the process limits."""
    if polarity == "none" or math.isnan(target):
        return v.NOT_APPLICABLE
    if lim is None:
        return v.NOT_ENOUGH_DATA
    higher = polarity == "higher"
    if target > lim.upl:
        return v.FAILING if higher else v.PASSING
    if target < lim.lpl:
        return v.PASSING if higher else v.FAILING
    return v.HIT_AND_MISS


def _segment(y: np.ndarray, polarity: str, shift_length: int, trend_length: int) -> dict:
    """Limits, rule firings and point types for one segment with enough points."""
    lim = limits(y)
    side = np.sign(y - lim.mean).astype(int)
    beyond_2sigma = np.where(y > lim.upper_2sigma, 1, np.where(y < lim.lower_2sigma, -1, 0))
    fired = {
        "beyond limits": np.where(beyond_limits(y, lim), side, 0),
        "trend": trend_rule(y, trend_length),
        "two of three": two_of_three_rule(side, beyond_2sigma),
        "shift": shift_rule(side, shift_length),
    }
    conditions = [fired[rule] != 0 for rule in RULES]
    direction = np.select(conditions, [fired[rule] for rule in RULES], 0)
    return {
        **{name: np.full(len(y), value) for name, value in asdict(lim).items()},
        **{column: fired[rule] != 0 for rule, column in RULE_COLUMNS.items()},
        "special_cause": direction != 0,
        "rule": np.select(conditions, list(RULES), ""),
        "direction": direction,
        "variation": [point_variation(d, polarity) for d in direction],
    }


def _too_few(n: int) -> dict:
    """The columns of a segment too short for limits: no limits, no rules, no verdict."""
    nothing = np.full(n, math.nan)
    return {
        **{f.name: nothing for f in fields(Limits)},
        **{column: np.zeros(n, dtype=bool) for column in RULE_COLUMNS.values()},
        "special_cause": np.zeros(n, dtype=bool),
        "rule": np.full(n, ""),
        "direction": np.zeros(n, dtype=int),
        "variation": [v.NOT_ENOUGH_DATA] * n,
    }


_DTYPES = {
    "segment": int,
    **{f.name: float for f in fields(Limits)},
    **dict.fromkeys(RULE_COLUMNS.values(), bool),
    "special_cause": bool,
    "direction": int,
    "trial": bool,
}
"""Column types of ``Chart.points``, the same however few points there are."""


@dataclass(frozen=True)
class Chart:
    """An XmR chart: one row per point, and the verdicts the report shows."""

    points: pd.DataFrame
    """Indexed like the input; columns value, segment, mean, lpl, upl, lower_2sigma,
    upper_2sigma, trial, beyond_limits, trend, two_of_three, shift, special_cause, rule,
    direction (+1 high, -1 low, 0 none) and variation."""
    variation: str
    """The variation type of the latest point."""
    assurance: str
    trial: bool
    """True when the latest limits rest on fewer than 12 points."""

    @property
    def limits(self) -> Limits | None:
        """The latest segment's limits, or None when it has too few points."""
        return latest_limits(self.points)


def latest_limits(points: pd.DataFrame) -> Limits | None:
    """The limits of a chart's latest segment, or None when it has too few points."""
    if points.empty or math.isnan(points["mean"].iloc[-1]):
        return None
    last = points.iloc[-1]
    return Limits(**{f.name: float(last[f.name]) for f in fields(Limits)})


def xmr_chart(
    values: pd.Series,
    polarity: str = "higher",
    target: float = math.nan,
    rebase: Sequence = (),
    *,
    shift_length: int = SHIFT,
    trend_length: int = TREND,
    min_points: int = MIN_POINTS,
) -> Chart:
    """The XmR chart of a series indexed by period (any ordered index); blanks are skipped.

    ``rebase`` lists the periods from which limits are recalculated.
    """
    values = values.dropna().sort_index().astype(float)
    segment = np.array([sum(p >= r for r in rebase) for p in values.index], dtype=int)
    columns: dict[str, list] = {name: [] for name in [*_too_few(0), "trial"]}
    for number in np.unique(segment):
        y = values.to_numpy()[segment == number]
        part = (
            _segment(y, polarity, shift_length, trend_length)
            if len(y) >= min_points
            else _too_few(len(y))
        )
        part["trial"] = np.full(len(y), min_points <= len(y) < TRIAL_BELOW)
        for name, column in part.items():
            columns[name].extend(column)
    points = pd.DataFrame({"value": values, "segment": segment, **columns}, index=values.index)
    points = points.astype(_DTYPES)
    latest = points.iloc[-1] if len(points) else None
    return Chart(
        points=points,
        variation=v.NOT_ENOUGH_DATA if latest is None else latest["variation"],
        assurance=assurance(target, latest_limits(points), polarity),
        trial=latest is not None and bool(latest["trial"]),
    )
