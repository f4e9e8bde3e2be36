"""Confidence intervals at 95% and 99.8%, chosen per KPI, and the Fingertips comparison."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pmf_utils.data.periods import parse_quarter
from pmf_utils.judge import intervals
from pmf_utils.judge import vocabulary as v

from .conftest import judged_alone

Q2 = parse_quarter("2025/26 Q2")
NAN = math.nan


def test_the_normal_quantiles_of_the_two_levels() -> None:
    assert intervals.z("95") == pytest.approx(1.959964, abs=1e-6)
    assert intervals.z("99.8") == pytest.approx(3.090232, abs=1e-6)


def test_wilson_score_interval() -> None:
    """50 of 100: 40.38% to 59.62% at 95% (the textbook Wilson interval)."""
    assert intervals.wilson(50, 100, "95") == pytest.approx((0.40383, 0.59617), abs=1e-5)


def test_byars_method_is_close_to_the_exact_poisson_interval() -> None:
    """10 events: exact Poisson 95% limits 4.795 and 18.390; Byar's is within 0.01 of them."""
    low, high = intervals.byar(10, "95")
    assert (low, high) == pytest.approx((4.795, 18.390), abs=0.01)
    assert intervals.byar(0, "95")[0] == 0.0


def test_each_unit_gets_its_method() -> None:
    assert intervals.interval("percentage", 50, 100, NAN, 50.0, "95") == pytest.approx(
        (40.383, 59.617), abs=1e-3
    )
    rate = intervals.interval("rate", 10, 20_000, 10_000, 5.0, "95")
    assert rate == pytest.approx((intervals.byar(10, "95")[0] / 2, intervals.byar(10, "95")[1] / 2))
    assert intervals.interval("count", NAN, NAN, NAN, 10.0, "95") == intervals.byar(10, "95")
    for no_counts in [("percentage", NAN, 100), ("percentage", 120, 100), ("rate", 5, 0)]:
        assert all(math.isnan(x) for x in intervals.interval(*no_counts, 1, 5.0, "95"))
    assert all(math.isnan(x) for x in intervals.interval("score", 5, 10, NAN, 5.0, "95"))


@given(st.integers(0, 500), st.integers(1, 500))
@example(0, 5)  # found by hypothesis: rounding put 0 of 5's lower limits above 0, wrong way round
def test_the_wider_level_contains_the_narrower(numerator: int, extra: int) -> None:
    narrow = intervals.wilson(numerator, numerator + extra, "95")
    wide = intervals.wilson(numerator, numerator + extra, "99.8")
    assert wide[0] <= narrow[0] <= numerator / (numerator + extra) <= narrow[1] <= wide[1]
    counts = intervals.byar(numerator, "95"), intervals.byar(numerator, "99.8")
    assert counts[1][0] <= counts[0][0] <= numerator <= counts[0][1] <= counts[1][1]


@pytest.mark.parametrize(
    ("level", "benchmark"),
    [("95", v.BETTER), ("99.8", v.SIMILAR), ("", v.BETTER)],
)
def test_the_kpis_level_decides_the_comparison_with_england(level: str, benchmark: str) -> None:
    """60 of 100 against England's 50%: 95% limits 50.2% to 69.1% leave England out (better);
    99.8% limits 44.6% to 73.6% take it in (similar). Without a level the change band decides
    (a 10-point gap is well beyond 2% of 50)."""
    figure = {"period": Q2, "value": 60.0, "numerator": 60, "denominator": 100, "england": 50.0}
    row = judged_alone([figure], Q2, ci_level=level)
    assert row["benchmark_england"] == benchmark
