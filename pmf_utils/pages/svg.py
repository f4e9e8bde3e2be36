"""A small SVG plotting surface for the report's charts, so a quarter's 142 charts cost
milliseconds rather than matplotlib's tenth of a second each (most of a cold run's time).

A ``Plot`` holds what a chart shows in the chart's own terms (lines and points in data
coordinates, bars, labels) and, once ``charts`` has laid it out, where everything goes. The
helpers here serve that layout: ``text_width`` measures words in the DejaVu Sans the booklets
use, ``nice_ticks`` picks round value-axis ticks. ``document`` writes a standalone SVG: vector
graphics that stay sharp on any screen and in the PDF, with every word from the data escaped,
so a name like ``<b>&`` is printed as written and never breaks the picture.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import ImageFont

WIDTH, HEIGHT = 760.0, 340.0
"""A chart's size in SVG units (CSS pixels at 100 to the inch); pages scale it to fit."""
PT = 100 / 72
"""SVG units to a typographic point, so sizes read as they did in points."""
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#262626"
AXIS = "#b1b4b6"
GRID = "#e8e8e8"
EVENT_COLOUR = "#595959"
TICK_SIZE = 8 * PT
VALUE_TICK_SIZE = 9.9 * PT
_FONT_FILE = files("pmf_utils") / "resources" / "_extensions" / "pmf" / "fonts"

Point = tuple[float, float]


@cache
def _face(bold: bool) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(_FONT_FILE / name), 100)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """How wide ``text`` is at ``size`` units in DejaVu Sans (a browser without that font uses
    a narrower one, so the margins made from this always fit)."""
    return _face(bold).getlength(text) * size / 100


def finite(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def value_runs(
    values: Sequence[float], x: Callable[[float], float], y: Callable[[float], float]
) -> list[list[Point]]:
    """The figures as runs of joined points: a missing figure breaks the line."""
    runs: list[list[Point]] = [[]]
    for i, value in enumerate(values):
        if finite(value):
            runs[-1].append((x(i), y(value)))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def target_steps(
    targets: Sequence[float], x: Callable[[float], float], y: Callable[[float], float]
) -> list[list[Point]]:
    """The target as level steps: each period's target from half a period before it to half a
    period after (a step where it changed); no line where there was no target."""
    half = 0.5 if len(targets) > 1 else 0.0
    runs: list[list[Point]] = [[]]
    for i, target in enumerate(targets):
        if not finite(target):
            if runs[-1]:
                runs.append([])
            continue
        start, end = max(0, i - half), min(len(targets) - 1, i + half)
        for point in ((x(start), y(target)), (x(end), y(target))):
            if not runs[-1] or runs[-1][-1] != point:
                runs[-1].append(point)
    return [run for run in runs if run]


def path(runs: list[list[Point]], stroke: str) -> str:
    """One SVG path for several runs of points (a lone point drawn as a short tick)."""
    commands = []
    for run in runs:
        if len(run) == 1:
            ((px, py),) = run
            run = [(px - 1.5, py), (px + 1.5, py)]
        commands.append("M" + " L".join(f"{px:.1f},{py:.1f}" for px, py in run))
    if not commands:
        return ""
    return f'<path d="{" ".join(commands)}" fill="none" {stroke}/>'


def write_whole(folder: Path, name: str, text: str) -> Path:
    """Write ``folder/name`` whole (a reader never sees half of it), and not at all when it
    already holds ``text``: a notebook executed again leaves its unchanged pictures as they
    were."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    try:
        if target.read_text("utf-8") == text:
            return target
    except (OSError, UnicodeDecodeError):
        pass
    # A plain open, not tempfile's (mode 0600): a web server reads what is published.
    partial = folder / f".{name}.{os.getpid()}.tmp"
    partial.write_text(text, "utf-8")
    os.replace(partial, target)
    return target


def nice_ticks(low: float, high: float, most: int = 6, least_step: float = 0.0) -> list[float]:
    """Round values from ``low`` to ``high`` for an axis: steps of 1, 2, 2.5 or 5 times a
    power of ten, at most ``most`` of them, no step finer than ``least_step`` (a figure shown
    to no decimals gets no ticks at 72.5 printed as 73)."""
    span = high - low
    raw = max(span / max(most - 1, 1), least_step, 1e-12)
    power = 10 ** math.floor(math.log10(raw))
    steps = [m * power for m in (1, 2, 2.5, 5, 10)]
    # A step the figures' precision can print: 2.5 shown to no decimals would read as 2 or 3.
    printable = [s for s in steps if not least_step or _whole(s / least_step)]
    step = next(s for s in printable if s >= raw * (1 - 1e-9))
    first = math.ceil(low / step - 1e-9) * step
    count = int(math.floor((high - first) / step + 1e-9)) + 1
    return [round(first + i * step, 12) for i in range(max(count, 0))]


def _whole(ratio: float) -> bool:
    return abs(ratio - round(ratio)) < 1e-6


# Dash patterns in multiples of the line's width, as matplotlib draws them.
DASHES = {"-": (), "--": (3.7, 1.6), ":": (1, 1.65), "-.": (6.4, 1.6, 1, 1.6), "target": (4.3, 2.1)}


@dataclass
class Line:
    """A line through one value per period (NaN breaks it), with its style: ``step`` draws
    each value as a level half a period either side, ``across`` one level from the axis to
    the last period; ``role`` says what the line is."""

    ys: list[float]
    colour: str
    width: float = 1.5
    """Points."""
    dash: str = "-"
    marker: str | None = None
    size: float = 6
    """The marker's size in points."""
    step: bool = False
    across: bool = False
    role: str = ""


@dataclass
class Label:
    """Words placed on the plot, at a position in SVG units (set when the plot is laid out)."""

    text: str
    x: float
    y: float
    size: float
    colour: str = INK
    anchor: str = "start"
    bold: bool = False
    boxed: bool = False
    role: str = ""


@dataclass
class Bar:
    """A horizontal bar, one to a row from the top: its value and colour; ``hatched`` for
    context (the row's name and figure are labels)."""

    value: float
    colour: str
    hatched: bool = False


@dataclass
class Frame:
    """The plotting area's edges in SVG units, and the data range it shows."""

    left: float
    top: float
    right: float
    bottom: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def x(self, value: float) -> float:
        low, high = self.xlim
        return self.left + (self.right - self.left) * (value - low) / (high - low)

    def y(self, value: float) -> float:
        low, high = self.ylim
        return self.bottom - (self.bottom - self.top) * (value - low) / (high - low)


@dataclass
class Plot:
    """What a line or bar chart shows, placed by ``charts`` (its ``frame``, ticks and labels);
    ``drawing`` and ``document`` write it."""

    width: float = WIDTH
    height: float = HEIGHT
    lines: list[Line] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    yticks: list[tuple[float, str]] = field(default_factory=list)
    legend: list[tuple[str, str, str]] = field(default_factory=list)
    """(words, colour, marker) for the markers that need a key."""
    events: list[tuple[float, str]] = field(default_factory=list)
    """(x, numbers) of each event mark: a dotted upright line and its numbers above the plot."""
    frame: Frame | None = None

    @property
    def ylim(self) -> tuple[float, float]:
        assert self.frame is not None, "lay the plot out first"
        return self.frame.ylim

    def add(self, line: Line) -> Line:
        self.lines.append(line)
        return line

    def texts(self, role: str | None = None) -> list[str]:
        return [label.text for label in self.labels if role is None or label.role == role]

    def drawing(self) -> str:
        """The plot's SVG elements, in its own units."""
        assert self.frame is not None, "lay the plot out first"
        frame = self.frame
        parts = [f'<rect width="{self.width:.1f}" height="{self.height:.1f}" fill="white"/>']
        for value, _ in self.yticks:
            y = frame.y(value)
            parts.append(_hline(frame.left, frame.right, y, GRID, 1.0))
        for x, _ in self.events:
            px = frame.x(x)
            parts.append(
                f'<path d="M{px:.1f},{frame.top:.1f} V{frame.bottom:.1f}" stroke="{EVENT_COLOUR}" '
                f'stroke-width="{1.1 * PT:.2f}" stroke-dasharray="{_dashes(":", 1.1)}" '
                'stroke-linecap="round"/>'
            )
        parts.extend(_bar(bar, i, frame) for i, bar in enumerate(self.bars))
        parts.extend(_line(line, frame) for line in self.lines)
        axis = f'stroke="{AXIS}" stroke-width="{1.25 * PT:.2f}"'
        parts.append(
            f'<path d="M{frame.left:.1f},{frame.top:.1f} V{frame.bottom:.1f} '
            f'H{frame.right:.1f}" fill="none" {axis}/>'
        )
        parts.extend(_label(label) for label in self.labels)
        places = self.legend_places(frame.left)
        for (words, colour, kind), (x, y) in zip(self.legend, places, strict=True):
            parts.append(marker(kind, x + 5, y, 8 * PT, colour))
            parts.append(_label(Label(words, x + 14, y, TICK_SIZE, role="legend")))
        return "".join(p for p in parts if p)

    def legend_places(self, left: float) -> list[Point]:
        """Where each key entry starts: in rows beneath the period labels from ``left``, a new
        row when the next would run off the picture."""
        places: list[Point] = []
        x, row = left, 0
        for words, _, _ in self.legend:
            wide = 14 + text_width(words, TICK_SIZE) + 22
            if places and x + wide > self.width:
                x, row = left, row + 1
            places.append((x, row))
            x += wide
        rows = max((r for _, r in places), default=0) + 1
        return [(x, self.height - 14 - (rows - 1 - r) * LEGEND_ROW) for x, r in places]

    def legend_rows(self, left: float) -> int:
        """How many rows the key needs from ``left`` (0 without one)."""
        return len({y for _, y in self.legend_places(left)})


LEGEND_ROW = 18
NARROW = 1.9
"""How much larger a chart's words are drawn when the picture is shown small (a phone): the
narrow layout is the same chart laid out on a canvas this much smaller, then enlarged."""
SHOWN_NARROW = 560
"""Shown this many CSS pixels wide or fewer, a picture switches to its narrow layout."""


def document(wide: Plot, narrow: Plot | None = None) -> str:
    """A standalone SVG document of ``wide``; with ``narrow`` (the same chart laid out on a
    canvas ``NARROW`` times smaller), that layout enlarged takes its place when the picture
    is shown ``SHOWN_NARROW`` pixels wide or fewer, so its words stay legible on a phone. The
    switch is a CSS media query inside the SVG: browsers apply it to the picture's own width;
    Typst ignores it and prints the wide layout."""
    body = wide.drawing()
    style = defs = ""
    if narrow is not None:
        scale = wide.width / narrow.width
        style = (
            f"<style>.pmf-narrow{{display:none}}@media (max-width: {SHOWN_NARROW}px)"
            "{.pmf-wide{display:none}.pmf-narrow{display:inline}}</style>"
        )
        body = (
            f'<g class="pmf-wide">{body}</g><g class="pmf-narrow" '
            f'transform="scale({scale:.4f})">{narrow.drawing()}</g>'
        )
    if wide.bars:
        defs = _HATCH
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {wide.width:.0f} '
        f'{wide.height:.0f}" width="{wide.width:.0f}" height="{wide.height:.0f}" '
        f'font-family="{FONT}">{style}{defs}{body}</svg>\n'
    )


_HATCH = (
    '<defs><pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse">'
    '<path d="M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6" stroke="white" stroke-width="1.5"/>'
    "</pattern></defs>"
)


def _dashes(dash: str, width: float) -> str:
    return " ".join(f"{d * width * PT:.1f}" for d in DASHES[dash])


def _hline(left: float, right: float, y: float, colour: str, width: float) -> str:
    return f'<path d="M{left:.1f},{y:.1f} H{right:.1f}" stroke="{colour}" stroke-width="{width}"/>'


def _line(line: Line, frame: Frame) -> str:
    x = frame.x
    stroke = f'stroke="{line.colour}" stroke-width="{line.width * PT:.2f}"'
    if DASHES[line.dash]:
        stroke += f' stroke-dasharray="{_dashes(line.dash, line.width)}"'
    stroke += ' stroke-linecap="round" stroke-linejoin="round"'
    if line.across:
        # From the axis to the last period, where the line's label begins.
        level = frame.y(line.ys[-1])
        runs = [[(frame.left, level), (frame.x(len(line.ys) - 1), level)]]
    else:
        runs = (target_steps if line.step else value_runs)(line.ys, x, frame.y)
    drawn = [path(runs, stroke)] if line.width else []
    if line.marker:
        points = [(x(i), frame.y(v)) for i, v in enumerate(line.ys) if finite(v)]
        drawn.extend(marker(line.marker, px, py, line.size * PT, line.colour) for px, py in points)
    return "".join(drawn)


def marker(kind: str, x: float, y: float, size: float, colour: str) -> str:
    """A point's marker: o circle, s square, ^ and v triangles, D diamond (shapes, so that no
    meaning rests on colour alone)."""
    r = size / 2
    fill = f'fill="{colour}"'
    if kind == "o":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.2f}" {fill}/>'
    shapes = {
        "s": [(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
        "^": [(0, -1.2), (1.05, 0.75), (-1.05, 0.75)],
        "v": [(0, 1.2), (1.05, -0.75), (-1.05, -0.75)],
        "D": [(0, -1.2), (0.9, 0), (0, 1.2), (-0.9, 0)],
    }
    corners = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in shapes[kind])
    return f'<polygon points="{corners}" {fill}/>'


def _bar(bar: Bar, row: int, frame: Frame) -> str:
    top, bottom = frame.y(row - 0.4), frame.y(row + 0.4)
    x0, x1 = frame.x(0), frame.x(bar.value)
    left, width = min(x0, x1), abs(x1 - x0)
    box = f'x="{left:.1f}" y="{min(top, bottom):.1f}" width="{width:.1f}" '
    box += f'height="{abs(bottom - top):.1f}"'
    drawn = f'<rect {box} fill="{bar.colour}"/>'
    if bar.hatched:
        drawn += f'<rect {box} fill="url(#hatch)"/>'
    return drawn


def _label(label: Label) -> str:
    weight = ' font-weight="bold"' if label.bold else ""
    text = (
        f'<text x="{label.x:.1f}" y="{label.y:.1f}" font-size="{label.size:.1f}" '
        f'fill="{label.colour}" text-anchor="{label.anchor}" dominant-baseline="central"'
        f"{weight}>{escape(label.text)}</text>"
    )
    if not label.boxed:
        return text
    width = text_width(label.text, label.size, label.bold) + 8
    height = label.size + 6
    return (
        f'<rect x="{label.x - width / 2:.1f}" y="{label.y - height / 2:.1f}" '
        f'width="{width:.1f}" height="{height:.1f}" rx="4" fill="white" '
        f'stroke="{label.colour}"/>' + text
    )
