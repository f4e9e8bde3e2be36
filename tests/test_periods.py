"""Financial-year quarters, cadences and 'latest expected' periods."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf_utils.data.periods import (
    FREQUENCIES,
    Cadence,
    PeriodError,
    describe_period,
    format_period,
    parse_period,
    parse_quarter,
    quarter_label,
    quarter_slug,
)


def test_quarter_spellings_and_months() -> None:
    q2 = parse_quarter("2025/26 Q2")
    assert parse_quarter("2025-26-q2") == q2
    assert (q2.start_time.date().isoformat(), q2.end_time.date().isoformat()) == (
        "2025-07-01",
        "2025-09-30",
    )
    assert quarter_label(q2) == "2025/26 Q2"
    assert quarter_slug(q2) == "2025-26-q2"
    assert describe_period(q2) == "2025/26 Q2 (Jul-Sep 2025)"
    assert quarter_label(parse_quarter("2025/26 Q4")) == "2025/26 Q4"
    assert parse_quarter("2025/26 Q4").start_time.month == 1  # Q4 is January to March


@pytest.mark.parametrize("text", ["2025/27 Q1", "2025/26 Q5", "Q2 2025", "2025-26", ""])
def test_bad_quarters_are_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_quarter(text)


@pytest.mark.parametrize(
    ("frequency", "text", "start", "end"),
    [
        ("monthly", "2025-04", "2025-04-01", "2025-04-30"),
        ("annual-financial", "2024/25", "2024-04-01", "2025-03-31"),
        ("annual-academic", "2024/25", "2024-09-01", "2025-08-31"),
        ("annual-calendar", "2024", "2024-01-01", "2024-12-31"),
    ],
)
def test_cadences(frequency: str, text: str, start: str, end: str) -> None:
    period = parse_period(text, frequency)
    assert period.start_time.date().isoformat() == start
    assert period.end_time.date().isoformat() == end
    assert format_period(period) == text


@pytest.mark.parametrize(
    ("frequency", "lag", "expected"),
    [
        ("monthly", 0, "2025-09"),
        ("monthly", 1, "2025-08"),  # August's figure is out by the end of September
        ("quarterly", 0, "2025/26 Q2"),
        ("quarterly", 3, "2025/26 Q1"),
        ("annual-financial", 6, "2024/25"),  # due by 30 September: just in time
        ("annual-financial", 7, "2023/24"),
        ("annual-academic", 4, "2023/24"),
        ("annual-calendar", 9, "2024"),
    ],
)
def test_expected_latest(frequency: str, lag: int, expected: str) -> None:
    period = Cadence(frequency, lag).expected_latest(parse_quarter("2025/26 Q2"))
    assert format_period(period) == expected


@given(
    frequency=st.sampled_from(sorted(FREQUENCIES)),
    ordinal=st.integers(min_value=-400, max_value=400),
)
def test_format_then_parse_round_trips(frequency: str, ordinal: int) -> None:
    base = pd.Period("2025-04", freq="M").asfreq(FREQUENCIES[frequency])
    period = base + ordinal
    assert parse_period(format_period(period), frequency) == period
