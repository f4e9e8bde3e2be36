"""Targets as they were: each figure against the target of its own period, profiles within a
year, and year-to-date KPIs judged at Q1, Q2 and Q3 against their profile."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf_utils.data.dataset import load
from pmf_utils.data.periods import parse_period, parse_quarter
from pmf_utils.data.validation import read_all
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.targets import closes_year, target_in_force, targets_by_period

from .conftest import judged_alone

NAN = math.nan


def quarters(*texts: str) -> list[pd.Period]:
    return [parse_period(t, "quarterly") for t in texts]


def target_rows(*rows: tuple[str, str | None, float]) -> pd.DataFrame:
    """(year, period or None, target) rows as ``dataset.load`` gives them."""
    return pd.DataFrame(
        {
            "starts": [parse_period(year, "annual-financial") for year, _, _ in rows],
            "period": pd.Series(
                [None if p is None else parse_period(p, "quarterly") for _, p, _ in rows],
                dtype=object,
            ),
            "target": [t for _, _, t in rows],
            "tolerance": [NAN] * len(rows),
        }
    )


COUNCIL_TAX = target_rows(
    # collected by the end of each quarter, year to date, and 96% by year end
    ("2024/25", None, 95.5),
    ("2025/26", None, 96.0),
    ("2025/26", "2025/26 Q1", 28.0),
    ("2025/26", "2025/26 Q2", 55.0),
    ("2025/26", "2025/26 Q3", 82.0),
)


def test_a_profile_row_wins_for_its_own_period_only() -> None:
    q1, q2, q3, q4 = quarters("2025/26 Q1", "2025/26 Q2", "2025/26 Q3", "2025/26 Q4")
    assert [target_in_force(COUNCIL_TAX, q)["target"] for q in (q1, q2, q3, q4)] == [
        28.0,
        55.0,
        82.0,
        96.0,
    ]


def test_a_year_to_date_kpi_has_the_annual_target_only_at_the_year_end() -> None:
    q2, q4 = quarters("2024/25 Q2", "2024/25 Q4")  # 2024/25 has no profile
    assert target_in_force(COUNCIL_TAX, q2)["target"] == 95.5  # a rate, judged all year
    assert target_in_force(COUNCIL_TAX, q2, year_to_date=True) is None
    assert target_in_force(COUNCIL_TAX, q4, year_to_date=True)["target"] == 95.5
    assert closes_year(q4) and not closes_year(q2)
    assert closes_year(parse_period("2025-03", "monthly"))


def test_a_target_changed_by_year_is_drawn_per_year() -> None:
    periods = quarters("2024/25 Q3", "2024/25 Q4", "2025/26 Q1", "2025/26 Q2")
    annual = COUNCIL_TAX[COUNCIL_TAX["period"].isna()]
    assert targets_by_period(annual, periods) == [95.5, 95.5, 96.0, 96.0]
    drawn = targets_by_period(COUNCIL_TAX, periods, year_to_date=True)
    assert drawn[1:] == [95.5, 28.0, 55.0] and math.isnan(drawn[0])


YEARS = ["2023/24", "2024/25", "2025/26"]
QUARTERS = [f"{year} Q{n}" for year in YEARS for n in range(1, 5)]


def _plainly(rows: list[tuple[str, str | None, float]], period: str, ytd: bool) -> float:
    """The module docstring's rule, written out from the rows as typed."""
    own = [t for _, p, t in rows if p == period]
    if own:
        return own[-1]
    if ytd and not period.endswith("Q4"):
        return NAN
    started = [(y, t) for y, p, t in rows if p is None and y <= period[:7]]
    return sorted(started, key=lambda row: row[0])[-1][1] if started else NAN


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(YEARS),
            st.none() | st.sampled_from(QUARTERS),
            st.integers(0, 100).map(float),
        ),
        max_size=8,
    ),
    ytd=st.booleans(),
)
def test_the_targets_drawn_follow_the_rule_for_every_period(rows, ytd) -> None:
    """Annual rows from a year on until a later one, a profile for its own quarter (the last
    row given wins), a year-to-date KPI's annual target only at Q4; NaN where none is in force."""
    drawn = targets_by_period(target_rows(*rows), quarters(*QUARTERS), year_to_date=ytd)
    expected = [_plainly(rows, q, ytd) for q in QUARTERS]
    assert [None if math.isnan(x) else x for x in drawn] == [
        None if math.isnan(x) else x for x in expected
    ]


def _judge(values: dict[str, float], quarter: str, year_to_date: bool = True) -> pd.Series:
    periods = quarters(*values)
    figures = [{"period": p, "value": x} for p, x in zip(periods, values.values(), strict=True)]
    return judged_alone(figures, parse_quarter(quarter), COUNCIL_TAX, year_to_date=year_to_date)


YEAR_TO_DATE = {
    "2024/25 Q1": 27.0,
    "2024/25 Q2": 54.5,
    "2024/25 Q3": 81.0,
    "2024/25 Q4": 95.6,
    "2025/26 Q1": 28.4,
    "2025/26 Q2": 54.0,
    "2025/26 Q3": 82.5,
}


@pytest.mark.parametrize(
    ("quarter", "target", "status", "year_ago", "direction_year"),
    [
        ("2025/26 Q1", 28.0, v.ON_TARGET, 27.0, v.IMPROVING),
        ("2025/26 Q2", 55.0, v.OFF_TARGET, 54.5, v.NO_CHANGE),
        ("2025/26 Q3", 82.0, v.ON_TARGET, 81.0, v.NO_CHANGE),
    ],
)
def test_a_year_to_date_kpi_is_judged_against_its_profile_and_last_year(
    quarter, target, status, year_ago, direction_year
) -> None:
    """Never against the year-end 96%, and never against the previous quarter (which it
    exceeds every quarter only because the year fills up)."""
    row = _judge({p: x for p, x in YEAR_TO_DATE.items() if p <= quarter}, quarter)
    assert (row["target"], row["status"]) == (target, status)
    assert (row["year_earlier_value"], row["direction_year"]) == (year_ago, direction_year)
    assert math.isnan(row["previous_value"])
    assert row["direction_previous"] == v.NOT_AVAILABLE


def test_the_same_figures_as_a_rate_compare_with_the_previous_quarter() -> None:
    row = _judge(YEAR_TO_DATE, "2025/26 Q3", year_to_date=False)
    assert (row["previous_value"], row["direction_previous"]) == (54.0, v.IMPROVING)


# --- targets.csv: the period column -------------------------------------------------------------


def test_profiles_load_and_bad_ones_are_reported(mini_data: Path) -> None:
    """ST01 is quarterly, CH02 annual: only ST01 can have a target per quarter."""
    (mini_data / "targets.csv").write_text(
        "kpi_id,year,period,target,tolerance,note\n"
        "ST01,2025/26,,1200,,\n"
        "ST01,2025/26,2025/26 Q1,300,,\n"
        "ST01,2025/26,2025-26-q1,310,,\n"  # line 4: the same quarter again
        "ST01,2025/26,2026/27 Q1,320,,\n"  # line 5: not in the row's year
        "CH02,2025/26,2025/26 Q1,80,,\n"  # line 6: not a year's period for an annual KPI
        "CH02,2024/25,2024/25,80,,\n",  # line 7: an annual KPI needs no period
        encoding="utf-8",
    )
    found = [str(p).removeprefix(f"{mini_data}/") for p in read_all(mini_data)[1]]
    assert found == [
        "targets.csv:4: kpi_id, year, period: duplicate of line 3 (ST01 2025/26 2025/26 Q1)",
        "targets.csv:5: period: 2026/27 Q1 is not in 2025/26",
        "targets.csv:6: period: '2025/26 Q1' is not a year such as 2024/25 (annual-financial KPI)",
        "targets.csv:7: period: annual-financial KPIs have one figure a year: leave period blank",
    ]
    (mini_data / "targets.csv").write_text(
        "kpi_id,year,period,target\nST01,2025/26,,1200\nST01,2025/26,2025/26 Q1,300\n",
        encoding="utf-8",
    )
    targets = load(mini_data).targets
    assert targets["period"].tolist() == [None, parse_period("2025/26 Q1", "quarterly")]


def test_a_chart_draws_each_periods_target(tmp_path: Path) -> None:
    """The numbers behind the chart carry the target of each period, and the alt text says the
    target changed; a single target still applies to every period."""
    from pmf_utils.pages import charts

    history = pd.DataFrame(
        {"period_label": ["2024/25", "2025/26", "2026/27"], "value": [55.0, 58.0, 61.0]}
    )
    args = ("percentage", 1)
    names = {"value": "Anytown"}
    stepped = charts.trend_chart("s", history, *args, [NAN, 57.0, 62.0], "", names, "X")
    assert stepped.data["target"].tolist()[1:] == [57.0, 62.0]
    assert "target 62.0% (it changed over the period)" in stepped.alt
    flat = charts.trend_chart("f", history, *args, 60.0, "", names, "X")
    assert flat.data["target"].tolist() == [60.0] * 3
    assert flat.alt.endswith("; target 60.0%.")
    none = charts.trend_chart("n", history, *args, None, "", names, "X")
    assert "target" not in none.data and "target" not in none.alt


def test_the_data_dictionary_page_names_a_profiles_periods(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile row read '2025/26: 300' beside the year's '2025/26: 1,200'."""
    from pmf_utils.pages.report import Report

    (mini_data / "targets.csv").write_text(
        "kpi_id,year,period,target\nST01,2025/26,,1200\nST01,2025/26,2025/26 Q1,300\n",
        encoding="utf-8",
    )
    kpis = (mini_data / "kpis.csv").read_text(encoding="utf-8").splitlines()
    kpis = [kpis[0] + ",year_to_date"] + [
        line + (",true" if line.startswith("ST01") else ",") for line in kpis[1:]
    ]
    (mini_data / "kpis.csv").write_text("\n".join(kpis) + "\n", encoding="utf-8")
    monkeypatch.chdir(mini_data)
    page = Report("2025/26 Q1", mini_data)._definition("ST01").replace("\\", "")  # escapes
    assert "| Targets | 2025/26: 1,200; 2025/26 Q1: 300 |" in page
    assert "| Frequency | quarterly, year to date |" in page
