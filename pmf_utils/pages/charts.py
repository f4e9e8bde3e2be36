"""Charts for KPI pages and booklets, each with a text alternative written from the data.

One style for every chart, after the Government Analysis Function's guidance: light horizontal
gridlines only, four colours at most (the council's line in blue, the target in orange, the
context in grey; on an SPC chart the Making Data Count colours of special-cause points), and no
meaning carried by colour alone: every series has its own line style and marker and is labelled
in words at its end (``chart_marks``), special-cause points have their own marker shapes and a
legend in words. The target is drawn as it was in each period, a step where it changed; events
from ``annotations.csv`` are numbered marks, listed in words by the page. Each chart function
returns a ``Chart``: the figure, its alt text and the numbers behind it, so pages can show the
numbers as a table and offer them as CSV.

Charts draw on a ``Figure`` of their own and never touch pyplot's global state or backend, so
importing the package changes nothing for an analyst's own ``plt.show()`` in a notebook.
"""

from __future__ import annotations

import hashlib
import math
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, wraps
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from PIL import Image

from pmf_utils.judge.vocabulary import BAD, GOOD, NEUTRAL, format_value
from pmf_utils.pages.chart_marks import (
    EndLabel,
    Event,
    describe_events,
    include_zero,
    mark_events,
    place_end_labels,
)
from pmf_utils.run.fingerprint import code_inputs

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
    "value": {"color": OKABE_ITO["blue"], "linestyle": "-", "marker": "o", "linewidth": 2.2},
    # Benchmarks are context: one grey, told apart by line style, marker and their labels.
    "england": {"color": OKABE_ITO["grey"], "linestyle": ":", "marker": "s", "linewidth": 1.4},
    "region": {"color": OKABE_ITO["grey"], "linestyle": "-.", "marker": "^", "linewidth": 1.4},
    "neighbours": {"color": OKABE_ITO["grey"], "linestyle": "--", "marker": "D", "linewidth": 1.4},
}
SPECIAL_STYLE = {
    "improvement": {"color": GOOD, "marker": "^", "label": "Special cause: improvement"},
    "concern": {"color": BAD, "marker": "v", "label": "Special cause: concern"},
    "neutral": {"color": NEUTRAL, "marker": "D", "label": "Special cause: neutral"},
}
FIGSIZE = (7.6, 3.4)
DPI = 150


@dataclass
class Chart:
    """A figure with the words and numbers that must travel with it. The figure is drawn
    only when it is needed: ``save`` keeps a PNG drawn before from the same inputs."""

    name: str
    draw: Callable[[], Figure]
    alt: str
    data: pd.DataFrame
    events: Sequence[Event] = ()
    """The events marked on the chart, for the page to list in words."""
    key: str = ""
    """What the figure is drawn from (``reusable``); empty: draw it every time."""

    @cached_property
    def figure(self) -> Figure:
        return self.draw()

    def save(self, folder: Path) -> tuple[Path, Path]:
        """Write the PNG and the CSV of the numbers behind it. A PNG already there that was
        drawn from the same inputs (its ``Source`` text says so) is kept as it is: a notebook
        executed again for a sentence of commentary need not draw its charts again."""
        folder.mkdir(parents=True, exist_ok=True)
        png, csv = folder / f"{self.name}.png", folder / f"{self.name}.csv"
        if not self.key or _drawn_from(png) != self.key:
            metadata = {"Software": None, "Source": self.key or None}
            self.figure.savefig(png, dpi=DPI, bbox_inches="tight", metadata=metadata)
        self.data.to_csv(csv, index=False)
        return png, csv


def _drawn_from(png: Path) -> str | None:
    """The inputs a PNG this module saved was drawn from (its ``Source`` text)."""
    try:
        with Image.open(png) as image:
            return image.text.get("Source")
    except (OSError, ValueError):
        return None


def reusable(function: Callable[..., Chart]) -> Callable[..., Chart]:
    """A chart function whose charts carry the key of everything they are drawn from: its
    name and arguments, the package's code and matplotlib's version."""

    @wraps(function)
    def chart(*args, **kwargs) -> Chart:
        made = function(*args, **kwargs)
        try:
            arguments = hashlib.sha256(pickle.dumps((args, kwargs))).hexdigest()
        except (pickle.PicklingError, TypeError, AttributeError):
            return made  # arguments that cannot be told apart: drawn every time
        made.key = f"{function.__name__} {arguments} {code_inputs()} {matplotlib.__version__}"
        return made

    return chart


_TEXT = ".15"
_STYLE = {
    # A white background with light gridlines (seaborn's "whitegrid" at 0.9 of its "notebook"
    # sizes, written out: importing seaborn cost each kernel half a second).
    "axes.axisbelow": True,
    "axes.facecolor": "white",
    "figure.facecolor": "white",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#e8e8e8",
    "grid.linestyle": "-",
    "grid.linewidth": 1,
    "axes.edgecolor": "#b1b4b6",
    "axes.linewidth": 1.25,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.labelcolor": _TEXT,
    "text.color": _TEXT,
    "xtick.color": _TEXT,
    "ytick.color": _TEXT,
    "font.family": "DejaVu Sans",
    "font.size": 10.8,
    "axes.labelsize": 10.8,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "legend.fontsize": 9.9,
    "legend.title_fontsize": 10.8,
    "xtick.labelsize": 9.9,
    "ytick.labelsize": 9.9,
    "xtick.bottom": False,
    "ytick.left": False,
    "lines.linewidth": 1.5,
    "lines.markersize": 6,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "patch.linewidth": 1,
    # Names and labels come from the data: "$" is a pound or dollar sign, never math.
    "text.parse_math": False,
    "svg.hashsalt": "pmf",
}


def style() -> dict:
    """The rc settings every chart is drawn with (used as a context, never set globally)."""
    return dict(_STYLE)


def unit_formatter(unit: str, decimals: int = 0) -> FuncFormatter:
    """Axis labels in the KPI's unit, so a reader need not look up what 60 means."""

    def fmt(value: float, _pos: int | None = None) -> str:
        return format_number(value, unit, decimals)

    return FuncFormatter(fmt)


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


def _target_line(ax: Axes, targets: list[float], unit: str, decimals: int) -> EndLabel | None:
    """A dashed target line, a step where the target changed (half way between the last
    period of one target and the first of the next); returns its label for the line's end."""
    latest = _latest(targets)
    if latest is None:
        return None
    style = {"color": OKABE_ITO["orange"], "linestyle": (0, (6, 3)), "linewidth": 1.4}
    if len(set(targets)) == 1:
        ax.axhline(latest, **style)
    else:
        ax.step(range(len(targets)), targets, where="mid", **style)
    text = f"Target {format_number(latest, unit, decimals)}"
    return EndLabel(len(targets) - 1, latest, text, OKABE_ITO["orange"])


def _finish(
    ax: Axes, labels: list[EndLabel | None], events: Sequence[Event], from_zero: bool
) -> None:
    """What every line chart ends with: events marked, the axis from zero if asked, the
    layout fixed, then the end labels placed (they need the final layout)."""
    mark_events(ax, events)
    if from_zero:
        include_zero(ax)
    ax.figure.tight_layout()
    place_end_labels(ax, [label for label in labels if label is not None])


def _with_events(data: pd.DataFrame, events: Sequence[Event]) -> pd.DataFrame:
    """The numbers behind a chart with each row's events, when the chart marks any."""
    if not events:
        return data
    column = ["; ".join(e.text() for e in events if e.x == i) for i in range(len(data))]
    return data.assign(event=column)


def _period_axis(ax: Axes, labels: list[str]) -> None:
    # As many labels as fit across the chart without touching (about 70 characters).
    most = max(3, 70 // (max(len(label) for label in labels) + 3))
    step = max(1, -(-len(labels) // most))
    ticks = list(range(0, len(labels), step))
    if ticks[-1] != len(labels) - 1:
        # Always label the latest period; drop a neighbour that would collide with it.
        if len(labels) - 1 - ticks[-1] < max(2, step * 0.6):
            ticks.pop()
        ticks.append(len(labels) - 1)
    ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=0, fontsize=8)
    ax.set_xlim(-0.5, len(labels) - 0.5 + max(1.5, len(labels) * 0.18))


@reusable
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

    def draw() -> Figure:
        with matplotlib.rc_context(style()):
            fig = Figure(figsize=FIGSIZE)
            ax = fig.subplots()
            x = list(range(len(labels)))
            ends: list[EndLabel | None] = []
            for column in columns:
                spec = SERIES_STYLE[column]
                # Plain matplotlib: a missing figure breaks the line instead of bridging it.
                ax.plot(x, history[column].to_numpy(), markersize=5, **spec)
                last = history[column].last_valid_index()
                if last is not None:
                    pos = labels.index(history.loc[last, "period_label"])
                    y = history.loc[last, column]
                    ends.append(EndLabel(pos, y, names[column], spec["color"]))
            ends.append(_target_line(ax, targets, unit, decimals))
            _period_axis(ax, labels)
            ax.yaxis.set_major_formatter(unit_formatter(unit, decimals))
            _finish(ax, ends, events, from_zero)
        return fig

    data = history[["period_label", *columns]].rename(columns={"period_label": "period", **names})
    if _latest(targets) is not None:
        data = data.assign(target=targets)
    alt = describe_trend(history, unit, decimals, targets, judgement, subject)
    return Chart(name, draw, alt + describe_events(events), _with_events(data, events), events)


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


@reusable
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
    x = list(range(len(labels)))

    def draw() -> Figure:
        with matplotlib.rc_context(style()):
            fig = Figure(figsize=FIGSIZE)
            ax = fig.subplots()
            ax.plot(
                x, spc["value"], color=OKABE_ITO["grey"], marker="o", markersize=4, linewidth=1.4
            )
            ax.plot(x, spc["mean"], color=OKABE_ITO["black"], linewidth=1.2)
            for column in ("lpl", "upl"):
                ax.plot(x, spc[column], color=OKABE_ITO["grey"], linestyle="--", linewidth=1.1)
            ends = [
                EndLabel(x[-1], spc["upl"].iloc[-1], "Upper limit", OKABE_ITO["grey"]),
                EndLabel(x[-1], spc["lpl"].iloc[-1], "Lower limit", OKABE_ITO["grey"]),
                EndLabel(x[-1], spc["mean"].iloc[-1], "Mean", OKABE_ITO["black"]),
            ]
            for kind, spec in SPECIAL_STYLE.items():
                points = spc[spc["special"] == kind]
                if not points.empty:
                    ax.scatter(
                        [labels.index(p) for p in points["period_label"]],
                        points["value"],
                        s=60,
                        zorder=5,
                        color=spec["color"],
                        marker=spec["marker"],
                        label=spec["label"],
                    )
            ends.append(_target_line(ax, per_period(target, len(labels)), unit, decimals))
            if any((spc["special"] != "").tolist()):
                ax.legend(loc="upper left", fontsize=8, frameon=False)
            _period_axis(ax, labels)
            ax.yaxis.set_major_formatter(unit_formatter(unit, decimals))
            _finish(ax, ends, events, from_zero)
        return fig

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
    return Chart(name, draw, alt + describe_events(events), _with_events(data, events), events)


@reusable
def benchmark_chart(
    name: str, comparisons: pd.DataFrame, unit: str, decimals: int, subject: str
) -> Chart:
    """Horizontal bars: this council beside England, the region and the neighbours.

    ``comparisons`` has ``area`` and ``value`` columns, this council's row first.
    """
    known = comparisons.dropna(subset=["value"]).reset_index(drop=True)

    def draw() -> Figure:
        with matplotlib.rc_context(style()):
            fig = Figure(figsize=(FIGSIZE[0], 0.55 * len(known) + 0.9))
            ax = fig.subplots()
            colours = [OKABE_ITO["blue"]] + [OKABE_ITO["grey"]] * (len(known) - 1)
            rows = range(len(known))
            ax.barh(rows, known["value"], height=0.8, color=colours)
            ax.set_yticks(rows, known["area"])
            ax.set_ylim(len(known) - 0.5, -0.5)  # this council's bar on top
            ax.yaxis.grid(False)
            for patch in ax.patches[1:]:
                patch.set_hatch("//")
                patch.set_edgecolor("white")
            for i, value in enumerate(known["value"]):
                ax.annotate(
                    format_number(value, unit, decimals),
                    xy=(value, i),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                )
            ax.xaxis.set_major_formatter(unit_formatter(unit, decimals))
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.set_xlim(0, known["value"].max() * 1.18 if len(known) else 1)
            fig.tight_layout()
        return fig

    fmt = lambda v: format_number(v, unit, decimals)  # noqa: E731
    alt = (
        f"Bar chart comparing {subject}: "
        + "; ".join(f"{row.area} {fmt(row.value)}" for row in known.itertuples())
        + "."
    )
    return Chart(name, draw, alt, known)
