"""Target status, direction of travel, benchmarking, quartiles, latest value and staleness,
and the display vocabulary, each checked against answers worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmf_utils.data.periods import parse_period, parse_quarter
from pmf_utils.judge import judgements as j
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.targets import target_in_force

NAN = math.nan
Q2 = parse_quarter("2025/26 Q2")  # July to September 2025


# --- status against target -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (81.0, v.ON_TARGET),
        (80.0, v.ON_TARGET),  # exactly at target
        (77.5, v.WITHIN_TOLERANCE),
        (75.0, v.WITHIN_TOLERANCE),  # exactly at target - tolerance = 80 - 5
        (74.9, v.OFF_TARGET),
    ],
)
def test_status_higher_is_better(value: float, expected: str) -> None:
    assert j.status(value, 80.0, 5.0, "higher") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (79.0, v.ON_TARGET),
        (80.0, v.ON_TARGET),
        (85.0, v.WITHIN_TOLERANCE),  # exactly at target + tolerance
        (85.1, v.OFF_TARGET),
    ],
)
def test_status_lower_is_better(value: float, expected: str) -> None:
    assert j.status(value, 80.0, 5.0, "lower") == expected


def test_status_tolerance_edge_survives_decimal_fractions() -> None:
    # 0.3 - 0.1 is 0.19999999999999998 in binary: the edge must still be within tolerance.
    assert j.status(0.3 - 0.1, 0.3, 0.1, "higher") == v.WITHIN_TOLERANCE
    assert j.status(0.1 + 0.2, 0.1, 0.2, "lower") == v.WITHIN_TOLERANCE


def test_status_without_tolerance_has_no_band() -> None:
    assert j.status(79.99, 80.0, NAN, "higher") == v.OFF_TARGET
    assert j.status(80.0, 80.0, NAN, "higher") == v.ON_TARGET


def test_status_monitor_only_and_no_data() -> None:
    assert j.status(50.0, NAN, NAN, "higher") == v.MONITOR_ONLY
    assert j.status(50.0, 40.0, 1.0, "none") == v.MONITOR_ONLY  # no good side to judge from
    assert j.status(NAN, 40.0, 1.0, "higher") == v.NO_DATA
    assert j.status(NAN, NAN, NAN, "none") == v.NO_DATA


def test_target_in_force_applies_from_its_year_until_replaced() -> None:
    targets = pd.DataFrame(
        {
            "target": [70.0, 80.0],
            "starts": [parse_period(y, "annual-financial") for y in ("2024/25", "2026/27")],
        }
    )
    assert target_in_force(targets, Q2)["target"] == 70.0  # 2024/25 still in force
    assert target_in_force(targets, parse_quarter("2026/27 Q1"))["target"] == 80.0
    assert target_in_force(targets, parse_quarter("2023/24 Q4")) is None
    assert target_in_force(targets.iloc[:0], Q2) is None


# --- direction of travel ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "earlier", "polarity", "expected"),
    [
        # default band: 2% of the earlier figure, 2% of 50 = 1.0
        (51.5, 50.0, "higher", v.IMPROVING),
        (51.0, 50.0, "higher", v.NO_CHANGE),  # change of exactly the band
        (49.0, 50.0, "higher", v.NO_CHANGE),
        (48.5, 50.0, "higher", v.WORSENING),
        (48.5, 50.0, "lower", v.IMPROVING),
        (51.5, 50.0, "lower", v.WORSENING),
        (51.5, 50.0, "none", v.INCREASING),
        (48.5, 50.0, "none", v.DECREASING),
        (50.5, 50.0, "none", v.NO_CHANGE),
        (-51.5, -50.0, "higher", v.WORSENING),  # band uses the size of a negative figure
        (0.0, 0.0, "higher", v.NO_CHANGE),
        (NAN, 50.0, "higher", v.NOT_AVAILABLE),
        (50.0, NAN, "higher", v.NOT_AVAILABLE),
    ],
)
def test_direction_with_default_band(
    value: float, earlier: float, polarity: str, expected: str
) -> None:
    assert j.direction(value, earlier, polarity) == expected


def test_direction_with_the_kpis_own_threshold() -> None:
    assert j.direction(53.0, 50.0, "higher", threshold=3.0) == v.NO_CHANGE  # |3| <= 3
    assert j.direction(53.5, 50.0, "higher", threshold=3.0) == v.IMPROVING
    assert j.direction(50.5, 50.0, "higher", threshold=0.0) == v.IMPROVING  # any change counts


def test_direction_confidence_intervals_decide_when_both_have_them() -> None:
    # A big change whose intervals overlap (59 <= 62) is no significant change...
    assert j.direction(65.0, 55.0, "higher", NAN, (59.0, 71.0), (48.0, 62.0)) == v.NO_CHANGE
    # ...and intervals that only touch still overlap.
    assert j.direction(65.0, 55.0, "higher", NAN, (60.0, 70.0), (50.0, 60.0)) == v.NO_CHANGE
    # A change inside the 2% band is significant when the intervals are apart.
    assert j.direction(50.5, 50.0, "higher", NAN, (50.4, 50.6), (49.9, 50.1)) == v.IMPROVING
    # With only one interval the band decides: 65 - 55 > 2% of 55.
    assert j.direction(65.0, 55.0, "lower", NAN, (59.0, 71.0)) == v.WORSENING


# --- benchmarking -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "england", "polarity", "interval", "expected"),
    [
        # with an interval on our figure: similar when England's value lies inside it
        (20.0, 22.0, "higher", (18.0, 23.0), v.SIMILAR),
        (20.0, 23.0, "higher", (18.0, 23.0), v.SIMILAR),  # on the interval's edge
        (20.0, 23.5, "higher", (18.0, 23.0), v.WORSE),
        (20.0, 23.5, "lower", (18.0, 23.0), v.BETTER),
        (20.0, 17.0, "higher", (18.0, 23.0), v.BETTER),
        (20.0, 17.0, "none", (18.0, 23.0), v.HIGHER),
        # without: the 2% band, 2% of 50 = 1.0
        (51.0, 50.0, "higher", j.NO_INTERVAL, v.SIMILAR),
        (51.1, 50.0, "higher", j.NO_INTERVAL, v.BETTER),
        (48.9, 50.0, "higher", j.NO_INTERVAL, v.WORSE),
        (48.9, 50.0, "none", j.NO_INTERVAL, v.LOWER),
        (48.9, NAN, "higher", j.NO_INTERVAL, v.NOT_AVAILABLE),
    ],
)
def test_benchmark(value, england, polarity, interval, expected) -> None:
    assert j.benchmark(value, england, polarity, NAN, interval) == expected


def test_benchmark_with_the_kpis_own_threshold() -> None:
    assert j.benchmark(105.0, 100.0, "higher", threshold=5.0) == v.SIMILAR
    assert j.benchmark(94.0, 100.0, "higher", threshold=5.0) == v.WORSE


@pytest.mark.parametrize(
    ("value", "others", "polarity", "expected"),
    [
        # 4 areas: rank 1 -> ceil(4 * 1 / 4) = 1; rank 4 -> 4
        (10.0, [1.0, 2.0, 3.0], "higher", 1),
        (10.0, [1.0, 2.0, 3.0], "lower", 4),
        # one area (3) is better, so rank 2 of 4 -> quartile 2; the tie with 2 shares the rank
        (2.0, [2.0, 3.0, 1.0], "higher", 2),
        # no polarity: by value, 1 = highest
        (1.0, [2.0, 3.0, 4.0], "none", 4),
        # 8 areas, rank 3 -> ceil(12 / 8) = 2; blanks are not areas
        (6.0, [8.0, 7.0, 5.0, 4.0, 3.0, 2.0, 1.0, NAN], "higher", 2),
        # 5 areas, rank 2 -> ceil(8 / 5) = 2
        (4.0, [5.0, 3.0, 2.0, 1.0], "higher", 2),
    ],
)
def test_quartile(value, others, polarity, expected) -> None:
    assert j.quartile(value, others, polarity) == expected


def test_quartile_needs_comparators_and_a_value() -> None:
    assert j.quartile(5.0, [], "higher") is None
    assert j.quartile(5.0, [NAN], "higher") is None
    assert j.quartile(NAN, [1.0], "higher") is None


# --- latest value and staleness ---------------------------------------------------------------


def _series(rows: list[tuple[str, float, str]]) -> pd.DataFrame:
    periods = [parse_quarter(p) for p, _, _ in rows]
    return pd.DataFrame(
        {
            "period": periods,
            "period_end": [p.end_time for p in periods],
            "value": [value for _, value, _ in rows],
            "flag": [flag for _, _, flag in rows],
        }
    )


def test_latest_skips_a_suppressed_newer_period_and_says_so() -> None:
    series = _series(
        [
            ("2024/25 Q4", 10.0, ""),
            ("2025/26 Q1", 11.0, "provisional"),
            ("2025/26 Q2", NAN, "suppressed"),
            ("2025/26 Q3", 12.0, ""),  # after the quarter: not yet available
        ]
    )
    latest = j.latest_as_at(series, Q2)
    assert latest.row["value"] == 11.0
    assert latest.withheld == "2025/26 Q2 suppressed"
    # A suppressed figure is current data: the KPI is not stale.
    assert latest.newest == parse_quarter("2025/26 Q2")
    assert not j.is_stale(latest.newest, "quarterly", 0, Q2)


def test_a_blank_newer_period_is_missing_and_the_kpi_stale() -> None:
    series = _series([("2025/26 Q1", 11.0, ""), ("2025/26 Q2", NAN, "")])
    latest = j.latest_as_at(series, Q2)
    assert latest.row["value"] == 11.0
    assert latest.withheld == "2025/26 Q2 missing"
    assert latest.newest == parse_quarter("2025/26 Q1")
    assert j.is_stale(latest.newest, "quarterly", 0, Q2)  # Q2 was due by the end of Q2


def test_no_figure_at_all_is_no_data_not_stale() -> None:
    latest = j.latest_as_at(_series([("2025/26 Q2", NAN, "")]), Q2)
    assert latest.row is None and latest.newest is None
    assert not j.is_stale(latest.newest, "quarterly", 0, Q2)
    empty = j.latest_as_at(_series([]), Q2)
    assert empty.row is None and empty.withheld == ""


@pytest.mark.parametrize(
    ("latest", "frequency", "lag", "stale"),
    [
        # quarterly, no lag: 2025/26 Q2 itself is due by 30 September 2025
        ("2025/26 Q2", "quarterly", 0, False),
        ("2025/26 Q1", "quarterly", 0, True),
        # quarterly, 3 months' lag: Q1 (ends June, + 3 = September) is the newest due
        ("2025/26 Q1", "quarterly", 3, False),
        ("2024/25 Q4", "quarterly", 3, True),
        # monthly, 2 months' lag: July 2025 is due by September
        ("2025-07", "monthly", 2, False),
        ("2025-06", "monthly", 2, True),
        # financial year, 6 months' lag: 2024/25 (ends March 2025) is due by September 2025
        ("2024/25", "annual-financial", 6, False),
        ("2023/24", "annual-financial", 6, True),
        # calendar year, 9 months' lag: 2024 is due by September 2025
        ("2024", "annual-calendar", 9, False),
        ("2023", "annual-calendar", 9, True),
    ],
)
def test_staleness(latest: str, frequency: str, lag: int, stale: bool) -> None:
    assert j.is_stale(parse_period(latest, frequency), frequency, lag, Q2) is stale


# --- vocabulary and formatting ----------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_judgement_has_words_a_symbol_and_a_colour_with_contrast() -> None:
    for kind, terms in v.VOCABULARY.items():
        for value, term in terms.items():
            assert term.label and term.symbol, (kind, value)
            contrast = 1.05 / (_luminance(term.colour) + 0.05)  # against white
            assert contrast >= 3.0, (kind, value, term.colour, contrast)


def test_exception_reasons_are_in_the_vocabulary() -> None:
    assert set(v.EXCEPTION_REASONS) == set(v.VOCABULARY["exception"])


def test_labels_symbols_and_text() -> None:
    assert v.text("status", v.ON_TARGET) == "✔ On target"
    assert v.text("status", v.OFF_TARGET) == "✖ Off target"
    assert v.label("assurance", v.FAILING) == "Consistently failing"
    assert v.colour("variation", v.IMPROVEMENT) == v.GOOD
    # arrows follow the figure: an improving lower-is-better KPI falls
    assert v.symbol("direction", v.IMPROVING, "higher") == "↑"
    assert v.symbol("direction", v.IMPROVING, "lower") == "↓"
    assert v.symbol("direction", v.WORSENING, "lower") == "↑"
    assert v.symbol("variation", v.CONCERN, "lower") == "H"
    with pytest.raises(KeyError, match="no status judgement called 'green'"):
        v.label("status", "green")


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "rate_per", "expected"),
    [
        (63.24, "percentage", 1, NAN, "63.2%"),
        (1234.0, "count", 0, NAN, "1,234"),
        (1_234_567.0, "currency", 0, NAN, "£1.2m"),
        (2_500_000_000.0, "currency", 0, NAN, "£2.5bn"),
        (-1_500_000.0, "currency", 0, NAN, "-£1.5m"),
        (950.5, "currency", 2, NAN, "£950.50"),
        (12.44, "rate", 1, 1000.0, "12.4 per 1,000"),
        (1.0, "days", 0, NAN, "1 day"),
        (14.0, "days", 0, NAN, "14 days"),
        (-0.04, "score", 1, NAN, "0.0"),  # never "-0.0"
        (0.857, "ratio", 2, NAN, "0.86"),
        (NAN, "percentage", 1, NAN, "no figure"),  # never zero
    ],
)
def test_format_value(value, unit, decimals, rate_per, expected) -> None:
    assert v.format_value(value, unit, decimals, rate_per) == expected
