"""The named SPC methods (docs/spc-methods.md): NHSRplotthedots 0.2.2's own test expectations in
the ``nhsrplotthedots`` method, the MDC team's statements of its tool's rules in ``mdc``, a case
on which each option changes the answer, and properties the options must keep."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf_utils.data.dataset import load
from pmf_utils.data.periods import format_period
from pmf_utils.data.validation import read_all
from pmf_utils.judge import spc
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.assessment import judge
from pmf_utils.judge.spc_methods import DEFAULT_METHOD, METHODS, Method, parse, resolve
from pmf_utils.pages.report import Report

NAN = math.nan
PTD = vars(METHODS["nhsrplotthedots"])
MDC = vars(METHODS["mdc"])


def chart(values: list[float], **options) -> spc.Chart:
    return spc.xmr_chart(pd.Series(values, dtype=float), **options)


# --- NHSRplotthedots 0.2.2, tests/testthat/ -----------------------------------------------------

RNORM_123 = [
    # set.seed(123); rnorm(20) in R, as printed to 8 decimals: the data of its
    # test-ptd_spc_standard.R and test-ptd_spc.R, whose snapshots give the limits below.
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def part_of_seven(markers: list[int]) -> list[int]:
    """R's ``ptd_part_of_seven_trend``: a point is in a run if it or one of the next six ends it."""
    padded = [*markers, 0, 0, 0, 0, 0, 0]
    return [int(any(padded[i : i + 7])) for i in range(len(markers))]


@pytest.mark.parametrize(
    ("markers", "expected"),
    [
        ([], []),
        ([0] * 6, [0] * 6),
        ([0] * 6 + [1, 0], [1] * 7 + [0]),
        ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
        ([0] * 6 + [-1, 0], [1] * 7 + [0]),
        ([0] * 7 + [-1, 0], [0] + [1] * 7 + [0]),
    ],
)
def test_the_r_part_of_seven_helper_as_its_tests_assert(markers, expected) -> None:
    """The translation of run-end markers into run members used by the next two tests."""
    assert part_of_seven(markers) == expected


@pytest.mark.parametrize(
    ("relative_to_mean", "r_markers"),
    [
        # ptd_seven_point_one_side_mean(v) as asserted; the run's side is v's sign.
        ([], []),
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [0] * 6 + [1, 1, 0]),
        ([-1] * 8 + [1], [0] * 6 + [1, 1, 0]),
    ],
)
def test_shift_as_ptd_seven_point_one_side_mean(relative_to_mean, r_markers) -> None:
    side = np.array(relative_to_mean, dtype=int)
    expected = np.array(part_of_seven(r_markers), dtype=int) * side
    assert spc.shift_rule(side, PTD["shift_length"]).tolist() == expected.tolist()


@pytest.mark.parametrize(
    ("y", "r_markers"),
    [
        # ptd_seven_point_trend(y) as asserted: +1/-1 marks the end of a rising/falling run.
        ([], []),
        (list(range(1, 7)), [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
        (list(range(1, 8)), [0] * 6 + [1]),
        ([2, *range(1, 8), 3], [0] * 7 + [1, 0]),
        (list(range(7, 0, -1)), [0] * 6 + [-1]),
        ([2, *range(7, 0, -1), 3], [0] * 7 + [-1, 0]),
    ],
)
def test_trend_as_ptd_seven_point_trend(y, r_markers) -> None:
    direction = next((m for m in r_markers if m), 0)
    expected = [direction * p for p in part_of_seven(r_markers)]
    result = spc.trend_rule(np.array(y, dtype=float), PTD["trend_length"])
    assert result.tolist() == expected


@pytest.mark.parametrize(
    ("close_to_limits", "relative_to_mean", "flagged"),
    [
        # ptd_two_in_three then ptd_part_of_two_in_three, as asserted in their tests.
        ([], [], []),
        ([0, 0, 0], [0, 0, 0], [0, 0, 0]),
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0] * 4),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        # "when points are on opposite sides of the mean"
        ([1, 0, 1], [1, -1, 1], [0] * 3),
        ([0, 1, 1], [1, -1, 1], [0] * 3),
        ([1, 1, 0], [1, -1, 1], [0] * 3),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1] * 3 + [1], [0] * 7),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1] * 3 + [-1], [0] * 7),
    ],
)
def test_two_of_three_as_ptd_two_in_three(close_to_limits, relative_to_mean, flagged) -> None:
    """R's ``close_to_limits`` is unsigned; a point below the lower two-sigma line is below the
    mean, so it is ``close * side`` in our signed form. Flagged points take their side."""
    side = np.array(relative_to_mean, dtype=int)
    beyond = np.array(close_to_limits, dtype=int) * side
    expected = (np.array(flagged, dtype=int) * side).tolist()
    assert spc.two_of_three_rule(side, beyond).tolist() == expected


R_LABELS = {
    "Above UCL": ("beyond limits", 1),
    "Below LCL": ("beyond limits", -1),
    "7 Point Trend (Increasing)": ("trend", 1),
    "7 Point Trend (Decreasing)": ("trend", -1),
    "2 in 3 Above CL": ("two of three", 1),
    "2 in 3 Below CL": ("two of three", -1),
    "7 Points Above CL": ("shift", 1),
    "7 Points Below CL": ("shift", -1),
    "Common Cause": ("", 0),
}
"""NHSRplotthedots' special cause types as (our deciding rule, direction)."""


def test_rule_order_as_ptd_special_cause_type() -> None:
    """Its mocked case: y = 1:8, relative to mean 1 x 4 then -1 x 4, points 6 and 7 outside the
    limits, 1-2 in a trend, 3-4 in a shift and 5 in a two in three."""
    side = np.array([1] * 4 + [-1] * 4)
    fired = {
        "beyond limits": np.array([0, 0, 0, 0, 0, 1, 1, 0]) * side,
        "trend": np.array([1, 1, 0, 0, 0, 0, 0, 0]),  # y = 1:8 rises
        "two of three": np.array([0, 0, 0, 0, 1, 0, 0, 0]) * side,
        "shift": np.array([0, 0, 1, 1, 0, 0, 0, 0]) * side,
    }
    r_result = [
        "7 Point Trend (Increasing)",
        "7 Point Trend (Increasing)",
        "7 Points Above CL",
        "7 Points Above CL",
        "2 in 3 Below CL",
        "Below LCL",
        "Below LCL",
        "Common Cause",
    ]
    rule, direction = spc.classify(fired)
    assert list(zip(rule.tolist(), direction.tolist(), strict=True)) == [
        R_LABELS[label] for label in r_result
    ]


@pytest.mark.parametrize(
    ("lpl", "upl", "polarity", "expected"),
    [
        # test-ptd_calculate_assurance_type.R: target 4, groups a, b and c.
        (1, 3, "higher", v.FAILING),
        (5, 7, "higher", v.PASSING),
        (1, 5, "higher", v.HIT_AND_MISS),
        (1, 3, "lower", v.PASSING),
        (5, 7, "lower", v.FAILING),
        (1, 5, "lower", v.HIT_AND_MISS),
        (1, 3, "none", v.NOT_APPLICABLE),  # neutral: NA
    ],
)
def test_assurance_as_ptd_calculate_assurance_type(lpl, upl, polarity, expected) -> None:
    lim = spc.Limits((lpl + upl) / 2, lpl, upl, NAN, NAN)
    assert spc.assurance(4.0, lim, polarity) == expected
    assert spc.assurance(NAN, lim, polarity) == v.NOT_APPLICABLE  # no target: NA


def test_assurance_uses_the_latest_segment_as_ptd_calculate_assurance_type() -> None:
    """Its rebase case: the last row's limits decide. Segments whose limits are 1 to 3 (a),
    5 to 7 (b) and 1 to 5 (c), in the orders of its r1, r2 and r3, target 4, lower is better."""

    def segment(lpl: float, upl: float) -> list[float]:
        # alternating mean -/+ h: moving range 2h, limits mean -/+ 5.32h
        mean, h = (lpl + upl) / 2, (upl - lpl) / 2 / (2 * spc.LIMIT)
        return [mean - h, mean + h] * 2

    groups = {"a": segment(1, 3), "b": segment(5, 7), "c": segment(1, 5)}
    for order, expected in [("abc", v.HIT_AND_MISS), ("bca", v.PASSING), ("cab", v.FAILING)]:
        values = [x for name in order for x in groups[name]]
        result = chart(values, polarity="lower", target=4.0, rebase=(4, 8), **PTD)
        assert result.points["segment"].tolist() == [0] * 4 + [1] * 4 + [2] * 4
        assert result.assurance == expected, order


@pytest.mark.parametrize(
    ("sizes", "threshold", "trial"),
    [
        # test-ptd_add_short_group_warnings.R, warning_threshold 12 passed in.
        ([11], 12, [True]),
        ([12], 12, [False]),
        ([20, 20, 20, 20], 12, [False] * 4),  # "facets and rebase groups - no warnings"
        ([35, 5, 20, 20], 12, [False, True, False, False]),  # "warning on one facet"
        # Its default threshold, getOption("ptd_spc.warning_threshold", 13):
        ([12], None, [True]),
        ([13], None, [False]),
    ],
)
def test_trial_limits_as_ptd_add_short_group_warnings(sizes, threshold, trial) -> None:
    """Facets are separate KPIs here, so its facet-and-rebase groups become rebased segments."""
    values = [float(i % 3) for i in range(sum(sizes))]
    starts = np.cumsum(sizes)[:-1].tolist()
    options = PTD if threshold is None else {**PTD, "trial_below": threshold}
    result = chart(values, rebase=tuple(starts), **options)
    expected = [flag for size, flag in zip(sizes, trial, strict=True) for _ in range(size)]
    assert result.points["trial"].tolist() == expected


def test_limits_as_the_ptd_spc_standard_snapshots() -> None:
    """test-ptd_spc_standard.R: r1 the data, r2 with y[15] = 10 screened, r3 unscreened; the
    snapshots print mean_col, lpl and upl to 7 significant figures."""
    y = np.array(RNORM_123)
    r1 = spc.limits(y, screen_outliers=True)
    assert (r1.mean, r1.lpl, r1.upl) == pytest.approx((0.1416238, -3.01138, 3.294627), abs=5e-7)
    spike = y.copy()
    spike[14] = 10
    r2 = spc.limits(spike, screen_outliers=True)
    assert (r2.mean, r2.lpl, r2.upl) == pytest.approx((0.6694159, -2.383666, 3.722497), abs=5e-7)
    r3 = spc.limits(spike, screen_outliers=False)
    assert (r3.mean, r3.lpl, r3.upl) == pytest.approx((0.6694159, -4.596625, 5.935457), abs=5e-7)
    assert r3.upl - r3.lpl > r2.upl - r2.lpl
    # "setting fix_after_n_points changes the calculations"
    s1 = spc.limits(y, screen_outliers=True, fix_after_n_points=12)
    assert s1.lpl != r1.lpl and s1.upl != r1.upl


def test_relative_to_mean_and_common_cause_as_the_ptd_spc_snapshots() -> None:
    """The r1 snapshot's relative_to_mean, and summary(): 20 points, all common cause."""
    result = chart(RNORM_123, **PTD)
    side = np.sign(result.points["value"] - result.points["mean"]).astype(int).tolist()
    assert side[:15] == [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1, -1, -1]
    assert not result.points["special_cause"].any()
    assert result.variation == v.COMMON_CAUSE


def test_rebase_groups_as_the_ptd_spc_summary_snapshot_of_facets() -> None:
    """summary(s3): facets of 10 points each (here a rebase after the 10th point): means 0.0746
    and 0.209, limits -2.60 to 2.75 and -3.28 to 3.70, all common cause."""
    result = chart(RNORM_123, rebase=(10,), **PTD)
    first, second = (result.points[result.points["segment"] == s].iloc[0] for s in (0, 1))
    assert (first["mean"], first["lpl"], first["upl"]) == pytest.approx(
        (0.0746, -2.60, 2.75), abs=0.005
    )
    assert (second["mean"], second["lpl"], second["upl"]) == pytest.approx(
        (0.209, -3.28, 3.70), abs=0.005
    )
    assert not result.points["special_cause"].any()
    assert result.points["trial"].all()  # 10 < 13: "Some groups have 'n < 12' observations"


def test_two_points_close_to_opposite_limits_as_ptd_spc_standard() -> None:
    """Its test "it only reports special cause for 2of3 points close to limits when they are on
    the same side of the mean": 1, -1 x 8 with the last two 5.5 and -5.5."""
    values = [1.0, -1.0] * 8
    values[14], values[15] = 5.5, -5.5
    result = chart(values, **PTD)
    assert result.points["variation"].tolist()[-2:] == [v.COMMON_CAUSE] * 2


def test_screening_as_the_deviations_vignette() -> None:
    """The vignette "Deviations from Excel defaults": screened, UPL 4.6, mean 1.94, LPL -0.72; with
    screen_outliers = FALSE, which "produces the same output as Excel", UPL 6.95 and LPL -3.06.
    Either way the 10 is the one special cause point, an improvement."""
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    for options, (upl, lpl) in [(PTD, (4.60, -0.72)), (MDC, (6.95, -3.06))]:
        result = chart(values, **options)
        assert (result.limits.upl, result.limits.mean, result.limits.lpl) == pytest.approx(
            (upl, 1.94, lpl), abs=0.005
        )
        expected = [v.COMMON_CAUSE] * 4 + [v.IMPROVEMENT] + [v.COMMON_CAUSE] * 13
        assert result.points["variation"].tolist() == expected


def test_two_of_three_as_nhsrplotthedots_issue_153() -> None:
    """Beyond the limit, beyond the limit, then between two and three sigma: NHSRplotthedots
    does not flag the third (it counts only points between two and three sigma); MDC since
    2023 does. 0, 2 x 10 then 12, 12, 7: the 7 lies between the upper two-sigma line and the
    upper limit of either method (5.85 and 7.66 screened, 6.49 and 8.63 not)."""
    values = [0.0, 2.0] * 10 + [12.0, 12.0, 7.0]
    ptd, mdc = chart(values, **PTD), chart(values, **MDC)
    for result in (ptd, mdc):
        assert result.limits.upper_2sigma < 7 < result.limits.upl < 12
    assert ptd.points["rule"].tolist()[-3:] == ["beyond limits", "beyond limits", ""]
    assert mdc.points["rule"].tolist()[-3:] == ["beyond limits", "beyond limits", "two of three"]
    assert (ptd.variation, mdc.variation) == (v.COMMON_CAUSE, v.IMPROVEMENT)


# --- the MDC team's statements of the single chart tool (NHSRplotthedots issue #194) ---------


def test_mdc_counts_a_point_beyond_the_limit_towards_two_of_three() -> None:
    """The MDC team: "if you had one point in this range and then the next point beyond
    three-sigma ... both points above would trigger the rule"; "the third point would not
    trigger this rule if it is not beyond two-sigma itself". 4, 6 x 10 then 11 (two to three
    sigma), 14 (beyond the limit), 6 (above the mean only): see test_spc for the limits."""
    result = chart([4.0, 6.0] * 10 + [11.0, 14.0, 6.0], **MDC)
    assert result.points["two_of_three"].tolist()[-3:] == [True, True, False]
    assert result.points["rule"].tolist()[-3:] == ["two of three", "beyond limits", ""]
    ptd_reading = chart([4.0, 6.0] * 10 + [11.0, 14.0, 6.0], **PTD)
    assert ptd_reading.points["two_of_three"].tolist()[-3:] == [False] * 3


def test_mdc_needs_all_three_on_one_side_of_the_mean() -> None:
    """The MDC team: "all three points still need to be on the same side of the mean": 11 and
    14 as above, but after a 4 and before a 4, both below the mean (5.6)."""
    result = chart([6.0, 4.0] * 10 + [11.0, 14.0, 4.0], **MDC)
    assert result.limits.mean == pytest.approx(129 / 23)
    assert result.points["two_of_three"].tolist()[-3:] == [False] * 3


def test_mdc_shows_limits_and_icons_from_13_points() -> None:
    """The MDC team: "The Single Chart tool shows process limits and summary icons ... at 13
    points and above": 12 points are not enough, so neither variation nor assurance is given."""
    twelve = chart([10.0, 12.0] * 6, target=20.0, **MDC)
    assert twelve.limits is None
    assert (twelve.variation, twelve.assurance) == (v.NOT_ENOUGH_DATA, v.NOT_ENOUGH_DATA)
    thirteen = chart([10.0, 12.0] * 6 + [10.0], target=20.0, **MDC)
    assert thirteen.limits is not None and thirteen.trial is False
    assert (thirteen.variation, thirteen.assurance) == (v.COMMON_CAUSE, v.FAILING)


# --- each option changes the answer on a case that shows it ---------------------------------


def test_screening_a_spike_lets_a_later_point_show_as_special_cause() -> None:
    """The vignette's series and then 5.5: with the 10's moving ranges screened out the upper
    limit (5.37) falls below 5.5, an improvement; unscreened (7.53) it is common cause."""
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 5.5]
    screened = chart(values, screen_outliers=True)
    plain = chart(values, screen_outliers=False)
    assert screened.limits.upl < 5.5 < plain.limits.upl
    assert (screened.variation, plain.variation) == (v.IMPROVEMENT, v.COMMON_CAUSE)


def test_a_frozen_baseline_flags_later_points_that_a_rebase_would_not() -> None:
    """9, 11 x 6 then 13, 15 x 4. Frozen after 12 points the limits stay at 10 -/+ 5.32 and the
    eight later points, with the baseline's last 11, are a shift above the old mean (and the
    15s are beyond two sigma, 13.55); a rebase at the 13th point gives the later points their
    own mean, 14, around which they are common cause."""
    values = [9.0, 11.0] * 6 + [13.0, 15.0] * 4
    frozen = chart(values, fix_after_n_points=12)
    assert (frozen.limits.mean, frozen.limits.upl) == pytest.approx((10, 15.32))
    assert frozen.points["special_cause"].tolist() == [False] * 11 + [True] * 9
    assert frozen.variation == v.IMPROVEMENT
    rebased = chart(values, rebase=(12,))
    assert rebased.limits.mean == 14
    assert not rebased.points["special_cause"].any()
    assert rebased.variation == v.COMMON_CAUSE


def test_12_points_are_trial_limits_for_nhsrplotthedots_but_not_for_the_default() -> None:
    values = [10.0, 12.0] * 6
    assert chart(values, **PTD).trial is True
    assert chart(values).trial is False
    assert chart([*values, 10.0], **PTD).trial is False


def test_min_points_decides_when_a_chart_has_limits() -> None:
    five = [10.0, 12.0, 10.0, 12.0, 10.0]
    assert chart(five).variation == v.NOT_ENOUGH_DATA
    assert chart(five, **PTD).limits is not None  # NHSRplotthedots: limits from 2 points
    assert chart(five[:2], **PTD).limits is not None
    assert chart(five[:1], **PTD).limits is None


def test_trend_length_six_flags_a_six_point_trend() -> None:
    # 5, 7 x 3 then 8.5 falling to 6: six falling points within the two-sigma lines.
    values = [5.0, 7.0] * 3 + [8.5, 8.0, 7.5, 7.0, 6.5, 6.0]
    assert chart(values).variation == v.COMMON_CAUSE
    six = chart(values, trend_length=6)
    assert six.points["rule"].tolist() == [""] * 6 + ["trend"] * 6
    assert six.variation == v.CONCERN


def test_two_in_three_readings_differ_on_a_point_beyond_the_limit() -> None:
    values = [4.0, 6.0] * 10 + [11.0, 14.0, 6.0]
    counted = chart(values, two_in_three=spc.BEYOND_TWO_SIGMA)
    between = chart(values, two_in_three=spc.TWO_TO_THREE_SIGMA)
    assert counted.points["rule"].tolist()[-3] == "two of three"
    assert between.points["rule"].tolist()[-3] == ""


# --- the tie case (decided in docs/spc-methods.md) --------------------------------------------


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        # Rising 1..7, a tie (7, 7), then falling: NHSRplotthedots 0.2.2 labels the first 7
        # "7 Point Trend (Decreasing)" (the step to its right is 0); it keeps its own trend's.
        ([*range(1, 8), *range(7, 0, -1)], [1] * 7 + [-1] * 7),
        # Rising, a tie, rising again: R would still call the first 7 decreasing.
        ([*range(1, 8), *range(7, 14)], [1] * 14),
    ],
)
def test_a_point_ending_a_trend_before_a_tie_keeps_its_trends_direction(y, expected) -> None:
    assert spc.trend_rule(np.array(y, dtype=float)).tolist() == expected


# --- how a plan and a KPI choose ---------------------------------------------------------------


def test_a_kpi_naming_a_method_starts_from_it_and_its_own_options_win() -> None:
    plan = resolve({"spc_method": "mdc", "spc_shift_length": "6"}, DEFAULT_METHOD)
    assert plan == Method("mdc", replace(METHODS["mdc"], shift_length=6))
    assert plan.label == "mdc; shift_length=6"
    assert resolve({}, plan) == plan  # a KPI choosing nothing follows the plan
    assert resolve({"spc_trend_length": "6"}, plan).options.shift_length == 6
    own = resolve({"spc_method": "nhsrplotthedots", "spc_screen_outliers": "false"}, plan)
    assert own.options == replace(METHODS["nhsrplotthedots"], screen_outliers=False)
    assert own.label == "nhsrplotthedots; screen_outliers=false"
    assert own.describe() == "the SPC method of NHSRplotthedots 0.2.2 with no outlier screening"
    assert resolve({"spc_method": ""}, plan) == plan  # a blank cell chooses nothing


@pytest.mark.parametrize(
    ("setting", "text", "message"),
    [
        ("spc_method", "excel", "'excel' is not one of: pmf, mdc, nhsrplotthedots"),
        ("spc_screen_outliers", "yes", "'yes' is not true or false"),
        ("spc_shift_length", "six", "'six' is not a whole number"),
        ("spc_trend_length", "2", "2 is too small: at least 3"),
        ("spc_two_in_three", "mdc", "'mdc' is not one of: beyond-two-sigma, two-to-three-sigma"),
    ],
)
def test_bad_settings_say_what_is_wrong(setting: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(setting, text)


# --- properties ---------------------------------------------------------------------------------

values = st.lists(st.integers(-20, 20).map(float), min_size=2, max_size=30)


@given(values)
def test_screening_never_widens_the_limits_nor_moves_the_mean(y: list[float]) -> None:
    """Screening drops only moving ranges above the mean moving range, so it can only lower it."""
    screened = spc.limits(np.array(y), screen_outliers=True)
    plain = spc.limits(np.array(y))
    assert screened.mean == plain.mean
    assert screened.upl - screened.lpl <= plain.upl - plain.lpl + 1e-9


@given(values, values, st.data())
def test_frozen_limits_ignore_every_point_after_the_baseline(y, later, data) -> None:
    n = data.draw(st.integers(2, len(y)))
    baseline = spc.limits(np.array(y[:n]))
    assert spc.limits(np.array(y[:n] + later), fix_after_n_points=n) == baseline
    assert spc.limits(np.array(y), fix_after_n_points=max(n, len(y))) == spc.limits(np.array(y))


@given(values, st.sampled_from(list(METHODS.values())))
def test_the_nhsrplotthedots_two_in_three_flags_a_subset_of_the_mdc_reading(y, options) -> None:
    """A window with two points between two and three sigma has two beyond two sigma, so every
    point the narrower reading flags the wider one flags too."""
    wide = chart(y, **vars(replace(options, two_in_three=spc.BEYOND_TWO_SIGMA)))
    narrow = chart(y, **vars(replace(options, two_in_three=spc.TWO_TO_THREE_SIGMA)))
    assert not (narrow.points["two_of_three"] & ~wide.points["two_of_three"]).any()


# --- the data chooses: plan.csv, kpis.csv, the judgements and the report ------------------------


def _with_settings(folder: Path, plan: str, kpi_cells: dict[str, str]) -> Path:
    """The mini data with ``plan`` lines added to plan.csv and two spc columns on each KPI."""
    with (folder / "plan.csv").open("a", encoding="utf-8") as file:
        file.write(plan)
    lines = (folder / "kpis.csv").read_text(encoding="utf-8").splitlines()
    lines[0] += ",spc_method,spc_shift_length"
    for i, line in enumerate(lines[1:], start=1):
        lines[i] = line + "," + kpi_cells.get(line.split(",")[0], ",")
    (folder / "kpis.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_bad_settings_are_reported_where_they_are(mini_data: Path) -> None:
    _with_settings(mini_data, "spc_method,excel\n", {"CH01": "mdc,1", "CH02": "plotthedots,"})
    found = [str(p).removeprefix(f"{mini_data}/") for p in read_all(mini_data)[1]]
    assert found == [
        "plan.csv:11: value: spc_method: 'excel' is not one of: pmf, mdc, nhsrplotthedots",
        "kpis.csv:2: spc_shift_length: 1 is too small: at least 2",
        "kpis.csv:3: spc_method: 'plotthedots' is not one of: pmf, mdc, nhsrplotthedots",
    ]


def test_the_plan_and_each_kpi_choose_the_method_the_report_names(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_settings(mini_data, "spc_method,nhsrplotthedots\n", {"CH01": "mdc,6"})
    data = load(mini_data)
    assert data.plan.spc_method == Method("nhsrplotthedots", METHODS["nhsrplotthedots"])
    quarter = data.latest_quarter()
    judged = judge(data, quarter)
    assert judged.table["spc_method"].tolist() == [
        "mdc; shift_length=6",
        "nhsrplotthedots",
        "nhsrplotthedots",
    ]
    assert judged.charts["CH01"].options == replace(METHODS["mdc"], shift_length=6)
    assert judged.charts["CH02"].options == METHODS["nhsrplotthedots"]
    monkeypatch.chdir(mini_data)  # the report writes figures/ here
    report = Report(format_period(quarter), mini_data)

    def unescaped(markdown: str) -> str:
        return markdown.replace("\\", "")  # the page escapes markdown punctuation

    assert "Drawn by NHS England's Making Data Count SPC method with shifts of 6 points." in (
        unescaped(report._spc("CH01"))
    )
    two_points = unescaped(report._spc("CH02"))  # NHSRplotthedots draws limits from 2 points
    assert "Trial limits: fewer than 13 points. Drawn by the SPC method of NHSRplotthedots" in (
        two_points
    )
    assert "CH02-spc.svg" in two_points
