"""Every judgement of every KPI for a quarter (``assess``), the exceptions list, ``pmf status``,
and the polarity reversal property, on a small data folder whose answers are worked out here."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf_utils.cli import main
from pmf_utils.data.dataset import load
from pmf_utils.data.periods import parse_period, parse_quarter
from pmf_utils.judge import assessment
from pmf_utils.judge import vocabulary as v

from .conftest import judged_alone

NAN = math.nan
Q2 = parse_quarter("2025/26 Q2")
REPO = Path(__file__).resolve().parent.parent
REQUIRED = (
    "kpi_id, ambition, priority, period, value, target, status, direction_previous, "
    "direction_year, benchmark_england, benchmark_region, benchmark_neighbours, spc_variation, "
    "spc_assurance, stale, exceptions"
).split(", ")

KPI_DEFAULTS = {
    "definition": "What is measured.",
    "methodology": "How it is counted.",
    "rate_per": "",
    "decimals": "1",
    "lag_months": "0",
    "source": "Test",
    "benchmark_source": "",
    "owner": "Test team",
    "change_threshold": "",
    "spc_rebase": "",
}
KPIS = [
    # id, unit, polarity, frequency, extra
    ("T01", "percentage", "higher", "quarterly", {}),
    ("T02", "count", "lower", "monthly", {"lag_months": "1", "decimals": "0"}),
    ("T03", "percentage", "higher", "annual-financial", {}),
    ("T04", "rate", "higher", "quarterly", {"rate_per": "1000"}),
    ("T05", "count", "none", "quarterly", {"decimals": "0"}),
    ("T06", "score", "higher", "monthly", {}),
]
TARGETS = [
    ("T01", "2025/26", "80", "5"),
    ("T03", "2025/26", "60", ""),
    ("T04", "2024/25", "48", "2"),
    ("T05", "2025/26", "100", ""),  # no polarity: the target cannot be judged
    ("T06", "2024/25", "6", "0.5"),
]
T06_VALUES = [5.0, 7.0] * 3 + [8.5, 8.0, 7.5, 7.0, 6.5, 6.0, 5.5]  # see test_spc


def _series(kpi_id: str, periods, values) -> list[dict]:
    return [
        {"kpi_id": kpi_id, "period": str(p), "value": str(x)}
        for p, x in zip(periods, values, strict=True)
    ]


OBSERVATIONS = [
    # T01: quarterly, falls from 78 to 74 in the latest quarter.
    *_series(
        "T01", [f"2024/25 Q{q}" for q in (1, 2, 3, 4)] + ["2025/26 Q1"], [72, 74.5, 76, 77, 78]
    ),
    {
        "kpi_id": "T01",
        "period": "2025/26 Q2",
        "value": "74",
        "england": "76",
        "region": "74.5",
        "neighbours": "70",
        "flag": "provisional",
    },
    # T02: monthly with one month's lag; August 2025 was due but has not arrived.
    *_series("T02", ["2025-04", "2025-05", "2025-06", "2025-07"], [10, 12, 11, 9]),
    # T04: the latest quarter is suppressed; a later quarter is not yet available.
    {"kpi_id": "T04", "period": "2024/25 Q4", "value": "49", "ci_lower": "44", "ci_upper": "54"},
    {
        "kpi_id": "T04",
        "period": "2025/26 Q1",
        "value": "50",
        "ci_lower": "45",
        "ci_upper": "55",
        "england": "54",
        "region": "56",
        "note": "new system",
    },
    {"kpi_id": "T04", "period": "2025/26 Q2", "value": "", "flag": "suppressed"},
    {"kpi_id": "T04", "period": "2025/26 Q3", "value": "70"},
    # T05: demand measure with no polarity.
    *_series("T05", ["2025/26 Q1", "2025/26 Q2"], [100, 120]),
    # T06: 13 months to September 2025 ending in a falling trend.
    *_series("T06", pd.period_range("2024-09", periods=13, freq="M"), T06_VALUES),
]
COMPARATORS = [("T04", "2025/26 Q1", area, x) for area, x in (("A", 60), ("B", 40), ("C", 30))]


OBSERVATION_COLUMNS = (
    "kpi_id period value numerator denominator ci_lower ci_upper england region neighbours flag "
    "note"
).split()


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, restval="")
        writer.writeheader()
        writer.writerows(rows)


def _records(header: str, rows: list[tuple]) -> list[dict]:
    return [dict(zip(header.split(), row, strict=True)) for row in rows]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-priority council with the six KPIs above, written as the CSV files users edit."""
    folder = tmp_path_factory.mktemp("data")
    plan = [
        ("council", "Testshire Council"),
        ("plan_title", "Test Plan"),
        ("plan_years", "2025-29"),
        ("vision", "A test."),
        ("principle", "Testing"),
        ("illustrative", "true"),
    ]
    kpis = [
        KPI_DEFAULTS
        | {"kpi_id": k, "name": f"KPI {k}", "priority_id": "one"}
        | {"unit": unit, "polarity": polarity, "frequency": frequency}
        | extra
        for k, unit, polarity, frequency, extra in KPIS
    ]
    files = {
        "plan.csv": _records("field value", plan),
        "ambitions.csv": _records("ambition_id ambition", [("first", "First ambition")]),
        "priorities.csv": _records("priority_id ambition_id priority", [("one", "first", "P1")]),
        "kpis.csv": kpis,
        "targets.csv": _records("kpi_id year target tolerance", TARGETS),
        "comparators.csv": _records("kpi_id period area value", COMPARATORS),
    }
    for name, rows in files.items():
        _write(folder / name, list(rows[0]), rows)
    _write(folder / "observations.csv", OBSERVATION_COLUMNS, OBSERVATIONS)
    return folder


@pytest.fixture(scope="module")
def judged(data_dir: Path) -> pd.DataFrame:
    return assessment.assess(load(data_dir), Q2).set_index("kpi_id", drop=False)


def test_one_row_per_kpi_in_dictionary_order_with_the_required_columns(judged) -> None:
    assert judged["kpi_id"].tolist() == [k[0] for k in KPIS]
    assert set(REQUIRED) <= set(judged.columns)
    assert list(judged.columns) == list(assessment.COLUMNS)


def test_off_target_and_worsening(judged) -> None:
    row = judged.loc["T01"]
    # 74 is below 80 - 5: off target.
    assert (row["period"], row["value"], row["value_text"]) == ("2025/26 Q2", 74.0, "74.0%")
    assert (row["target"], row["target_text"], row["status"]) == (80.0, "80.0%", v.OFF_TARGET)
    # from 78: -4 is beyond 2% of 78 (1.56); from 74.5 a year ago: -0.5 is within 1.49.
    assert (row["previous_value"], row["direction_previous"]) == (78.0, v.WORSENING)
    assert (row["year_earlier_value"], row["direction_year"]) == (74.5, v.NO_CHANGE)
    # England 76: 2 apart, beyond 1.52; region 74.5: 0.5 apart, within 1.49; neighbours 70.
    assert row["benchmark_england"] == v.WORSE
    assert row["benchmark_region"] == v.SIMILAR
    assert row["benchmark_neighbours"] == v.BETTER
    # Six points: mean 75.25, moving range 2, limits 69.93 and 80.57 around the target of 80.
    assert (row["spc_points"], row["spc_trial"]) == (6, True)
    assert (row["spc_variation"], row["spc_assurance"]) == (v.COMMON_CAUSE, v.HIT_AND_MISS)
    assert row["flag"] == "provisional"
    assert not row["stale"]
    assert row["exceptions"] == "off target; worsening"


def test_stale_monitor_only(judged) -> None:
    row = judged.loc["T02"]
    # One month's lag: August 2025 was due by the end of September; July is the latest.
    assert (row["period"], row["expected_period"], row["stale"]) == ("2025-07", "2025-08", True)
    assert row["status"] == v.MONITOR_ONLY
    # 11 to 9 is a fall of 2 (band 0.22), an improvement when lower is better.
    assert row["direction_previous"] == v.IMPROVING
    assert row["direction_year"] == v.NOT_AVAILABLE  # no July 2024
    assert row["spc_variation"] == v.NOT_ENOUGH_DATA
    assert row["spc_assurance"] == v.NOT_APPLICABLE
    assert row["exceptions"] == "stale data"


def test_no_data(judged) -> None:
    row = judged.loc["T03"]
    assert (row["status"], row["period"], row["value_text"]) == (v.NO_DATA, "", "no figure")
    assert row["target"] == 60.0 and not row["stale"]
    assert row["direction_previous"] == row["benchmark_england"] == v.NOT_AVAILABLE
    assert row["spc_assurance"] == v.NOT_ENOUGH_DATA
    assert row["exceptions"] == "no data"


def test_suppressed_latest_confidence_intervals_and_quartile(judged) -> None:
    row = judged.loc["T04"]
    # Q2 is suppressed, so Q1's 50 is shown; Q3 (70) is after the quarter and ignored.
    assert (row["period"], row["value_text"]) == ("2025/26 Q1", "50.0 per 1,000")
    assert row["note"] == "new system; no figure yet for 2025/26 Q2 suppressed"
    assert not row["stale"]
    assert row["status"] == v.ON_TARGET  # the 2024/25 target of 48 is still in force
    # intervals 45-55 and 44-54 overlap
    assert row["direction_previous"] == v.NO_CHANGE
    # England's 54 is inside 45-55, the region's 56 is not.
    assert (row["benchmark_england"], row["benchmark_region"]) == (v.SIMILAR, v.WORSE)
    assert row["benchmark_neighbours"] == v.NOT_AVAILABLE
    # 60 is better; 50 ranks 2nd of 4 areas: quartile ceil(4 * 2 / 4) = 2.
    assert row["quartile"] == 2
    assert row["exceptions"] == ""


def test_no_polarity(judged) -> None:
    row = judged.loc["T05"]
    assert row["status"] == v.MONITOR_ONLY
    assert row["direction_previous"] == v.INCREASING
    assert pd.isna(row["quartile"])
    assert row["exceptions"] == ""


def test_special_cause_concern_and_exactly_at_tolerance(judged) -> None:
    row = judged.loc["T06"]
    # 5.5 is exactly at target 6 - tolerance 0.5.
    assert row["status"] == v.WITHIN_TOLERANCE
    # 6.0 to 5.5 is beyond 2% of 6; a year ago (September 2024) it was 5.0.
    assert (row["direction_previous"], row["direction_year"]) == (v.WORSENING, v.IMPROVING)
    assert (row["spc_variation"], row["spc_assurance"]) == (v.CONCERN, v.HIT_AND_MISS)
    assert row["exceptions"] == "worsening; special cause concern"


def test_exceptions_keeps_the_escalated_rows(judged) -> None:
    assert assessment.exceptions(judged)["kpi_id"].tolist() == ["T01", "T02", "T03", "T06"]


def test_an_earlier_quarter_sees_only_the_figures_available_then(data_dir) -> None:
    earlier = assessment.assess(load(data_dir), parse_quarter("2025/26 Q1"))
    row = earlier.set_index("kpi_id").loc["T01"]
    assert (row["period"], row["value"], row["status"]) == ("2025/26 Q1", 78.0, v.WITHIN_TOLERANCE)


def test_pmf_status_csv_json_and_table(data_dir, capsys) -> None:
    args = ["status", "--data", str(data_dir), "--quarter", "2025/26 Q2"]
    assert main([*args, "--format", "csv"]) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    assert table["kpi_id"].tolist() == [k[0] for k in KPIS]
    assert table.set_index("kpi_id").loc["T01", "exceptions"] == "off target; worsening"

    assert main([*args, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["kpi_id"] for r in records] == [k[0] for k in KPIS]
    assert records[2]["value"] is None and records[3]["quartile"] == 2

    assert main(args) == 0
    text = capsys.readouterr().out
    assert "Testshire Council: Test Plan: KPI status as at 2025/26 Q2" in text
    assert "ILLUSTRATIVE" in text
    assert "✖ Off target" in text and "L Special cause concern" in text
    assert "T01: off target; worsening" in text


# --- the shipped illustrative data ------------------------------------------------------------


# Some of the deliberate cases of scripts/illustrative/deliberate.csv, as `pmf status` shows
# them (tests/test_illustrative_data.py checks the whole file against `assess`).
WORSE_ON_BOTH = "CFB03 CFB04 LAH05 HFA03 HFA04 QEA01 QEA03 SEW03 EES01 EES05"
WORSE_ON_ONE = "HFA02 SBG03 CGF03 CCH02 VT03"
SHIPPED_EXCEPTIONS = {
    "off target": "CFB03 LAH01 LAH05 HFA04 SJA02 QEA01 SEW03 EES01 EES02 EES05",
    "worsening": f"{WORSE_ON_BOTH} {WORSE_ON_ONE}",
    "special cause concern": "HFA04 HFA03 QEA01 EES05 HFA02 SJA03 SEW03",
    "stale data": "REC03",
    "no data": "REC01",
}
WITHIN_OVERLAPPING_INTERVALS = ("LAH01", "LAH03")  # they rise, but not significantly
SHIPPED_IMPROVEMENT = "EES03 ASC01 CGF03 CCH02 VT01"


def test_pmf_status_on_the_shipped_data(capsys) -> None:
    shipped = REPO / "data"
    if not (shipped / "kpis.csv").is_file():
        pytest.skip("the illustrative data has not been generated yet")
    args = ["status", "--data", str(shipped), "--quarter", "2025/26 Q2", "--format", "csv"]
    assert main(args) == 0
    table = pd.read_csv(io.StringIO(capsys.readouterr().out), keep_default_na=False)
    kpis = pd.read_csv(shipped / "kpis.csv", keep_default_na=False)
    assert table["kpi_id"].tolist() == kpis["kpi_id"].tolist()
    table = table.set_index("kpi_id")
    reasons = table["exceptions"].str.split("; ")
    for reason, ids in SHIPPED_EXCEPTIONS.items():
        missing = [k for k in ids.split() if reason not in reasons[k]]
        assert not missing, f"deliberately {reason} but not escalated as such: {missing}"
    for reason in (v.OFF_TARGET, v.WORSENING):
        found = {k for k, r in reasons.items() if reason in r}
        assert found == set(SHIPPED_EXCEPTIONS[reason].split()), reason
    assert set(table.loc[list(WITHIN_OVERLAPPING_INTERVALS), "direction_year"]) == {v.NO_CHANGE}
    assert set(table.loc[SHIPPED_IMPROVEMENT.split(), "spc_variation"]) == {v.IMPROVEMENT}


# --- polarity reversal ------------------------------------------------------------------------

FLIP = {"higher": "lower", "lower": "higher"}
SWAP = {
    v.IMPROVING: v.WORSENING,
    v.WORSENING: v.IMPROVING,
    v.BETTER: v.WORSE,
    v.WORSE: v.BETTER,
    v.IMPROVEMENT: v.CONCERN,
    v.CONCERN: v.IMPROVEMENT,
    v.PASSING: v.FAILING,
    v.FAILING: v.PASSING,
}
SWAPPED = [
    "direction_previous",
    "direction_year",
    "benchmark_england",
    "benchmark_region",
    "benchmark_neighbours",
    "spc_variation",
    "spc_assurance",
]
JUDGED = [*SWAPPED, "status", "quartile", "exceptions"]
POLARITY_FREE = ["period", "stale", "expected_period", "spc_points", "spc_trial", "flag", "note"]
NUMBERS = [
    "value",
    "target",
    "previous_value",
    "year_earlier_value",
    *assessment.BENCHMARKS,
]

maybe = st.one_of(st.integers(-6, 6).map(float), st.just(NAN))


@st.composite
def kpi_inputs(draw) -> dict:
    """One quarterly KPI: up to 12 quarters to 2025/26 Q2 with gaps, intervals, benchmarks,
    comparators and maybe a target, on a coarse grid so that ties and edges are common."""
    periods = pd.period_range(end=Q2, periods=draw(st.integers(0, 12)), freq="Q-MAR")
    values = [draw(maybe) for _ in periods]
    widths = [draw(st.one_of(st.just(NAN), st.integers(0, 3).map(float))) for _ in periods]
    observations = pd.DataFrame(
        {
            "period": list(periods),
            "period_end": [p.end_time for p in periods],
            "value": values,
            "ci_lower": [x - w for x, w in zip(values, widths, strict=True)],
            "ci_upper": [x + w for x, w in zip(values, widths, strict=True)],
            **{name: [draw(maybe) for _ in periods] for name in assessment.BENCHMARKS},
            "flag": "",
            "note": "",
        }
    )
    comparators = pd.DataFrame(
        [(p, x) for p in periods for x in draw(st.lists(maybe, max_size=5))],
        columns=["period", "value"],
    )
    target = draw(st.one_of(st.none(), st.integers(-6, 6).map(float)))
    targets = pd.DataFrame(
        {
            "starts": [Q2.asfreq("Y-MAR")] * (target is not None),
            "target": [target] * (target is not None),
            "tolerance": [draw(st.sampled_from([NAN, 0.0, 1.0, 2.0]))] * (target is not None),
        }
    )
    kpi = pd.Series(
        {
            "kpi_id": "P01",
            "unit": "score",
            "decimals": 1,
            "rate_per": NAN,
            "polarity": draw(st.sampled_from(["higher", "lower"])),
            "frequency": "quarterly",
            "lag_months": draw(st.integers(0, 4)),
            "change_threshold": draw(st.sampled_from([NAN, 0.0, 1.0])),
            "spc_rebase": (),
        }
    )
    return {
        "kpi": kpi,
        "observations": observations,
        "targets": targets,
        "comparators": comparators,
    }


def _reversed(kpi: pd.Series) -> pd.Series:
    kpi = kpi.copy()
    kpi["polarity"] = FLIP[kpi["polarity"]]
    return kpi


def _reflect(inputs: dict) -> dict:
    """Every figure v becomes -v (an interval [l, u] becomes [-u, -l]) and polarity reverses."""
    obs = inputs["observations"].copy()
    obs["ci_lower"], obs["ci_upper"] = -inputs["observations"]["ci_upper"], -obs["ci_lower"]
    for name in ("value", *assessment.BENCHMARKS):
        obs[name] = -obs[name]
    return {
        "kpi": _reversed(inputs["kpi"]),
        "observations": obs,
        "targets": inputs["targets"].assign(target=-inputs["targets"]["target"]),
        "comparators": inputs["comparators"].assign(value=-inputs["comparators"]["value"]),
    }


def _judge(inputs: dict) -> pd.Series:
    return pd.Series(assessment.judge_kpi(quarter=Q2, **inputs))


@given(kpi_inputs())
def test_reversing_polarity_reverses_exactly_the_polarity_judgements(inputs: dict) -> None:
    """Reversing a KPI's polarity swaps improving/worsening, better/worse, special cause
    improvement/concern and consistently passing/failing and leaves every judgement that does
    not depend on polarity alone. Reversing it *and* reflecting every figure about zero (values,
    intervals, benchmarks, comparators, target) describes the same performance, so every
    judgement, status and quartile included, is unchanged and only the figures change sign.

    (Status and quartile are not simply swapped by reversing polarity alone: a value exactly at
    target is on target either way, so they are checked through the reflection.)"""
    original = _judge(inputs)
    reversed_ = _judge({**inputs, "kpi": _reversed(inputs["kpi"])})
    for column in SWAPPED:
        assert reversed_[column] == SWAP.get(original[column], original[column]), column
    pd.testing.assert_series_equal(reversed_[POLARITY_FREE], original[POLARITY_FREE])
    pd.testing.assert_series_equal(reversed_[NUMBERS], original[NUMBERS])

    reflected = _judge(_reflect(inputs))
    pd.testing.assert_series_equal(
        reflected[JUDGED + POLARITY_FREE], original[JUDGED + POLARITY_FREE]
    )
    pd.testing.assert_series_equal(
        reflected[NUMBERS].astype(float), -original[NUMBERS].astype(float)
    )


def test_failing_assurance_behind_an_improvement_is_not_escalated() -> None:
    """Bug found on the shipped data: ASC01, CGF01 and SEW01 were on target and improving
    but escalated as 'consistently failing' by limits drawn over their earlier, worse level."""
    row = {
        "status": v.ON_TARGET,
        "direction_previous": v.IMPROVING,
        "direction_year": v.IMPROVING,
        "spc_variation": v.IMPROVEMENT,
        "spc_assurance": v.FAILING,
        "stale": False,
    }
    assert assessment.exception_reasons(row) == ""
    assert assessment.exception_reasons({**row, "spc_variation": v.COMMON_CAUSE}) == v.FAILING


def test_an_older_figure_is_judged_against_the_target_of_its_own_year() -> None:
    """Seen in the issue: at 2025/26 Q2 an annual KPI's newest figure is 2024/25's, 58, which
    met 2024/25's target of 57; 2025/26's target of 62 is for next year's figure."""
    years = [parse_period(year, "annual-financial") for year in ("2023/24", "2024/25")]
    figures = [{"period": p, "value": x} for p, x in zip(years, (55.0, 58.0), strict=True)]
    targets = pd.DataFrame(
        {"starts": years[1:] + [years[1] + 1], "target": [57.0, 62.0], "tolerance": [NAN, NAN]}
    )
    annual = {"frequency": "annual-financial", "lag_months": 6}
    row = judged_alone(figures, Q2, targets, **annual)
    assert (row["period"], row["target"], row["status"]) == ("2024/25", 57.0, v.ON_TARGET)
    earlier = judged_alone(figures[:1], Q2, targets, **annual)
    assert earlier["period"] == "2023/24" and math.isnan(earlier["target"])
    assert earlier["status"] == v.MONITOR_ONLY  # no target was set for 2023/24
