"""Each kind of data problem is reported as file:line: column: message, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pmf_utils.cli import main
from pmf_utils.data.dataset import load
from pmf_utils.data.validation import read_all

from .conftest import MINI_FILES, SHIPPED_DATA


def problems_in(folder: Path) -> list[str]:
    return [str(p) for p in read_all(folder)[1]]


def replace(folder: Path, name: str, old: str, new: str) -> Path:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_mini_data_is_clean(mini_data: Path) -> None:
    assert problems_in(mini_data) == []
    data = load(mini_data)
    assert data.plan.council == "Anytown Borough Council"
    assert data.plan.principles == ("Prevention first", "Fairness")
    assert list(data.kpis.index) == ["CH01", "CH02", "ST01"]
    assert data.kpis.loc["ST01", "ambition"] == "Place"


def test_shipped_data_is_clean() -> None:
    assert problems_in(SHIPPED_DATA) == []


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "kpis.csv",
            ",owner,",
            ",owners,",
            [
                "kpis.csv:1: owners: unknown column (expected: kpi_id, name, priority_id, "
                "definition, methodology, unit, rate_per, decimals, polarity, frequency, "
                "lag_months, source, benchmark_source, owner, change_threshold, spc_rebase, "
                "year_to_date, ci_level, spc_method, spc_screen_outliers, spc_fix_after_n_points, "
                "spc_shift_length, spc_trend_length, spc_min_points, spc_trial_below, "
                "spc_two_in_three, seasonal, chart_years, chart_from_zero, chart_benchmarks)",
                "kpis.csv:1: owner: missing column",
            ],
        ),
        (
            "priorities.csv",
            "streets,place,Clean streets",
            "children,place,Clean streets",
            [
                "priorities.csv:3: priority_id: duplicate of line 2 (children)",
                "kpis.csv:4: priority_id: 'streets' is not in priorities.csv",
            ],
        ),
        (
            "observations.csv",
            "ST01,2025/26 Q1",
            "XX99,2025/26 Q1",
            ["observations.csv:7: kpi_id: 'XX99' is not in kpis.csv"],
        ),
        (
            "kpis.csv",
            "fly-tips reported,streets,",
            "fly-tips reported,alleys,",
            ["kpis.csv:4: priority_id: 'alleys' is not in priorities.csv"],
        ),
        (
            "priorities.csv",
            "streets,place,",
            "streets,planet,",
            ["priorities.csv:3: ambition_id: 'planet' is not in ambitions.csv"],
        ),
        (
            "observations.csv",
            "CH01,2025-05,",
            "CH01,May 2025,",
            ["observations.csv:3: period: 'May 2025' is not a month such as 2025-04 (monthly KPI)"],
        ),
        (
            "observations.csv",
            "ST01,2025/26 Q1,310",
            "ST01,2025/26 Q1,3l0",
            ["observations.csv:7: value: '3l0' is not a number"],
        ),
        (
            "observations.csv",
            "CH01,2025-04,55.0",
            "CH01,2025-04,155.0",
            ["observations.csv:2: value: 155 is outside 0-100 for a percentage"],
        ),
        (
            "observations.csv",
            "ST01,2025/26 Q1,310",
            "ST01,2025/26 Q1,-4",
            ["observations.csv:7: value: -4 is negative, which a count cannot be"],
        ),
        (
            "kpis.csv",
            "percentage,,1,higher,",
            "percentage,,1,up,",
            ["kpis.csv:2: polarity: 'up' is not one of: higher, lower, none"],
        ),
        (
            "kpis.csv",
            ",quarterly,0,",
            ",termly,0,",
            [
                "kpis.csv:4: frequency: 'termly' is not one of: monthly, quarterly, "
                "annual-financial, annual-academic, annual-calendar"
            ],
        ),
        (
            "targets.csv",
            "CH02,2024/25,80,,",
            "CH02,2024/25,,3,",
            ["targets.csv:4: tolerance: a tolerance needs a target"],
        ),
        (
            "observations.csv",
            "ST01,2025/26 Q1,310",
            "ST01,2025-26-q1,310,,,,,,,,,\nST01,2025/26 Q1,311",
            ["observations.csv:8: kpi_id, period: duplicate of line 7 (ST01 2025/26 Q1)"],
        ),
        (
            "observations.csv",
            "ST01,2025/26 Q1,310,,,,,,,,,",
            "ST01,2025/26 Q1,310,,,,,,,,,,",
            ["observations.csv:7: -: row has 13 cells but the header has 12"],
        ),
    ],
)
def test_each_problem_is_reported_where_it_is(
    mini_data: Path, name: str, old: str, new: str, expected: list[str]
) -> None:
    replace(mini_data, name, old, new)
    found = [p.removeprefix(f"{mini_data}/") for p in problems_in(mini_data)]
    assert sorted(found) == sorted(expected)


def test_suppressed_value_must_be_blank(mini_data: Path) -> None:
    replace(mini_data, "observations.csv", "CH01,2025-06,,", "CH01,2025-06,0,")
    assert problems_in(mini_data) == [
        f"{mini_data}/observations.csv:4: value: a suppressed figure must leave value blank"
    ]


def test_mis_encoded_file(mini_data: Path) -> None:
    path = mini_data / "priorities.csv"
    path.write_bytes(path.read_bytes().replace(b"Clean streets", "Clean stréets".encode("cp1252")))
    assert problems_in(mini_data) == [
        f"{path}:3: -: not UTF-8 text (byte 0xe9); save the file as 'CSV UTF-8'"
    ]


def test_empty_file(mini_data: Path) -> None:
    (mini_data / "ambitions.csv").write_text("", encoding="utf-8")
    found = problems_in(mini_data)
    assert found[0] == (
        f"{mini_data}/ambitions.csv:1: -: the file is empty; it needs a header row: "
        "ambition_id,ambition"
    )


def test_missing_required_file(mini_data: Path) -> None:
    (mini_data / "kpis.csv").unlink()
    assert f"{mini_data}/kpis.csv:0: -: required file is missing" in problems_in(mini_data)


def test_every_problem_at_once_and_nothing_written(
    mini_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace(mini_data, "observations.csv", "CH01,2025-04,55.0", "CH01,2025-04,155.0")
    replace(mini_data, "kpis.csv", "percentage,,1,higher,", "percentage,,1,up,")
    replace(mini_data, "plan.csv", "vision,A borough where everyone thrives\n", "")
    before = {p: p.read_bytes() for p in mini_data.iterdir()}
    assert main(["validate", "--data", str(mini_data)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[:3] == [
        f"{mini_data}/plan.csv:1: field: the plan needs a 'vision' row",
        f"{mini_data}/kpis.csv:2: polarity: 'up' is not one of: higher, lower, none",
        f"{mini_data}/observations.csv:2: value: 155 is outside 0-100 for a percentage",
    ]
    assert err[3] == f"3 problem(s) in {mini_data}; nothing was changed."
    assert {p: p.read_bytes() for p in mini_data.iterdir()} == before


def test_clean_folder_prints_one_line_summary(
    mini_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "--data", str(mini_data)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert (
        "OK: Anytown Borough Council, Corporate Plan 2024-28: 2 ambitions, 2 priorities" in out[0]
    )
    assert "3 KPIs" in out[0] and "latest quarter with data 2025/26 Q1" in out[0]


def test_env_variable_points_at_another_council(
    mini_data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PMF_DATA", str(mini_data))
    assert main(["validate"]) == 0
    assert "Anytown" in capsys.readouterr().out


def test_mini_files_are_the_fixture() -> None:
    assert set(MINI_FILES) == {
        "plan.csv",
        "ambitions.csv",
        "priorities.csv",
        "kpis.csv",
        "targets.csv",
        "observations.csv",
    }


def test_empty_optional_tables_stay_comparable(mini_data: Path) -> None:
    """A council with no comparators file: filtering by period must still give rows, not
    a column selection (pandas treats an empty float mask as a list of labels)."""
    data = load(mini_data)
    period = data.observations["period"].iloc[0]
    same = data.comparators[data.comparators["period"] == period]
    assert list(same.columns) == list(data.comparators.columns)


# --- bad input that would change or lose output without a word ---------------------------


def test_a_year_written_two_ways_is_one_year(mini_data: Path) -> None:
    """Today the later row would silently win and change the KPI's status."""
    path = mini_data / "targets.csv"
    path.write_text(path.read_text("utf-8") + "CH01,2025-26,70,5,\n", "utf-8")
    assert problems_in(mini_data) == [f"{path}:5: kpi_id, year: duplicate of line 3 (CH01 2025/26)"]


def test_observations_with_a_header_and_no_rows(mini_data: Path) -> None:
    path = mini_data / "observations.csv"
    path.write_text(path.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    assert problems_in(mini_data) == [
        f"{path}:2: -: the file has a header but no rows; add at least one"
    ]
    assert main(["status", "--data", str(mini_data)]) == 2


@pytest.mark.parametrize(
    ("relative", "content", "message"),
    [
        (
            "2025-26-q1/kpi-ZZZ99.md",
            b"Words",
            "is for kpi 'ZZZ99', which is not in kpis.csv: it would never be published",
        ),
        (
            "2025-26-q1/priority-nowhere.md",
            b"Words",
            "is for priority 'nowhere', which is not in priorities.csv: it would never be "
            "published",
        ),
        (
            "2025-26-q1/kpi_CH01.md",
            b"Words",
            "belongs to nothing and would never be published: commentary files are "
            "overview.md, priority-<priority_id>.md or kpi-<kpi_id>.md",
        ),
        ("2025-26-Q1/overview.md", b"Words", None),
        ("2025-26-q1/kpi-CH01.md", "Line one\nCaf\u00e9".encode("cp1252"), None),
    ],
)
def test_commentary_files_are_checked_with_the_data(
    mini_data: Path,
    capsys: pytest.CaptureFixture[str],
    relative: str,
    content: bytes,
    message: str | None,
) -> None:
    path = mini_data / "narrative" / relative
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    expected = {
        "2025-26-Q1/overview.md": f"{path.parent}:1: -: rename the folder to 2025-26-q1",
        "2025-26-q1/kpi-CH01.md": f"{path}:2: -: not UTF-8 text (byte 0xe9); save it as UTF-8 text",
    }.get(relative, f"{path}:1: -: {message}")
    assert problems_in(mini_data) == [expected]
    assert main(["run", "--data", str(mini_data), "--no-render"]) == 2
    assert capsys.readouterr().err.splitlines()[0] == expected
    assert path.read_bytes() == content
