"""Charts carry their meaning in words and shapes, and their alt text is written from data."""

from __future__ import annotations

import math
import os
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmf_utils.pages import charts, svg


def history(values: list[float | None]) -> pd.DataFrame:
    labels = ["2024/25 Q3", "2024/25 Q4", "2025/26 Q1", "2025/26 Q2"][-len(values) :]
    return pd.DataFrame({"period_label": labels, "value": values})


def test_alt_text_says_what_the_line_does() -> None:
    alt = charts.describe_trend(
        history([61.0, 64.0, 66.5, 68.0]), "percentage", 0, 75.0, "Off target", "School readiness"
    )
    assert alt == (
        "Line chart of School readiness. Rose from 61% in 2024/25 Q3 to 68% in 2025/26 Q2 "
        "over 4 periods (lowest 61%, highest 68%); target 75%; off target."
    )


def test_alt_text_for_a_fall_a_single_point_and_no_data() -> None:
    fall = charts.describe_trend(history([120.0, 95.0]), "count", 0, None, "", "Fly-tips")
    assert fall.startswith("Line chart of Fly-tips. Fell from 120 in 2025/26 Q1 to 95")
    one = charts.describe_trend(history([7.5]), "days", 1, None, "Monitor only", "Sick days")
    assert one == "Line chart of Sick days. One figure so far: 7.5 in 2025/26 Q2; monitor only."
    empty = charts.describe_trend(history([None, None]), "count", 0, None, "", "Visits")
    assert empty == "Line chart of Visits: no figures are available yet."


def test_gaps_are_skipped_not_counted_as_zero() -> None:
    alt = charts.describe_trend(history([10.0, None, 14.0]), "count", 0, None, "", "Visits")
    assert "from 10 in 2024/25 Q4 to 14 in 2025/26 Q2 over 2 periods (lowest 10" in alt


def test_series_differ_in_shape_not_only_colour() -> None:
    styles = charts.SERIES_STYLE.values()
    assert len({s["marker"] for s in styles}) == len(styles)
    assert len({s["dash"] for s in styles}) == len(styles)
    specials = charts.SPECIAL_STYLE.values()
    assert len({s["marker"] for s in specials}) == len(specials)


def test_trend_chart_saves_svg_and_numbers(tmp_path: Path) -> None:
    frame = history([61.0, 64.0, None, 68.0]).assign(england=[66.0, 66.5, 67.0, 67.2])
    chart = charts.trend_chart(
        "CFB05-trend",
        frame,
        "percentage",
        1,
        70.0,
        "Off target",
        {"value": "Anytown", "england": "England"},
        "School readiness",
    )
    picture, csv = chart.save(tmp_path)
    assert picture.name == "CFB05-trend.svg"
    drawn = ElementTree.parse(picture).getroot()
    assert drawn.tag == "{http://www.w3.org/2000/svg}svg"
    numbers = pd.read_csv(csv)
    assert list(numbers.columns) == ["period", "Anytown", "England", "target"]
    assert numbers["Anytown"].isna().sum() == 1  # the gap stays a gap
    assert chart.alt.startswith("Line chart of School readiness. Rose from 61.0%")
    assert "target 70.0%" in chart.alt


HOSTILE = '<script>alert("x")</script> & Co ]]> $5 \\textbf{x}'


def test_names_from_the_data_are_printed_as_written_and_never_break_the_picture(
    tmp_path: Path,
) -> None:
    """A council, region or area name is data: an SVG that printed it raw would be broken
    (the chart vanishes from page and PDF) or carry markup."""
    frame = history([61.0, 64.0]).assign(region=[60.0, 62.0])
    trend = charts.trend_chart(
        "t", frame, "count", 0, None, "", {"value": HOSTILE, "region": "Région & «Nord»"}, "X"
    )
    areas = pd.DataFrame({"area": [HOSTILE, "England"], "value": [3.0, 4.0]})
    bars = charts.benchmark_chart("b", areas, "count", 0, "X")
    for chart in (trend, bars):
        drawn = ElementTree.parse(chart.save(tmp_path)[0]).getroot()
        words = [t.text for t in drawn.iter("{http://www.w3.org/2000/svg}text")]
        assert HOSTILE in words
        assert not [e for e in drawn.iter() if "script" in e.tag]
    assert "Région & «Nord»" in trend.plot.texts("end")


def test_a_chart_saved_again_unchanged_leaves_its_files_as_they_were(tmp_path: Path) -> None:
    """A notebook executed again for a sentence of commentary leaves its charts' files (and
    their times) alone; a chart whose inputs changed is written again."""

    def trend(values: list[float | None]) -> charts.Chart:
        frame = history(values)
        return charts.trend_chart(
            "ST01-trend", frame, "count", 0, 100.0, "", {"value": "Anytown"}, "Fly-tips"
        )

    picture, csv = trend([120.0, 95.0]).save(tmp_path)
    first = picture.read_bytes()
    os.utime(picture, ns=(1, 1))
    os.utime(csv, ns=(1, 1))
    trend([120.0, 95.0]).save(tmp_path)
    assert (picture.stat().st_mtime_ns, csv.stat().st_mtime_ns) == (1, 1)
    trend([120.0, 96.0]).save(tmp_path)
    assert picture.read_bytes() != first and picture.stat().st_mtime_ns != 1


def test_spc_chart_alt_text_counts_flagged_points(tmp_path: Path) -> None:
    spc = pd.DataFrame(
        {
            "period_label": [f"2025-{m:02d}" for m in range(1, 6)],
            "value": [10.0, 11.0, 10.0, 30.0, 10.5],
            "mean": [14.3] * 5,
            "lpl": [0.0] * 5,
            "upl": [28.0] * 5,
            "special": ["", "", "", "concern", ""],
        }
    )
    chart = charts.spc_chart("X-spc", spc, "count", 0, None, "Latest point: common cause.")
    chart.save(tmp_path)
    assert "5 points from 2025-01 to 2025-05" in chart.alt
    assert "1 point flagged as special cause" in chart.alt
    assert (tmp_path / "X-spc.csv").read_text().count("concern") == 1


def test_period_labels_do_not_crowd(tmp_path: Path) -> None:
    """Seen in a booklet: thirteen quarter labels printed on top of each other."""
    labels = [f"20{22 + i // 4}/{23 + i // 4} Q{i % 4 + 1}" for i in range(13)]
    frame = pd.DataFrame({"period_label": labels, "value": range(13)})
    chart = charts.trend_chart("q", frame, "count", 0, None, "", {"value": "Anytown"}, "Visits")
    shown = chart.plot.texts("period")
    assert len(shown) <= 6
    assert shown[-1] == labels[-1]
    chart.save(tmp_path)


def test_an_analysts_own_chart_shows_after_importing_the_package(tmp_path) -> None:
    """The package must not switch matplotlib's backend: a notebook's plt.show() draws."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("import pmf_utils.pages.report"),
            nbformat.v4.new_code_cell("import pmf_utils.pages.charts"),
            nbformat.v4.new_code_cell(
                "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()"
            ),
        ]
    )
    NotebookClient(notebook, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = notebook.cells[-1].outputs
    assert any("image/png" in output.get("data", {}) for output in outputs), outputs


def test_figures_closer_than_their_precision_still_get_a_value_axis() -> None:
    """5.5 and 5.6 shown to no decimals: no whole number lies between them, and a chart with
    no tick labels says nothing about its scale."""
    chart = charts.trend_chart(
        "t", history([5.5, 5.6]), "count", 0, None, "", {"value": "Anytown"}, "Visits"
    )
    shown = chart.plot.texts("ytick")
    assert len(shown) >= 2 and len(set(shown)) == len(shown)
    low, high = chart.plot.ylim
    assert low <= 5.5 and high >= 5.6


@given(
    low=st.floats(-1e6, 1e6),
    span=st.floats(1e-3, 1e6),
    decimals=st.integers(0, 3),
)
def test_value_axis_ticks_are_round_in_range_and_printable(
    low: float, span: float, decimals: int
) -> None:
    """Ticks lie within the axis, at most six, evenly spaced, each a whole number of the
    figures' last shown digit (so no two print alike and none prints rounded)."""
    finest = 10.0**-decimals
    ticks = svg.nice_ticks(low, low + span, least_step=finest)
    assert len(ticks) <= 6
    assert all(low - 1e-6 * span <= t <= low + span * (1 + 1e-6) for t in ticks)
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) <= 1
    assert all(abs(t / finest - round(t / finest)) < 1e-6 for t in ticks)


figures = st.one_of(
    st.none(), st.floats(-1e9, 1e9, allow_nan=False), st.sampled_from([0.0, 0.0001, 5.5, 1e8])
)


@given(
    values=st.lists(figures, min_size=1, max_size=40),
    target=st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False)),
    decimals=st.integers(0, 2),
    unit=st.sampled_from(["percentage", "count", "currency", "rate", "days"]),
    from_zero=st.booleans(),
)
def test_any_series_draws_a_whole_picture(
    values: list[float | None], target: float | None, decimals: int, unit: str, from_zero: bool
) -> None:
    """Whatever the figures (gaps, negatives, one point, all alike, huge or tiny), the chart
    is drawn, is valid SVG, and its words lie within the picture."""
    labels = [f"20{i:02d}/{i + 1:02d} Q{i % 4 + 1}" for i in range(len(values))]
    frame = pd.DataFrame({"period_label": labels, "value": values}, dtype=object)
    frame["value"] = frame["value"].astype(float)
    if frame["value"].notna().sum() == 0:
        return  # the page says "No figures yet." instead of drawing
    chart = charts.trend_chart(
        "t", frame, unit, decimals, target, "", {"value": "Anytown"}, "X", from_zero=from_zero
    )
    ElementTree.fromstring(svg.document(chart.plot, chart.narrow))
    assert chart.narrow is not None
    for plot in (chart.plot, chart.narrow):
        low, high = plot.ylim
        assert low < high and math.isfinite(low) and math.isfinite(high)
        for label in plot.labels:
            assert 0 <= label.y <= plot.height, label
            if label.anchor == "start":
                right = label.x + svg.text_width(label.text, label.size)
                assert label.x >= 0 and right <= plot.width + 1, label
        periods = [label for label in plot.labels if label.role == "period"]
        for a, b in zip(periods, periods[1:], strict=False):
            halves = svg.text_width(a.text, a.size) / 2 + svg.text_width(b.text, b.size) / 2
            assert b.x - a.x >= halves, (a, b)


@given(
    values=st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=4),
    decimals=st.integers(0, 2),
)
def test_any_comparison_draws_a_whole_picture(values: list[float], decimals: int) -> None:
    """Bars for any figures, negative or all zero included: valid SVG, words on the picture."""
    areas = pd.DataFrame({"area": [f"Area {i}" for i in range(len(values))], "value": values})
    chart = charts.benchmark_chart("b", areas, "count", decimals, "X")
    ElementTree.fromstring(svg.document(chart.plot))
    for label in chart.plot.labels:
        assert 0 <= label.y <= chart.plot.height, label
        assert 0 <= label.x <= chart.plot.width, label


def test_a_chart_carries_a_narrow_layout_for_a_phone(tmp_path: Path) -> None:
    """Shown 330 px wide, a chart laid out for 760 would print its words 5 px high: the SVG
    also holds the chart laid out on a canvas NARROW times smaller, enlarged, which a media
    query inside the SVG shows instead when the picture is small."""
    names = {"value": "Anytown", "england": "England"}
    frame = history([61.0, 64.0, 66.0, 68.0]).assign(england=[66.0, 66.5, 67.0, 67.2])
    chart = charts.trend_chart("t", frame, "percentage", 1, 70.0, "", names, "X")
    assert chart.narrow is not None
    assert chart.narrow.width * svg.NARROW == pytest.approx(chart.plot.width)
    assert set(chart.narrow.texts("end")) == set(chart.plot.texts("end"))
    drawn = ElementTree.parse(chart.save(tmp_path)[0]).getroot()
    groups = {g.get("class"): g for g in drawn if g.tag == "{http://www.w3.org/2000/svg}g"}
    assert set(groups) == {"pmf-wide", "pmf-narrow"}
    assert groups["pmf-narrow"].get("transform") == f"scale({svg.NARROW:.4f})"
    style = drawn.find("{http://www.w3.org/2000/svg}style")
    assert style is not None and f"@media (max-width: {svg.SHOWN_NARROW}px)" in style.text


def test_a_saved_chart_can_be_read_by_the_web_server(tmp_path: Path) -> None:
    """Seen on a published site: the charts were written mode 0600, unreadable to a web
    server running as another user. They get the mode any new file gets."""
    (tmp_path / "plain.txt").write_text("x")
    chart = charts.trend_chart(
        "t", history([1.0, 2.0]), "count", 0, None, "", {"value": "Anytown"}, "X"
    )
    for saved in chart.save(tmp_path):
        assert saved.stat().st_mode == (tmp_path / "plain.txt").stat().st_mode
    assert not list(tmp_path.glob(".*.tmp"))


def test_icons_and_sparklines_can_be_read_by_the_web_server(tmp_path: Path) -> None:
    """The same for the Making Data Count icons and the dashboard's sparklines."""
    from pmf_utils.pages import icons
    from pmf_utils.pages.sparkline import Sparkline

    (tmp_path / "plain.txt").write_text("x")
    mode = (tmp_path / "plain.txt").stat().st_mode
    spark = Sparkline("S-spark", ["Q1", "Q2"], [1.0, 2.0], [2.0, 2.0], str)
    spark.save(tmp_path)
    written = [*icons.write(tmp_path), tmp_path / "S-spark.svg"]
    assert {p.stat().st_mode for p in written} == {mode}
