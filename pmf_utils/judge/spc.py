"""Statistical process control: the XmR chart of NHS England's "Making Data Count" (MDC).

An XmR chart tells signal from noise in a KPI's history. Its centre line is the mean; its
process limits are mean +/- 2.66 x the mean moving range (the mean absolute difference between
consecutive points); sigma is estimated as 2.66 / 3 x the mean moving range, so the two-sigma
lines sit at mean +/- 1.773 x the mean moving range. Four rules flag special cause variation
(beyond a limit, a trend, two of three beyond two sigma, a shift), and the type of the latest
point and the position of the target against the limits give the MDC variation and assurance
icons.

The reference implementations, NHS England's MDC tools and the R package NHSRplotthedots 0.2.2,
differ in a handful of choices. ``xmr_chart`` takes each as a keyword argument (``Options``
lists them), and ``pmf_utils.judge.spc_methods`` names the sets of choices a plan or KPI can pick:
``mdc``, ``nhsrplotthedots`` and the project's default ``pmf``. Every choice, how each method
makes it and why is tabled in ``docs/spc-methods.md`` (the assumptions and caveats log); read
that before changing anything here. Note that a frozen baseline (``fix_after_n_points``) is not
a rebase: a rebase recalculates limits from a later period, a frozen baseline applies the
earlier limits to every later point, so a change shows against the old process.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields

import numpy as np
import pandas as pd

from pmf_utils.judge import vocabulary as v

LIMIT = 2.66
"""Process limits sit this many mean moving ranges from the mean (3 sigma)."""
TWO_SIGMA = 2 * LIMIT / 3
SCREEN = 3.267
"""Outlier screening drops moving ranges this many mean moving ranges or more (Nelson, 1982)."""
MIN_POINTS = 6
TRIAL_BELOW = 12
SHIFT = 7
TREND = 7
BEYOND_TWO_SIGMA = "beyond-two-sigma"
"""Two of three counts every point beyond two sigma, beyond the limit too (MDC since 2023)."""
TWO_TO_THREE_SIGMA = "two-to-three-sigma"
"""Two of three counts only points between two sigma and the limit (NHSRplotthedots)."""
TWO_IN_THREE = (BEYOND_TWO_SIGMA, TWO_TO_THREE_SIGMA)
RULES = ("beyond limits", "trend", "two of three", "shift")
"""The special cause rules in the order that decides a point's direction when several fire."""
RULE_COLUMNS = {rule: rule.replace(" ", "_") for rule in RULES}
"""The ``Chart.points`` column that says whether each rule fired on a point."""


@dataclass(frozen=True)
class Options:
    """The method choices of an XmR chart; each is a row of docs/spc-methods.md."""

    screen_outliers: bool = False
    """Drop moving ranges of ``SCREEN`` x the mean moving range or more, then recompute it."""
    fix_after_n_points: int | None = None
    """Freeze each segment's mean and limits on its first N points (None: use every point)."""
    shift_length: int = SHIFT
    trend_length: int = TREND
    min_points: int = MIN_POINTS
    """A segment with fewer points has no limits and no verdict ("not enough data")."""
    trial_below: int = TRIAL_BELOW
    """A segment with fewer points has trial limits."""
    two_in_three: str = BEYOND_TWO_SIGMA

    def __post_init__(self) -> None:
        if self.two_in_three not in TWO_IN_THREE:
            raise ValueError(f"two_in_three must be one of {TWO_IN_THREE}")


@dataclass(frozen=True)
class Limits:
    """The centre line and limits of one segment."""

    mean: float
    lpl: float
    upl: float
    lower_2sigma: float
    upper_2sigma: float


def limits(
    y: np.ndarray, screen_outliers: bool = False, fix_after_n_points: int | None = None
) -> Limits:
    """Mean and limits of consecutive values: mean +/- 2.66 x mean moving range.

    With ``fix_after_n_points`` both come from the first N values only (a frozen baseline).
    Screening never empties the moving ranges: with a mean moving range above 0 the smallest
    lies below 3.267 times it, and a flat baseline (mean moving range 0) is left as it is.
    """
    base = y[:fix_after_n_points] if fix_after_n_points else y
    mean = float(np.mean(base))
    ranges = np.abs(np.diff(base))
    mr = float(np.mean(ranges)) if len(ranges) else math.nan
    if screen_outliers and mr > 0:
        mr = float(np.mean(ranges[ranges < SCREEN * mr]))
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
    A point that ends one trend and is followed by an equal point (a tie) belongs to that trend
    only and keeps its direction, even when the tie starts another trend.
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


def classify(fired: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(deciding rule, direction) of each point from each rule's +1/-1/0 firings.

    The first rule to fire in ``RULES`` order decides, so a point's direction never depends
    on the KPI's polarity (see docs/spc-methods.md for the MDC tool's different choice).
    """
    conditions = [fired[rule] != 0 for rule in RULES]
    return (
        np.select(conditions, list(RULES), ""),
        np.select(conditions, [fired[rule] for rule in RULES], 0),
    )


def _segment(y: np.ndarray, polarity: str, options: Options) -> dict:
    """Limits, rule firings and point types for one segment with enough points."""
    lim = limits(y, options.screen_outliers, options.fix_after_n_points)
    side = np.sign(y - lim.mean).astype(int)
    outside = beyond_limits(y, lim)
    beyond_2sigma = np.where(y > lim.upper_2sigma, 1, np.where(y < lim.lower_2sigma, -1, 0))
    if options.two_in_three == TWO_TO_THREE_SIGMA:
        beyond_2sigma[outside] = 0
    fired = {
        "beyond limits": np.where(outside, side, 0),
        "trend": trend_rule(y, options.trend_length),
        "two of three": two_of_three_rule(side, beyond_2sigma),
        "shift": shift_rule(side, options.shift_length),
    }
    rule, direction = classify(fired)
    return {
        **{name: np.full(len(y), value) for name, value in asdict(lim).items()},
        **{column: fired[rule] != 0 for rule, column in RULE_COLUMNS.items()},
        "special_cause": direction != 0,
        "rule": rule,
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
    """True when the latest segment has fewer than ``options.trial_below`` points."""
    options: Options = Options()
    """The method choices that drew the chart."""

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
    **options,
) -> Chart:
    """The XmR chart of a series indexed by period (any ordered index); blanks are skipped.

    ``rebase`` lists the periods from which limits are recalculated; keyword ``options`` are
    the fields of ``Options`` (screen_outliers, fix_after_n_points, shift_length,
    trend_length, min_points, trial_below, two_in_three), each defaulting to the project's.
    """
    chosen = Options(**options)
    values = values.dropna().sort_index().astype(float)
    segment = np.array([sum(p >= r for r in rebase) for p in values.index], dtype=int)
    columns: dict[str, list] = {name: [] for name in [*_too_few(0), "trial"]}
    for number in np.unique(segment):
        y = values.to_numpy()[segment == number]
        enough = len(y) >= chosen.min_points
        part = _segment(y, polarity, chosen) if enough else _too_few(len(y))
        part["trial"] = np.full(len(y), enough and len(y) < chosen.trial_below)
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
        options=chosen,
    )
