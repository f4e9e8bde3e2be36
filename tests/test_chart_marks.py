"""Charts follow the Government Analysis Function's guidance and tell the truth: the target as
it was in each period, lines labelled directly and apart, four colours at most, light
horizontal gridlines only."""

from __future__ import annotations

import math
from xml.etree import ElementTree

import pandas as pd
import pytest

from pmf_utils.pages import charts
from pmf_utils.pages.chart_marks import LABEL_GAP, Event, spread
from pmf_utils.pages.svg import AXIS, GRID, Line, document, target_steps

SVG = "{http://www.w3.org/2000/svg}"

NAN = math.nan
LABELS = ["2023/24 Q3", "2023/24 Q4", "2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4"]
NAMES = {"value": "Anytown", "england": "England", "region": "North West", "neighbours": "Peers"}


def crowded_trend(target: charts.Targets = (NAN, NAN, 57.0, 57.0, 57.0, 62.0)) -> charts.Chart:
    """Benchmarks ending within a whisker of each other and of the council's line."""
    history = pd.DataFrame(
        {
            "period_label": LABELS,
            "value": [55.0, 56.0, 58.0, 57.5, 59.0, 60.0],
            "england": [54.0, 55.0, 56.0, 57.0, 58.0, 59.8],
            "region": [53.0, 54.0, 55.5, 56.0, 57.5, 59.6],
            "neighbours": [52.0, 53.0, 55.0, 56.5, 57.0, 59.9],
        }
    )
    events = [Event(1, 2, "2024/25 Q1", "New service"), Event(2, 2, "2024/25 Q1", "Staff")]
    return charts.trend_chart("t", history, "percentage", 1, target, "", NAMES, "X", events)


def spc_with_signals() -> charts.Chart:
    spc = pd.DataFrame(
        {
            "period_label": LABELS,
            "value": [50.0, 51.0, 49.0, 70.0, 30.0, 50.0],
            "mean": [50.0] * 6,
            "lpl": [35.0] * 6,
            "upl": [65.0] * 6,
            "special": ["", "", "", "improvement", "concern", ""],
        }
    )
    return charts.spc_chart("s", spc, "percentage", 1, [NAN, NAN, 55.0, 55.0, 55.0, 60.0], "")


def _svg(chart: charts.Chart) -> ElementTree.Element:
    return ElementTree.fromstring(document(chart.plot))


def _role(chart: charts.Chart, role: str) -> list[Line]:
    return [line for line in chart.plot.lines if line.role == role]


def test_a_target_that_changed_is_drawn_as_a_step() -> None:
    """Seen on a second council's data: today's target drawn across years that had another."""
    chart = crowded_trend()
    (target,) = _role(chart, "target")
    assert target.step
    assert target.ys[2:] == [57.0, 57.0, 57.0, 62.0]
    assert all(math.isnan(y) for y in target.ys[:2])  # no target: no line
    assert "Target 62.0%" in chart.plot.texts("end")
    # Drawn as level steps half a period either side, changing half way between periods.
    assert target_steps(target.ys, float, float) == [
        [(1.5, 57.0), (2.5, 57.0), (3.5, 57.0), (4.5, 57.0), (4.5, 62.0), (5.0, 62.0)]
    ]
    (flat,) = _role(crowded_trend(60.0), "target")
    assert (flat.step, flat.across, flat.ys) == (False, True, [60.0] * len(LABELS))
    assert [line.step for line in spc_with_signals().plot.lines].count(True) == 1


def test_every_line_is_labelled_directly_and_no_label_overlaps_another() -> None:
    for chart in (crowded_trend(), spc_with_signals()):
        ends = [label for label in chart.plot.labels if label.role == "end"]
        centres = sorted(label.y for label in ends)
        assert all(b - a >= ends[0].size for a, b in zip(centres, centres[1:], strict=False))
    trend = crowded_trend()
    assert set(trend.plot.texts("end")) >= {*NAMES.values(), "Target 62.0%"}
    assert not trend.plot.legend
    spc = spc_with_signals()
    assert {"Mean", "Upper limit", "Lower limit", "Target 60.0%"} <= set(spc.plot.texts("end"))
    # Only the special-cause markers need a key; every line is named at its end.
    assert [words for words, _, _ in spc.plot.legend] == [
        "Special cause: improvement",
        "Special cause: concern",
    ]
    drawn = [t.text for t in _svg(spc).iter(f"{SVG}text")]
    assert "Special cause: concern" in drawn and "Upper limit" in drawn


def _colours(chart: charts.Chart) -> set[str]:
    """The colours of the lines and markers drawn (not the white ground, the gridlines, the
    axes or the words)."""
    found = set()
    for shape in _svg(chart).iter():
        if shape.tag in (f"{SVG}path", f"{SVG}circle", f"{SVG}polygon"):
            found |= {shape.get("stroke"), shape.get("fill")}
    return found - {None, "none", "white", GRID, AXIS}


def test_four_colours_at_most() -> None:
    assert len(_colours(crowded_trend())) <= 3  # the council, the target, grey context
    assert len(_colours(spc_with_signals())) <= 4


def test_gridlines_are_light_and_horizontal_only() -> None:
    assert min(int(GRID[i : i + 2], 16) for i in (1, 3, 5)) >= 0.85 * 255
    for chart in (crowded_trend(), spc_with_signals()):
        grid = [p.get("d") for p in _svg(chart).iter(f"{SVG}path") if p.get("stroke") == GRID]
        assert grid and all(" H" in d and " V" not in d for d in grid)


def test_events_of_one_period_share_a_mark() -> None:
    chart = crowded_trend()
    assert chart.plot.events == [(2, "1, 2")]
    assert chart.plot.texts("event") == ["1, 2"]
    assert document(chart.plot).count(">1, 2</text>") == 1


def test_labels_move_apart_only_as_far_as_they_must() -> None:
    assert spread([10.0], LABEL_GAP) == [10.0]
    assert spread([0.0, 100.0], LABEL_GAP) == [0.0, 100.0]
    placed = spread([50.0, 50.0, 51.0, 200.0], LABEL_GAP)
    assert placed[3] == 200.0
    centre = (50 + 50 + 51) / 3
    assert sorted(placed[:3]) == pytest.approx([centre - LABEL_GAP, centre, centre + LABEL_GAP])


def test_labels_crowded_at_the_top_stay_inside_the_picture() -> None:
    """Five lines ending at the chart's highest figure: spread apart, the top labels would be
    pushed off the picture and cut."""
    history = pd.DataFrame({"period_label": LABELS[:2], **{c: [50.0, 60.0] for c in NAMES}})
    chart = charts.trend_chart("t", history, "percentage", 1, 60.0, "", NAMES, "X")
    ends = [label for label in chart.plot.labels if label.role == "end"]
    assert len(ends) == 5
    assert all(e.size / 2 <= e.y <= chart.plot.height - e.size / 2 for e in ends)
    centres = sorted(e.y for e in ends)
    assert all(b - a >= LABEL_GAP - 1e-9 for a, b in zip(centres, centres[1:], strict=False))


def test_a_flat_targets_words_begin_where_its_line_ends() -> None:
    """Seen on a KPI with one annual figure: the target line ran across the whole chart and
    through its own label."""
    history = pd.DataFrame({"period_label": ["2024/25"], "value": [88.5]})
    chart = charts.trend_chart("t", history, "percentage", 1, 90.0, "", NAMES, "X")
    (label,) = [label for label in chart.plot.labels if label.text == "Target 90.0%"]
    orange = charts.OKABE_ITO["orange"]
    (drawn,) = [p.get("d") for p in _svg(chart).iter(f"{SVG}path") if p.get("stroke") == orange]
    line_end = float(drawn.split()[-1].lstrip("ML").split(",")[0])
    assert line_end < label.x
