"""Confidence intervals at a chosen level, as OHID Fingertips computes them.

Public health practice compares an area with England at 95% and at 99.8% confidence: the wider
99.8% interval makes "better" or "worse" a stronger claim, which suits a KPI judged every
quarter. A KPI that sets ``ci_level`` in ``kpis.csv`` gets its interval computed from each
figure's numerator and denominator at that level, by Fingertips' methods:

* a percentage: the Wilson score interval of numerator / denominator;
* a rate: Byar's approximation to the Poisson interval of the numerator (a count of events),
  scaled by ``rate_per`` / denominator;
* a count: Byar's interval of the count itself.

Other units, or a figure without the counts it needs, get no interval (the change band then
decides, as for a KPI without intervals). Without ``ci_level`` the intervals given in
``observations.csv`` are used as they are.
"""

from __future__ import annotations

import math
from statistics import NormalDist

LEVELS = ("95", "99.8")
NO_INTERVAL = (math.nan, math.nan)


def z(level: str) -> float:
    """The two-sided normal quantile of a confidence level: 1.96 for 95%, 3.09 for 99.8%."""
    return NormalDist().inv_cdf(0.5 + float(level) / 200)


def wilson(numerator: float, denominator: float, level: str) -> tuple[float, float]:
    """The Wilson score interval of a proportion, as a proportion."""
    k, p = z(level), numerator / denominator
    centre = p + k * k / (2 * denominator)
    spread = k * math.sqrt(p * (1 - p) / denominator + k * k / (4 * denominator**2))
    scale = 1 + k * k / denominator
    # At 0 or all of the denominator the limit is exactly 0 or 1; rounding would step just
    # past it (3.8e-17 above 0 for 0 of 5), and the wider level would not contain the narrower.
    lower = 0.0 if numerator == 0 else max(0.0, (centre - spread) / scale)
    upper = 1.0 if numerator == denominator else min(1.0, (centre + spread) / scale)
    return lower, upper


def byar(count: float, level: str) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval of a count (0 has lower limit 0)."""
    k = z(level)
    lower = 0.0 if count == 0 else count * (1 - 1 / (9 * count) - k / (3 * math.sqrt(count))) ** 3
    more = count + 1
    upper = more * (1 - 1 / (9 * more) + k / (3 * math.sqrt(more))) ** 3
    return lower, upper


def interval(
    unit: str, numerator: float, denominator: float, rate_per: float, value: float, level: str
) -> tuple[float, float]:
    """A figure's interval at ``level`` for its unit, or NaNs where it cannot be computed."""
    if unit == "count" and not math.isnan(value):
        return byar(value, level)
    if math.isnan(numerator) or math.isnan(denominator) or not 0 <= numerator <= denominator:
        return NO_INTERVAL
    if unit == "percentage":
        low, high = wilson(numerator, denominator, level)
        return 100 * low, 100 * high
    if unit == "rate":
        low, high = byar(numerator, level)
        return low * rate_per / denominator, high * rate_per / denominator
    return NO_INTERVAL
