"""The XmR chart: limits, the four special cause rules, variation, assurance, trial limits and
rebasing, each on a small series whose answer is worked out in the test."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf_utils.judge import spc
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.spc_methods import METHODS

NAN = math.nan


def chart(values: list[float], **options) -> spc.Chart:
    return spc.xmr_chart(pd.Series(values, dtype=float), **options)


def rules(result: spc.Chart) -> list[str]:
    return result.points["rule"].tolist()


# --- limits -----------------------------------------------------------------------------------


def test_limits_are_mean_plus_or_minus_2_66_mean_moving_ranges() -> None:
    # mean (1+2+3+2+1+2)/6 = 11/6; every moving range is 1, so the mean moving range is 1.
    lim = spc.limits(np.array([1.0, 2.0, 3.0, 2.0, 1.0, 2.0]))
    assert lim.mean == pytest.approx(11 / 6)
    assert lim.upl == pytest.approx(11 / 6 + 2.66)
    assert lim.lpl == pytest.approx(11 / 6 - 2.66)
    assert lim.upper_2sigma == pytest.approx(11 / 6 + 2 * 2.66 / 3)
    assert lim.lower_2sigma == pytest.approx(11 / 6 - 2 * 2.66 / 3)


def test_a_stable_process_is_common_cause_and_twelve_points_are_not_trial() -> None:
    # 10, 12 alternating: mean 11, moving range 2, limits 11 -/+ 5.32; no rule can fire.
    result = chart([10.0, 12.0] * 6)
    lim = result.limits
    assert (lim.mean, lim.lpl, lim.upl) == pytest.approx((11, 11 - 5.32, 11 + 5.32))
    assert result.variation == v.COMMON_CAUSE
    assert not result.points["special_cause"].any()
    assert result.trial is False


def test_fewer_than_twelve_points_give_trial_limits() -> None:
    result = chart([10.0, 12.0] * 5 + [10.0])
    assert result.trial is True
    assert result.points["trial"].all()


def test_fewer_than_six_points_give_no_limits() -> None:
    five = chart([10.0, 12.0, 10.0, 12.0, 10.0], target=11.0)
    assert five.limits is None
    assert five.variation == v.NOT_ENOUGH_DATA
    assert five.assurance == v.NOT_ENOUGH_DATA
    assert five.trial is False
    six = chart([10.0, 12.0, 10.0, 12.0, 10.0, 12.0])
    assert six.limits is not None and six.trial is True


def test_a_series_of_one_point_or_none() -> None:
    one = chart([42.0], target=40.0)
    assert len(one.points) == 1
    assert one.points["variation"].tolist() == [v.NOT_ENOUGH_DATA]
    assert (one.variation, one.assurance, one.trial) == (v.NOT_ENOUGH_DATA,) * 2 + (False,)
    empty = chart([])
    assert empty.points.empty and empty.variation == v.NOT_ENOUGH_DATA
    assert empty.assurance == v.NOT_APPLICABLE  # no target


def test_missing_periods_are_skipped_and_the_moving_range_bridges_them() -> None:
    # Available points 1, 3, 1, 3, 1, 3: a blank (NaN) row and an absent month are skipped, so
    # every moving range is 2 (3 - 1 across the gaps too) and the mean is 2.
    periods = pd.PeriodIndex(
        ["2024-04", "2024-05", "2024-06", "2024-07", "2024-09", "2024-10", "2024-11"], freq="M"
    )
    series = pd.Series([1.0, NAN, 3.0, 1.0, 3.0, 1.0, 3.0], index=periods)
    result = spc.xmr_chart(series)
    kept = ["2024-04", "2024-06", "2024-07", "2024-09", "2024-10", "2024-11"]
    assert list(result.points.index.astype(str)) == kept
    assert result.limits.mean == 2.0
    assert result.limits.upl == pytest.approx(2.0 + 2.66 * 2)


# --- rule 1: a point beyond a limit -----------------------------------------------------------


def test_a_point_beyond_the_upper_limit() -> None:
    # 2, 8 x 6 then 30: mean (60 + 30) / 13 = 6.923; moving ranges 11 x 6 + 22 = 88 over 12,
    # so 7.333; upper limit 6.923 + 2.66 x 7.333 = 26.43 < 30. The 8s and 2s alternate
    # around the mean and stay within the two-sigma lines (19.93, -6.08).
    values = [2.0, 8.0] * 6 + [30.0]
    result = chart(values)
    assert result.limits.upl == pytest.approx(90 / 13 + 2.66 * 88 / 12)
    assert rules(result) == [""] * 12 + ["beyond limits"]
    assert result.variation == v.IMPROVEMENT
    assert chart(values, polarity="lower").variation == v.CONCERN
    assert chart(values, polarity="none").variation == v.NEUTRAL_HIGH


def test_a_point_exactly_on_a_limit_is_not_beyond_it() -> None:
    lim = spc.Limits(10.0, 4.0, 16.0, 6.0, 14.0)
    y = np.array([16.0, 4.0, 16.000001, 3.999999])
    assert spc.beyond_limits(y, lim).tolist() == [False, False, True, True]


# --- rule 2: a shift of points on one side of the mean ----------------------------------------


def test_a_shift_of_seven_points_above_the_mean() -> None:
    # 4, 2 x 3 then 3.5 x 7: mean (18 + 24.5) / 13 = 3.269, so the seven 3.5s are above it;
    # moving ranges 2 x 5 + 1.5 = 11.5 over 12 = 0.958 keep every point inside the two-sigma
    # lines (1.57, 4.97).
    result = chart([4.0, 2.0] * 3 + [3.5] * 7)
    assert rules(result) == [""] * 6 + ["shift"] * 7
    assert result.variation == v.IMPROVEMENT


def test_six_points_are_a_shift_only_when_asked_for() -> None:
    values = [4.0, 2.0] * 3 + [3.5] * 6  # mean 39 / 12 = 3.25
    assert chart(values).variation == v.COMMON_CAUSE
    assert rules(chart(values, shift_length=6)) == [""] * 6 + ["shift"] * 6


def test_a_point_exactly_on_the_mean_breaks_a_shift() -> None:
    # 0, 6 x 3 then 4, 4, 4, 3.5, 4, 4, 4: the mean is (18 + 24 + 3.5) / 13 = 3.5 exactly, so
    # the 3.5 is on neither side and splits the 4s into two runs of three.
    values = [0.0, 6.0] * 3 + [4.0, 4.0, 4.0, 3.5, 4.0, 4.0, 4.0]
    result = chart(values)
    assert result.limits.mean == 3.5
    assert not result.points["special_cause"].any()


@pytest.mark.parametrize(
    ("side", "length", "expected"),
    [
        ([1] * 7, 7, [1] * 7),
        ([1] * 6, 7, [0] * 6),
        ([1] * 6, 6, [1] * 6),
        ([-1] * 8, 7, [-1] * 8),
        ([1, 1, 1, 0, 1, 1, 1, 1], 7, [0] * 8),  # a tie at the mean breaks the run
        ([-1] + [1] * 7 + [-1], 7, [0] + [1] * 7 + [0]),
    ],
)
def test_shift_rule(side: list[int], length: int, expected: list[int]) -> None:
    assert spc.shift_rule(np.array(side), length).tolist() == expected


# --- rule 3: a trend of rising or falling points ----------------------------------------------


def test_a_falling_trend_is_concern_even_above_the_mean() -> None:
    # 5, 7 x 3 then 8.5 falling by 0.5 to 5.5: mean 85 / 13 = 6.538, so the trend starts above
    # the mean and ends below it. Moving ranges 2 x 6 + 0.5 x 6 = 15 over 12 = 1.25 keep every
    # point within the two-sigma lines (4.40, 8.68). A falling trend is a concern when higher is
    # better, whichever side of the mean its points are on.
    values = [5.0, 7.0] * 3 + [8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5]
    result = chart(values)
    assert rules(result) == [""] * 6 + ["trend"] * 7
    assert result.points["direction"].tolist() == [0] * 6 + [-1] * 7
    assert result.points["variation"].tolist()[6:] == [v.CONCERN] * 7
    assert chart(values, polarity="lower").variation == v.IMPROVEMENT


def test_an_equal_neighbour_breaks_a_trend() -> None:
    values = [5.0, 7.0] * 3 + [8.0, 7.5, 7.0, 6.5, 6.5, 6.0, 5.5]
    assert chart(values).variation == v.COMMON_CAUSE


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7], [1] * 7),
        ([7, 6, 5, 4, 3, 2, 1], [-1] * 7),
        ([1, 2, 3, 4, 5, 6], [0] * 6),  # six points are not a trend
        ([1, 2, 3, 3, 4, 5, 6, 7], [0] * 8),  # the repeated 3 breaks it
        # a peak shared by a rising and a falling trend takes the later (falling) one
        ([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], [1] * 6 + [-1] * 7),
    ],
)
def test_trend_rule(y: list[float], expected: list[int]) -> None:
    assert spc.trend_rule(np.array(y, dtype=float)).tolist() == expected


# --- rule 4: two of three points beyond two sigma ---------------------------------------------


def test_two_of_three_counts_a_point_beyond_the_limit_too() -> None:
    # 4, 6 x 10 then 11, 14, 6: mean 131 / 23 = 5.696; moving ranges 2 x 19 + 5 + 3 + 8 = 54
    # over 22 = 2.455; two sigma at 5.696 + 1.773 x 2.455 = 10.05, upper limit 12.22. 11 is
    # beyond two sigma, 14 beyond the limit and 6 is above the mean: two of three on one side,
    # so 11 is flagged (NHSRplotthedots would not count the 14, MDC since 2023 does). The 6 is
    # not beyond two sigma and is not flagged.
    result = chart([4.0, 6.0] * 10 + [11.0, 14.0, 6.0])
    assert result.limits.upper_2sigma == pytest.approx(131 / 23 + 2 * 2.66 / 3 * 54 / 22)
    assert rules(result)[-3:] == ["two of three", "beyond limits", ""]
    assert result.variation == v.COMMON_CAUSE


@pytest.mark.parametrize(
    ("side", "beyond", "expected"),
    [
        ([1, 1, 1], [1, 0, 1], [1, 0, 1]),  # only the points beyond two sigma are flagged
        ([-1, -1, -1], [-1, -1, 0], [-1, -1, 0]),
        ([1, 1, 1], [1, 0, 0], [0, 0, 0]),  # one of three is not enough
        ([1, 1, -1], [1, 1, 0], [0, 0, 0]),  # the third point is across the mean
        ([1, 0, 1], [1, 0, 1], [0, 0, 0]),  # a point on the mean is on neither side
        ([1, -1, 1], [1, -1, 0], [0, 0, 0]),  # beyond opposite two-sigma lines
        ([1, 1], [1, 1], [0, 0]),  # fewer than three points
    ],
)
def test_two_of_three_rule(side: list[int], beyond: list[int], expected: list[int]) -> None:
    assert spc.two_of_three_rule(np.array(side), np.array(beyond)).tolist() == expected


def test_a_trend_outranks_a_shift_when_they_disagree() -> None:
    # 0 x 6 then 12 falling to 6: mean 63 / 13 = 4.846, moving ranges 12 + 1 x 6 = 18 over 12
    # = 1.5, limits 0.856 and 8.836. The last three points (8, 7, 6) sit in a shift of seven
    # above the mean (up) and a falling trend (down); the trend decides: concern.
    result = chart([0.0] * 6 + [12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0])
    points = result.points
    assert points["shift"].tolist()[-3:] == [True] * 3
    assert points["trend"].tolist()[-3:] == [True] * 3
    assert rules(result)[-3:] == ["trend"] * 3
    assert result.variation == v.CONCERN
    # 12, 11, 10, 9 are above the upper limit and the 0s below the lower one.
    assert rules(result)[:10] == ["beyond limits"] * 10


# --- rebasing, variation and assurance --------------------------------------------------------


def test_rebasing_recalculates_limits_from_the_rebase_period() -> None:
    # 1, 3 x 4 then 11, 13 x 4, monthly from April 2023. Rebased at December 2023, each half is
    # its own stable process (means 2 and 12, moving range 2, eight points: trial limits).
    # Without the rebase the step is a pair of shifts around the overall mean of 7.
    series = pd.Series(
        [1.0, 3.0] * 4 + [11.0, 13.0] * 4, index=pd.period_range("2023-04", periods=16, freq="M")
    )
    rebased = spc.xmr_chart(series, rebase=(pd.Period("2023-12", freq="M"),))
    assert rebased.points["segment"].tolist() == [0] * 8 + [1] * 8
    assert rebased.points["mean"].tolist() == [2.0] * 8 + [12.0] * 8
    assert rebased.limits.upl == pytest.approx(12 + 5.32)
    assert (rebased.variation, rebased.trial) == (v.COMMON_CAUSE, True)
    whole = spc.xmr_chart(series)
    assert whole.limits.mean == 7.0 and whole.trial is False
    assert whole.variation == v.IMPROVEMENT


@pytest.mark.parametrize(
    ("direction", "polarity", "expected"),
    [
        (0, "higher", v.COMMON_CAUSE),
        (1, "higher", v.IMPROVEMENT),
        (-1, "higher", v.CONCERN),
        (1, "lower", v.CONCERN),
        (-1, "lower", v.IMPROVEMENT),
        (1, "none", v.NEUTRAL_HIGH),
        (-1, "none", v.NEUTRAL_LOW),
        (0, "none", v.COMMON_CAUSE),
    ],
)
def test_point_variation(direction: int, polarity: str, expected: str) -> None:
    assert spc.point_variation(direction, polarity) == expected


@pytest.mark.parametrize(
    ("target", "polarity", "expected"),
    [
        (3.0, "higher", v.PASSING),  # below the lower limit: every point passes
        (17.0, "higher", v.FAILING),  # above the upper limit: every point fails
        (10.0, "higher", v.HIT_AND_MISS),
        (4.0, "higher", v.HIT_AND_MISS),  # exactly on a limit
        (16.0, "higher", v.HIT_AND_MISS),
        (3.0, "lower", v.FAILING),
        (17.0, "lower", v.PASSING),
        (10.0, "none", v.NOT_APPLICABLE),
        (NAN, "higher", v.NOT_APPLICABLE),
    ],
)
def test_assurance(target: float, polarity: str, expected: str) -> None:
    assert spc.assurance(target, spc.Limits(10.0, 4.0, 16.0, 6.0, 14.0), polarity) == expected


def test_assurance_uses_the_charts_limits() -> None:
    # 10, 12 alternating: limits 5.68 and 16.32.
    assert chart([10.0, 12.0] * 6, target=5.0).assurance == v.PASSING
    assert chart([10.0, 12.0] * 6, target=17.0).assurance == v.FAILING
    assert chart([10.0, 12.0] * 6, target=11.0).assurance == v.HIT_AND_MISS


# --- polarity reversal ------------------------------------------------------------------------

SWAP = {
    v.IMPROVEMENT: v.CONCERN,
    v.CONCERN: v.IMPROVEMENT,
    v.PASSING: v.FAILING,
    v.FAILING: v.PASSING,
}
FLIP = {"higher": "lower", "lower": "higher"}
POLARITY_FREE = [
    "segment",
    "trial",
    "beyond_limits",
    "trend",
    "two_of_three",
    "shift",
    "special_cause",
    "rule",
]
LIMITS = ["mean", "lpl", "upl", "lower_2sigma", "upper_2sigma"]
MIRRORED = ["mean", "upl", "lpl", "upper_2sigma", "lower_2sigma"]


def swapped(word: str) -> str:
    return SWAP.get(word, word)


noise = st.lists(st.one_of(st.integers(-5, 5).map(float), st.just(NAN)), max_size=30)
runs = st.lists(st.tuples(st.sampled_from([-1.0, 0.0, 1.0]), st.integers(1, 9)), max_size=5)
shaped = runs.map(lambda parts: np.cumsum([step for step, n in parts for _ in range(n)]).tolist())
"""Rising, falling and flat runs: trends, shifts, ties and disagreeing rules are common."""
series_values = st.one_of(noise, shaped)


@given(
    values=series_values,
    polarity=st.sampled_from(["higher", "lower"]),
    target=st.one_of(st.integers(-8, 8).map(float), st.just(NAN)),
    shift_length=st.sampled_from([6, 7]),
    rebase=st.lists(st.integers(0, 30), max_size=2),
    method=st.sampled_from(list(METHODS.values())),
    fix=st.one_of(st.none(), st.integers(2, 15)),
)
def test_reversing_polarity_swaps_only_the_polarity_judgements(
    values, polarity, target, shift_length, rebase, method, fix
) -> None:
    """Reversing polarity swaps improvement/concern and passing/failing and nothing else.

    Reversing it and also reflecting the values and target about zero changes no judgement:
    the limits reflect, the rules fire on the same points and every special cause turns round.
    Both hold for every method and option (docs/spc-methods.md).
    """
    series = pd.Series(values, dtype=float)
    chosen = replace(method, shift_length=shift_length, fix_after_n_points=fix)
    options = {"rebase": tuple(rebase), **vars(chosen)}
    original = spc.xmr_chart(series, polarity, target, **options)
    points = original.points

    reversed_ = spc.xmr_chart(series, FLIP[polarity], target, **options)
    pd.testing.assert_frame_equal(
        reversed_.points.drop(columns="variation"), points.drop(columns="variation")
    )
    pd.testing.assert_series_equal(reversed_.points["variation"], points["variation"].map(swapped))
    assert reversed_.variation == swapped(original.variation)
    assert reversed_.assurance == swapped(original.assurance)
    assert reversed_.trial == original.trial

    reflected = spc.xmr_chart(-series, FLIP[polarity], -target, **options)
    unchanged = [*POLARITY_FREE, "variation"]
    pd.testing.assert_frame_equal(reflected.points[unchanged], points[unchanged])
    turned = ["value", "direction"]
    pd.testing.assert_frame_equal(reflected.points[turned], -points[turned])
    pd.testing.assert_frame_equal(
        reflected.points[LIMITS], -points[MIRRORED].set_axis(LIMITS, axis=1)
    )
    assert (reflected.variation, reflected.assurance) == (original.variation, original.assurance)
