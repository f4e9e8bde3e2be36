"""Charts follow the Government Analysis Function's guidance and tell the truth: the target as
it was in each period, lines labelled directly and apart, four colours at most, light
horizontal gridlines only."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgb

from pmf_utils.pages import charts
from pmf_utils.pages.chart_marks import LABEL_GAP, Event, spread

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


def test_a_target_that_changed_is_drawn_as_a_step() -> None:
    """Seen on a second council's data: today's target drawn across years that had another."""
    chart = crowded_trend()
    ax = chart.figure.axes[0]
    steps = [line for line in ax.get_lines() if line.get_drawstyle() == "steps-mid"]
    assert len(steps) == 1
    assert steps[0].get_ydata().tolist()[2:] == [57.0, 57.0, 57.0, 62.0]
    assert all(math.isnan(y) for y in steps[0].get_ydata()[:2])  # no target: no line
    assert "Target 62.0%" in [t.get_text() for t in ax.texts]
    flat = crowded_trend(60.0).figure.axes[0]
    assert not [line for line in flat.get_lines() if line.get_drawstyle() == "steps-mid"]
    across = [line for line in flat.get_lines() if list(line.get_xdata()) == [0, 1]]
    assert [list(line.get_ydata()) for line in across] == [[60.0, 60.0]]
    spc = spc_with_signals().figure.axes[0]
    assert [line.get_drawstyle() for line in spc.get_lines()].count("steps-mid") == 1


def test_every_line_is_labelled_directly_and_no_label_overlaps_another() -> None:
    for chart in (crowded_trend(), spc_with_signals()):
        ax = chart.figure.axes[0]
        ends = [t for t in ax.texts if not t.get_text()[:1].isdigit()]
        tops = sorted(t.get_window_extent().y0 for t in ends)
        height = min(t.get_window_extent().height for t in ends)
        assert all(b - a >= height for a, b in zip(tops, tops[1:], strict=False))
    trend = crowded_trend().figure.axes[0]
    assert {t.get_text() for t in trend.texts} >= {*NAMES.values(), "Target 62.0%"}
    assert trend.get_legend() is None
    spc = spc_with_signals().figure.axes[0]
    assert {"Mean", "Upper limit", "Lower limit", "Target 60.0%"} <= {
        t.get_text() for t in spc.texts
    }
    # Only the special-cause markers need a key; every line is named at its end.
    assert [t.get_text() for t in spc.get_legend().get_texts()] == [
        "Special cause: improvement",
        "Special cause: concern",
    ]


def _colours(chart: charts.Chart) -> set[str]:
    ax = chart.figure.axes[0]
    found = set()
    for line in ax.get_lines():
        if line in ax.get_xgridlines() + ax.get_ygridlines():
            continue
        found |= {to_hex(line.get_color()), to_hex(line.get_markerfacecolor())}
    for collection in ax.collections:
        found |= {to_hex(c) for c in collection.get_facecolors()}
    return found - {"#ffffff"}


def test_four_colours_at_most() -> None:
    assert len(_colours(crowded_trend())) <= 3  # the council, the target, grey context
    assert len(_colours(spc_with_signals())) <= 4


def test_gridlines_are_light_and_horizontal_only() -> None:
    for chart in (crowded_trend(), spc_with_signals()):
        ax = chart.figure.axes[0]
        assert not any(line.get_visible() for line in ax.get_xgridlines())
        horizontal = [line for line in ax.get_ygridlines() if line.get_visible()]
        assert horizontal
        assert all(min(to_rgb(line.get_color())) >= 0.85 for line in horizontal)


def test_events_of_one_period_share_a_mark() -> None:
    ax = crowded_trend().figure.axes[0]
    assert [t.get_text() for t in ax.texts if t.get_text()[:1].isdigit()] == ["1, 2"]
    upright = [line for line in ax.get_lines() if list(line.get_xdata()) == [2, 2]]
    assert len(upright) == 1


def test_labels_move_apart_only_as_far_as_they_must() -> None:
    assert spread([10.0], LABEL_GAP) == [10.0]
    assert spread([0.0, 100.0], LABEL_GAP) == [0.0, 100.0]
    placed = spread([50.0, 50.0, 51.0, 200.0], LABEL_GAP)
    assert placed[3] == 200.0
    centre = (50 + 50 + 51) / 3
    assert sorted(placed[:3]) == pytest.approx([centre - LABEL_GAP, centre, centre + LABEL_GAP])
