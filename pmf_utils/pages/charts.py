"""Charts for KPI pages and booklets, each with a text alternative written from the data.

One style for every chart, after the Government Analysis Function's guidance: light horizontal
gridlines only, four colours at most (the council's line in blue, the target in orange, the
context in grey; on an SPC chart the Making Data Count colours of special-cause points), and no
meaning carried by colour alone: every series has its own line style and marker and is labelled
in words at its end (``chart_marks``), special-cause points have their own marker shapes and a
key in words. The target is drawn as it was in each period, a step where it changed; events
from ``annotations.csv`` are numbered marks, listed in words by the page. Each chart function
returns a ``Chart``: the plot, its alt text and the numbers behind it, so pages can show the
numbers as a table and offer them as CSV.

Charts are drawn as SVG by ``svg.Plot`` rather than by matplotlib: a tenth of the time, and
sharp at any size. Nothing here touches matplotlib, so an analyst's own ``plt.show()`` in a
notebook works as it always does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pmf_utils.judge.vocabulary import BAD, GOOD, NEUTRAL, format_value
from pmf_utils.pages.chart_marks import (
    LABEL_SIZE,
    EndLabel,
    Event,
    describe_events,
    end_labels,
    event_labels,
    event_marks,
)
from pmf_utils.pages.svg import (
    HEIGHT,
    LEGEND_ROW,
    NARROW,
    TICK_SIZE,
    VALUE_TICK_SIZE,
    WIDTH,
    Bar,
    Frame,
    Label,
    Line,
    Plot,
    document,
    nice_ticks,
    text_width,
    write_whole,
)

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#D55E00",
    "green": "#009E73",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#E69F00",
    "black": "#000000",
    "grey": "#595959",
}
SERIES_STYLE = {
    "value": {"colour": OKABE_ITO["blue"], "dash": "-", "marker": "o", "width": 2.2},
    # Benchmarks are context: one grey, told apart by line style, marker and their labels.
    "england": {"colour": OKABE_ITO["grey"], "dash": ":", "marker": "s", "width": 1.4},
    "region": {"colour": OKABE_ITO["grey"], "dash": "-.", "marker": "^", "width": 1.4},
    "neighbours": {"colour": OKABE_ITO["grey"], "dash": "--", "marker": "D", "width": 1.4},
}
SPECIAL_STYLE = {
    "improvement": {"colour": GOOD, "marker": "^", "label": "Special cause: improvement"},
    "concern": {"colour": BAD, "marker": "v", "label": "Special cause: concern"},
    "neutral": {"colour": NEUTRAL, "marker": "D", "label": "Special cause: neutral"},
}


@dataclass
class Chart:
    """A plot with the words and numbers that must travel with it."""

    name: str
    plot: Plot
    alt: str
    data: pd.DataFrame
    events: Sequence[Event] = ()
    """The events marked on the chart, for the page to list in words."""
    narrow: Plot | None = None
    """The same chart laid out for a picture shown small (``svg.document``)."""

    def save(self, folder: Path) -> tuple[Path, Path]:
        """Write the SVG and the CSV of the numbers behind it (each left as it was when it
        already holds the same)."""
        picture = write_whole(folder, f"{self.name}.svg", document(self.plot, self.narrow))
        csv = write_whole(folder, f"{self.name}.csv", self.data.to_csv(index=False))
        return picture, csv


def format_number(value: float, unit: str, decimals: int = 0) -> str:
    """A figure as printed on a chart: the vocabulary's format, with rates and days left
    bare because the chart's title already names the unit."""
    return format_value(value, "count" if unit in ("rate", "days") else unit, decimals)


Targets = float | Sequence[float] | None
"""One target for the whole chart, or the target in force for each period (NaN for none)."""


def per_period(target: Targets, n: int) -> list[float]:
    """The target for each of ``n`` periods: a single target applies to every one."""
    if target is None or isinstance(target, int | float):
        return [math.nan if target is None else float(target)] * n
    return [float(t) for t in target]


def _latest(targets: list[float]) -> float | None:
    known = [t for t in targets if not math.isnan(t)]
    return known[-1] if known else None


def _target_line(plot: Plot, targets: list[float], unit: str, decimals: int) -> EndLabel | None:
    """A dashed target line, a step where the target changed (half way between the last
    period of one target and the first of the next); returns its label for the line's end."""
    latest = _latest(targets)
    if latest is None:
        return None
    flat = len(set(targets)) == 1
    plot.add(
        Line(
            targets,
            OKABE_ITO["orange"],
            1.4,
            "target",
            step=not flat,
            across=flat,
            role="target",
        )
    )
    text = f"Target {format_number(latest, unit, decimals)}"
    return EndLabel(len(targets) - 1, latest, text, OKABE_ITO["orange"])


def _finish(
    plot: Plot,
    periods: list[str],
    ends: Sequence[EndLabel | None],
    events: Sequence[Event],
    number: tuple[str, int],
    from_zero: bool,
) -> None:
    """Lay a line chart out: the value axis from the figures (and zero when asked), margins
    that fit the tick labels and the words at the lines' ends, the period labels that fit
    without touching, the end labels spread apart and the events marked."""
    unit, decimals = number
    known = [y for line in plot.lines for y in line.ys if not math.isnan(y)]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    pad = (high - low) * 0.05 or abs(low) * 0.1 or 1.0
    low, high = low - pad, high + pad
    if from_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    (low, high), plot.yticks = _value_axis(low, high, unit, decimals)
    labels = [label for label in ends if label is not None]
    marks = event_marks(events)
    widths = [text_width(period, TICK_SIZE) for period in periods]
    first = widths[0] / 2 if widths else 0.0
    left = max([text_width(t, VALUE_TICK_SIZE) + 14 for _, t in plot.yticks] + [first + 4, 30])
    right = max([text_width(e.text, LABEL_SIZE) + 16 for e in labels] + [12])
    apart = (plot.width - left - right) / max(len(periods), 1)
    shown = _period_ticks(len(periods), apart, max(widths, default=0.0) * 1.6)
    top = 36 if marks else 12
    rows = plot.legend_rows(left)
    bottom = 30 + (6 + LEGEND_ROW * rows if rows else 0)
    frame = Frame(
        left,
        top,
        plot.width - right,
        plot.height - bottom,
        (-0.5, len(periods) - 0.5),
        (low, high),
    )
    plot.frame, plot.events = frame, marks
    plot.labels += [
        Label(text, frame.left - 8, frame.y(value), VALUE_TICK_SIZE, anchor="end", role="ytick")
        for value, text in plot.yticks
    ]
    plot.labels += [
        Label(periods[i], frame.x(i), frame.bottom + 14, TICK_SIZE, anchor="middle", role="period")
        for i in shown
    ]
    plot.labels += end_labels(frame, labels, plot.height) + event_labels(frame, marks)


def _value_axis(
    low: float, high: float, unit: str, decimals: int
) -> tuple[tuple[float, float], list[tuple[float, str]]]:
    """The value axis's range and its ticks with their words: round values the figures'
    precision can print, widened to two ticks when the figures lie closer together than that
    precision (5.5 and 5.6 shown to no decimals)."""
    finest = 10.0**-decimals
    ticks = nice_ticks(low, high, least_step=finest)
    if len(ticks) < 2:
        low, high = math.floor(low / finest) * finest, math.ceil(high / finest) * finest
        ticks = nice_ticks(low, high, least_step=finest)
    return (low, high), [(t, format_number(t, unit, decimals)) for t in ticks]


def _with_events(data: pd.DataFrame, events: Sequence[Event]) -> pd.DataFrame:
    """The numbers behind a chart with each row's events, when the chart marks any."""
    if not events:
        return data
    column = ["; ".join(e.text() for e in events if e.x == i) for i in range(len(data))]
    return data.assign(event=column)


def _period_ticks(count: int, apart: float, room: float) -> list[int]:
    """The periods to label, ``apart`` units between neighbours, each label needing ``room``:
    every so many, so that none touches the next, and always the latest (dropping the one
    before it if they would collide)."""
    if not count:
        return []
    step = max(1, math.ceil(room / apart))
    ticks = list(range(0, count, step))
    if ticks[-1] != count - 1:
        if (count - 1 - ticks[-1]) * apart < room:
            ticks.pop()
        ticks.append(count - 1)
    return ticks


def trend_chart(
    name: str,
    history: pd.DataFrame,
    unit: str,
    decimals: int,
    target: Targets,
    judgement: str,
    names: dict[str, str],
    subject: str,
    events: Sequence[Event] = (),
    from_zero: bool = False,
) -> Chart:
    """The KPI over time against its target and benchmarks.

    ``history`` has one row per period in order (a period without a figure is a gap, not
    left out), with ``period_label``, ``value`` and optionally ``england``, ``region`` and
    ``neighbours`` (those to draw); ``names`` gives the words for each series (e.g.
    ``{"region": "West Midlands"}``); ``judgement`` is the status in words and ``subject``
    what the chart is of (the KPI's name), for the alt text. ``events`` are marked on it;
    ``from_zero`` takes the value axis down to zero.
    """
    columns = [c for c in ("value", "england", "region", "neighbours") if c in history]
    columns = [c for c in columns if history[c].notna().any()]
    labels = history["period_label"].tolist()
    targets = per_period(target, len(labels))

    def build(scale: float) -> Plot:
        plot, ends = Plot(WIDTH / scale, HEIGHT / scale), []
        for column in columns:
            spec = SERIES_STYLE[column]
            # A missing figure breaks the line instead of bridging it.
            plot.add(Line(history[column].astype(float).tolist(), size=5, role=column, **spec))
            last = history[column].last_valid_index()
            if last is not None:
                pos = labels.index(history.loc[last, "period_label"])
                y = float(history.loc[last, column])
                ends.append(EndLabel(pos, y, names[column], spec["colour"]))
        ends.append(_target_line(plot, targets, unit, decimals))
        _finish(plot, labels, ends, events, (unit, decimals), from_zero)
        return plot

    data = history[["period_label", *columns]].rename(columns={"period_label": "period", **names})
    if _latest(targets) is not None:
        data = data.assign(target=targets)
    alt = describe_trend(history, unit, decimals, targets, judgement, subject)
    data, alt = _with_events(data, events), alt + describe_events(events)
    return Chart(name, build(1), alt, data, events, build(NARROW))


def describe_trend(
    history: pd.DataFrame,
    unit: str,
    decimals: int,
    target: Targets,
    judgement: str,
    subject: str,
) -> str:
    """Alt text from the data: 'Rose from 61% in … to 68% in … over 4 quarters; target 75%.'"""
    known = history.dropna(subset=["value"])
    if known.empty:
        return f"Line chart of {subject}: no figures are available yet."
    first, last = known.iloc[0], known.iloc[-1]
    fmt = lambda v: format_number(v, unit, decimals)  # noqa: E731
    if len(known) == 1:
        movement = f"One figure so far: {fmt(last['value'])} in {last['period_label']}"
    else:
        change = last["value"] - first["value"]
        verb = "Rose" if change > 0 else "Fell" if change < 0 else "Unchanged"
        movement = (
            f"{verb} from {fmt(first['value'])} in {first['period_label']} to "
            f"{fmt(last['value'])} in {last['period_label']} over {len(known)} periods"
            f" (lowest {fmt(known['value'].min())}, highest {fmt(known['value'].max())})"
        )
    parts = [f"Line chart of {subject}. {movement}"]
    targets = per_period(target, len(history))
    latest = _latest(targets)
    if latest is not None:
        changed = len({t for t in targets if not math.isnan(t)}) > 1
        parts.append(f"target {fmt(latest)}" + (" (it changed over the period)" if changed else ""))
    if judgement:
        parts.append(judgement.lower())
    return "; ".join(parts) + "."


def spc_chart(
    name: str,
    spc: pd.DataFrame,
    unit: str,
    decimals: int,
    target: Targets,
    summary: str,
    events: Sequence[Event] = (),
    from_zero: bool = False,
) -> Chart:
    """An XmR chart: the values, the mean, the process limits and special-cause points.

    ``spc`` has one row per point with ``period_label``, ``value``, ``mean``, ``lpl``,
    ``upl`` and ``special`` ('improvement', 'concern', 'neutral' or '' for common cause);
    ``summary`` is the variation and assurance in words, for the alt text. ``events`` and
    ``from_zero`` as for ``trend_chart``.
    """
    labels = spc["period_label"].tolist()

    def build(scale: float) -> Plot:
        grey, black = OKABE_ITO["grey"], OKABE_ITO["black"]
        plot = Plot(WIDTH / scale, HEIGHT / scale)
        plot.add(
            Line(spc["value"].astype(float).tolist(), grey, 1.4, marker="o", size=4, role="value")
        )
        plot.add(Line(spc["mean"].astype(float).tolist(), black, 1.2, role="mean"))
        for column in ("lpl", "upl"):
            plot.add(Line(spc[column].astype(float).tolist(), grey, 1.1, "--", role=column))
        last = len(labels) - 1
        ends = [
            EndLabel(last, float(spc["upl"].iloc[-1]), "Upper limit", grey),
            EndLabel(last, float(spc["lpl"].iloc[-1]), "Lower limit", grey),
            EndLabel(last, float(spc["mean"].iloc[-1]), "Mean", black),
        ]
        for kind, spec in SPECIAL_STYLE.items():
            special = spc["value"].where(spc["special"] == kind).astype(float).tolist()
            if any(not math.isnan(y) for y in special):
                plot.add(Line(special, spec["colour"], 0, marker=spec["marker"], size=8, role=kind))
                plot.legend.append((spec["label"], spec["colour"], spec["marker"]))
        ends.append(_target_line(plot, per_period(target, len(labels)), unit, decimals))
        _finish(plot, labels, ends, events, (unit, decimals), from_zero)
        return plot

    data = spc[["period_label", "value", "mean", "lpl", "upl", "special"]].rename(
        columns={
            "period_label": "period",
            "lpl": "lower_process_limit",
            "upl": "upper_process_limit",
            "special": "special_cause",
        }
    )
    flagged = (spc["special"] != "").sum()
    fmt = lambda v: format_number(v, unit, decimals)  # noqa: E731
    alt = (
        f"Statistical process control chart of {len(spc)} points from {labels[0]} to "
        f"{labels[-1]}: mean {fmt(spc['mean'].iloc[-1])}, process limits "
        f"{fmt(spc['lpl'].iloc[-1])} to {fmt(spc['upl'].iloc[-1])}; "
        f"{flagged} point{'s' if flagged != 1 else ''} flagged as special cause. {summary}"
    ).strip()
    data, alt = _with_events(data, events), alt + describe_events(events)
    return Chart(name, build(1), alt, data, events, build(NARROW))


def benchmark_chart(
    name: str, comparisons: pd.DataFrame, unit: str, decimals: int, subject: str
) -> Chart:
    """Horizontal bars: this council beside England, the region and the neighbours.

    ``comparisons`` has ``area`` and ``value`` columns, this council's row first.
    """
    known = comparisons.dropna(subset=["value"]).reset_index(drop=True)

    values = known["value"].astype(float).tolist()

    def build(scale: float) -> Plot:
        plot = Plot(WIDTH / scale, (0.55 * len(known) + 0.9) * 100 / scale)
        grey = OKABE_ITO["grey"]
        plot.bars = [
            Bar(value, OKABE_ITO["blue"] if i == 0 else grey, hatched=i > 0)
            for i, value in enumerate(values)
        ]
        low, high = min([0.0, *values]), max([0.0, *values])
        (low, high), ticks = _value_axis(low, high if high > low else low + 1, unit, decimals)
        shown = [format_number(value, unit, decimals) for value in values]
        left = max([text_width(str(a), VALUE_TICK_SIZE) + 14 for a in known["area"]] + [30])
        right = max([text_width(t, TICK_SIZE) + 14 for t in shown] + [20])
        frame = Frame(
            left, 10, plot.width - right, plot.height - 30, (low, high), (len(known) - 0.5, -0.5)
        )
        plot.frame = frame  # this council's bar on top
        plot.labels = [
            Label(str(area), left - 8, frame.y(i), VALUE_TICK_SIZE, anchor="end", role="area")
            for i, area in enumerate(known["area"])
        ]
        plot.labels += [
            Label(text, frame.x(value) + 6, frame.y(i), TICK_SIZE, role="value")
            for i, (value, text) in enumerate(zip(values, shown, strict=True))
        ]
        plot.labels += [
            Label(text, frame.x(t), frame.bottom + 14, TICK_SIZE, anchor="middle", role="xtick")
            for t, text in ticks
        ]
        return plot

    fmt = lambda v: format_number(v, unit, decimals)  # noqa: E731
    alt = (
        f"Bar chart comparing {subject}: "
        + "; ".join(f"{row.area} {fmt(row.value)}" for row in known.itertuples())
        + "."
    )
    return Chart(name, build(1), alt, known, narrow=build(NARROW))
