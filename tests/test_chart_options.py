"""Analysts shape a KPI's charts and its comparison period from the data dictionary, and mark
events on its charts from ``annotations.csv``: each option is checked, and each changes what is
drawn (the numbers written beside the figure, the figure itself) or what is judged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from pmf_utils.cli import main
from pmf_utils.data.dataset import load
from pmf_utils.data.periods import parse_quarter
from pmf_utils.data.validation import read_all
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.assessment import assess
from pmf_utils.pages import charts
from pmf_utils.pages.svg import document

from .conftest import MINI_FILES, write_folder

QUARTER = "2025/26 Q2"
QUARTERS = [f"{2022 + i // 4}/{23 + i // 4} Q{i % 4 + 1}" for i in range(14)]
"""2022/23 Q1 to 2025/26 Q2: three and a half years of a quarterly KPI."""
SEASON = {1: 300, 2: 400, 3: 310, 4: 290}
"""Fly-tips peak every summer (Q2) and fall by 10 a quarter-year each year."""


def _observations(drop: tuple[str, ...] = ()) -> str:
    rows = [r for r in MINI_FILES["observations.csv"].splitlines() if not r.startswith("ST01")]
    for i, period in enumerate(QUARTERS):
        if period in drop:
            continue
        value = SEASON[i % 4 + 1] - 10 * (i // 4)
        rows.append(f"ST01,{period},{value},,,,,{value - 40},{value - 20},{value - 30},,")
    return "\n".join(rows) + "\n"


def _kpis(options: dict[str, dict[str, str]]) -> str:
    """The mini dictionary with the chart option columns, ST01 made lower-is-better."""
    columns = ["seasonal", "chart_years", "chart_from_zero", "chart_benchmarks"]
    reader = csv.reader(io.StringIO(MINI_FILES["kpis.csv"]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = next(reader)
    writer.writerow(header + columns)
    for row in reader:
        if row[0] == "ST01":
            row[header.index("polarity")] = "lower"
        writer.writerow(row + [options.get(row[0], {}).get(c, "") for c in columns])
    return out.getvalue()


def make_data(
    folder: Path,
    options: dict[str, dict[str, str]] | None = None,
    annotations: str | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    files = {**MINI_FILES, "kpis.csv": _kpis(options or {})}
    files["observations.csv"] = _observations(drop)
    files["targets.csv"] = "kpi_id,year,target\nST01,2024/25,350\nST01,2025/26,320\n"
    if annotations is not None:
        files["annotations.csv"] = "kpi_id,period,label\n" + annotations
    return write_folder(folder / "data", files)


def problems(folder: Path) -> list[str]:
    return [str(p).removeprefix(f"{folder}/") for p in read_all(folder)[1]]


class Page:
    """A KPI's sections as the KPI page template calls them, with what each showed and every
    chart drawn (the real chart functions, watched)."""

    def __init__(self, data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from pmf_utils.pages import kpi_page
        from pmf_utils.pages.report import Report

        monkeypatch.chdir(data.parent)
        self.shown: list[str] = []
        self.charts: dict[str, charts.Chart] = {}
        monkeypatch.setattr(kpi_page, "show", lambda markdown, **_: self.shown.append(markdown))
        for name in ("trend_chart", "spc_chart", "benchmark_chart"):
            monkeypatch.setattr(charts, name, self._watch(getattr(charts, name)))
        self.report = Report(QUARTER, data)
        self.figures = data.parent / "figures"

    def _watch(self, draw):
        def drawn(name: str, *args, **kwargs) -> charts.Chart:
            self.charts[name] = draw(name, *args, **kwargs)
            return self.charts[name]

        return drawn

    def numbers(self, name: str) -> pd.DataFrame:
        """The CSV written beside the figure."""
        return pd.read_csv(self.figures / f"{name}.csv", dtype=str, keep_default_na=False)

    def text(self) -> str:
        return "\n\n".join(self.shown).replace("\\", "")


# ---- validation ---------------------------------------------------------------------------


def test_annotation_problems_are_located_all_at_once(tmp_path: Path, capsys) -> None:
    long = "A label far too long to sit under a chart as a short note and going on"
    data = make_data(
        tmp_path,
        annotations=(
            "ST01,2024/25 Q3,New enforcement team\n"
            "XX99,2024/25 Q3,Unknown KPI\n"
            "ST01,2024-10,Written as a month\n"
            f"ST01,2024/25 Q4,{long}\n"
            "ST01,2024-25-q3,New enforcement team\n"
            "ST01,2024/25 Q3,A second event in the same quarter\n"
            "ST01,2025/26 Q1,\n"
        ),
    )
    assert sorted(problems(data)) == sorted(
        [
            "annotations.csv:3: kpi_id: 'XX99' is not in kpis.csv",
            "annotations.csv:4: period: '2024-10' is not a quarter such as 2025/26 Q2 or "
            "2025-26-q2 (quarterly KPI)",
            f"annotations.csv:5: label: is {len(long)} characters long; keep it to 60 or fewer",
            "annotations.csv:6: kpi_id, period, label: duplicate of line 2 "
            "(ST01 2024/25 Q3 New enforcement team)",
            "annotations.csv:8: label: is blank",
        ]
    )
    assert main(["validate", "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert f"{data / 'annotations.csv'}:5: label: is {len(long)} characters long" in err


def test_chart_options_are_checked(tmp_path: Path) -> None:
    data = make_data(
        tmp_path,
        {
            "CH01": {"chart_years": "0", "chart_benchmarks": "england;none", "seasonal": "yes"},
            "CH02": {"chart_years": "two", "chart_benchmarks": "scotland"},
            "ST01": {"chart_from_zero": "1"},
        },
    )
    assert sorted(problems(data)) == sorted(
        [
            "kpis.csv:2: chart_years: show at least 1 year",
            "kpis.csv:2: chart_benchmarks: 'none' cannot be combined with a benchmark",
            "kpis.csv:2: seasonal: 'yes' is not one of: true, false",
            "kpis.csv:3: chart_years: 'two' is not a whole number of 0 or more",
            "kpis.csv:3: chart_benchmarks: 'scotland' is not one of: england, region, "
            "neighbours, none",
            "kpis.csv:4: chart_from_zero: '1' is not one of: true, false",
        ]
    )


def test_a_new_project_has_the_annotations_header(tmp_path: Path) -> None:
    from pmf_utils.scaffold import init_project

    init_project(tmp_path)
    assert (tmp_path / "data" / "annotations.csv").read_text("utf-8") == "kpi_id,period,label\n"


def test_without_options_or_annotations_charts_are_as_before(tmp_path: Path, monkeypatch) -> None:
    page = Page(make_data(tmp_path), monkeypatch)
    page.report.trend("ST01")
    numbers = page.numbers("ST01-history")
    assert numbers["period"].tolist() == QUARTERS
    assert list(numbers.columns) == [
        "period",
        "Anytown Borough Council",
        "England",
        "North West",
        "Nearest neighbours",
        "target",
    ]
    assert "Events marked" not in page.text()
    assert page.report.data.annotations.empty


# ---- each option's effect -----------------------------------------------------------------


def test_chart_years_shows_only_the_latest_years(tmp_path: Path, monkeypatch) -> None:
    page = Page(make_data(tmp_path, {"ST01": {"chart_years": "2"}}), monkeypatch)
    page.report.trend("ST01")
    page.report.spc("ST01")
    assert page.numbers("ST01-history")["period"].tolist() == QUARTERS[-8:]
    # The SPC chart keeps every point its limits come from.
    assert page.numbers("ST01-spc")["period"].tolist() == QUARTERS


def test_chart_from_zero_takes_both_line_charts_down_to_zero(tmp_path, monkeypatch) -> None:
    page = Page(make_data(tmp_path), monkeypatch)
    page.report.trend("ST01")
    page.report.spc("ST01")
    assert page.charts["ST01-history"].plot.ylim[0] > 200
    zero = Page(make_data(tmp_path / "zero", {"ST01": {"chart_from_zero": "true"}}), monkeypatch)
    zero.report.trend("ST01")
    zero.report.spc("ST01")
    for name in ("ST01-history", "ST01-spc"):
        assert zero.charts[name].plot.ylim[0] == 0


@pytest.mark.parametrize(
    ("drawn", "series"),
    [("england", ["England"]), ("region; neighbours", ["North West", "Nearest neighbours"])],
)
def test_chart_benchmarks_draws_only_those_named(
    tmp_path: Path, monkeypatch, drawn: str, series: list[str]
) -> None:
    page = Page(make_data(tmp_path, {"ST01": {"chart_benchmarks": drawn}}), monkeypatch)
    page.report.trend("ST01")
    page.report.benchmarks("ST01")
    page.report.judgements("ST01")
    council = "Anytown Borough Council"
    assert list(page.numbers("ST01-history").columns) == ["period", council, *series, "target"]
    assert page.numbers("ST01-benchmark")["area"].tolist() == [council, *series]
    # The judgements still compare with every benchmark, in words.
    assert "| Compared with England | ⊖ Worse |" in page.text()
    assert "| Compared with North West | ⊖ Worse |" in page.text()


def test_chart_benchmarks_none_draws_the_council_alone(tmp_path: Path, monkeypatch) -> None:
    page = Page(make_data(tmp_path, {"ST01": {"chart_benchmarks": "none"}}), monkeypatch)
    page.report.trend("ST01")
    page.report.benchmarks("ST01")
    assert list(page.numbers("ST01-history").columns) == [
        "period",
        "Anytown Borough Council",
        "target",
    ]
    assert "ST01-benchmark" not in page.charts
    assert "This KPI's charts draw no comparison with other areas." in page.text()


def test_a_seasonal_kpi_is_compared_with_the_same_quarter_a_year_earlier(tmp_path: Path) -> None:
    """Every summer's peak would read as 'worsening' against the spring before it."""
    plain = assess(load(make_data(tmp_path)), parse_quarter(QUARTER)).set_index("kpi_id")
    assert plain.loc["ST01", "direction_previous"] == v.WORSENING
    assert "worsening" in plain.loc["ST01", "exceptions"]
    seasonal = load(make_data(tmp_path / "s", {"ST01": {"seasonal": "true"}}))
    judged = assess(seasonal, parse_quarter(QUARTER)).set_index("kpi_id")
    row = judged.loc["ST01"]
    assert (row["period"], row["value"], row["year_earlier_value"]) == (QUARTER, 370, 380)
    assert row["direction_previous"] == v.NOT_AVAILABLE
    assert row["direction_year"] == v.IMPROVING
    assert "worsening" not in row["exceptions"]


def test_the_kpi_page_says_why_a_seasonal_kpi_is_not_compared_with_the_quarter_before(
    tmp_path: Path, monkeypatch
) -> None:
    page = Page(make_data(tmp_path, {"ST01": {"seasonal": "true"}}), monkeypatch)
    page.report.judgements("ST01")
    assert (
        "| Compared with the previous period | Not compared: the figures are seasonal; "
        "see a year earlier |" in page.text()
    )
    assert "| Compared with a year earlier | ↓ Improving |" in page.text()  # fewer fly-tips


# ---- events and interventions ------------------------------------------------------------

EVENTS = (
    "ST01,2022/23 Q2,Street cleansing contract retendered\n"
    "ST01,2023/24 Q3,New enforcement team\n"
    "ST01,2024/25 Q1,<script>alert(1)</script> *fines* $doubled$\n"
    "ST01,2025/26 Q3,After the quarter: not yet shown\n"
    "CH01,2025-05,Another KPI's event\n"
)


def test_events_are_marked_on_both_charts_and_listed_beneath(tmp_path, monkeypatch) -> None:
    data = make_data(tmp_path, {"ST01": {"chart_years": "2"}}, EVENTS, drop=("2024/25 Q1",))
    page = Page(data, monkeypatch)
    page.report.trend("ST01")
    page.report.spc("ST01")
    trend, spc = page.charts["ST01-history"], page.charts["ST01-spc"]
    # Numbered in period order over the KPI's events to the quarter, whatever a chart shows:
    # the trend chart's two years start after event 1; the SPC chart has every point.
    assert [(e.number, e.period) for e in trend.events] == [(2, "2023/24 Q3"), (3, "2024/25 Q1")]
    assert [e.number for e in spc.events] == [1, 2, 3]
    # The trend chart keeps a period without a figure (a gap); the SPC chart has no point
    # there, so the event is marked half way between the points either side.
    assert [e.x for e in trend.events] == [0, 2]
    assert spc.events[-1].x == QUARTERS.index("2024/25 Q1") - 0.5
    events = page.numbers("ST01-history").set_index("period")["event"]
    assert events["2023/24 Q3"] == "2: 2023/24 Q3, New enforcement team"
    assert events["2024/25 Q1"].startswith("3: 2024/25 Q1, <script>")
    assert "Events marked: 2: 2023/24 Q3, New enforcement team; 3: 2024/25 Q1" in trend.alt
    assert "1: 2022/23 Q2, Street cleansing contract retendered" in spc.alt
    # Marked on the chart by number, each at its period.
    for chart in (trend, spc):
        marks = {text: x for x, text in chart.plot.events}
        assert marks == {str(e.number): e.x for e in chart.events}
        assert sorted(chart.plot.texts("event")) == sorted(marks)
    shown = "\n\n".join(page.shown)
    listed = (
        "Events marked on the chart:\n\n"
        "2. 2023/24 Q3\\: New enforcement team\n"
        "3. 2024/25 Q1\\: \\<script\\>alert\\(1\\)\\</script\\> \\*fines\\* \\$doubled\\$"
    )
    assert listed in shown
    assert "1. 2022/23 Q2\\: Street cleansing" in shown  # under the SPC chart
    assert "After the quarter" not in shown and "Another KPI" not in shown


def test_a_label_is_never_read_as_markup_on_a_chart(tmp_path, monkeypatch) -> None:
    """Names on a chart come from the data: '$...$' is money, never mathematics."""
    data = make_data(tmp_path, annotations=EVENTS)
    csv_text = (data / "plan.csv").read_text("utf-8")
    (data / "plan.csv").write_text(csv_text.replace("Anytown Borough Council", "$Anytown$"))
    page = Page(data, monkeypatch)
    page.report.trend("ST01")
    page.report.spc("ST01")
    trend = page.charts["ST01-history"]
    assert "$Anytown$" in trend.plot.texts("end")
    assert ">$Anytown$</text>" in document(trend.plot)


def test_the_kpi_page_draws_each_years_target_and_leaves_gaps(tmp_path, monkeypatch) -> None:
    """A target that changed by year is drawn as it was (a step); a quarter without a figure
    is a gap in the line, not a quarter squeezed out of the axis."""
    page = Page(make_data(tmp_path, drop=("2023/24 Q2",)), monkeypatch)
    page.report.trend("ST01")
    numbers = page.numbers("ST01-history").set_index("period")
    assert numbers.index.tolist() == QUARTERS
    assert numbers.loc["2023/24 Q2", "Anytown Borough Council"] == ""
    assert numbers["target"].tolist() == [""] * 8 + ["350.0"] * 4 + ["320.0"] * 2
    lines = page.charts["ST01-history"].plot.lines
    (step,) = [line for line in lines if line.step]
    assert step.ys[-6:] == [350.0] * 4 + [320.0] * 2
    council = lines[0].ys
    assert pd.isna(council[QUARTERS.index("2023/24 Q2")]) and len(council) == len(QUARTERS)
