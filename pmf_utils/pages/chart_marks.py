"""What a chart says in words on its face: labels at the ends of its lines, numbered marks for
events and interventions, and an axis from zero when the analyst asks for one.

The Government Analysis Function asks for lines labelled directly rather than in a legend; lines
that end close together (England, the region and the neighbours often do) would print their
labels on top of each other, so the labels are spread apart vertically, each still beside the
end of its own line. Events come from ``annotations.csv``: data text, so the chart carries only
their numbers and the page lists the words beneath it (``markdown`` escapes them there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from pmf_utils.data.periods import format_period
from pmf_utils.pages import markdown as md
from pmf_utils.pages.svg import EVENT_COLOUR, PT, Frame, Label

LABEL_SIZE = 9 * PT
"""The size of every label on a chart's face (9 points)."""
LABEL_GAP = LABEL_SIZE * 1.3
"""Between the centres of two end labels, so that neither overlaps the other."""


@dataclass(frozen=True)
class EndLabel:
    """Words beside the last point of a line, in the line's colour."""

    x: float
    y: float
    text: str
    colour: str


@dataclass(frozen=True)
class Event:
    """An event or intervention marked on a chart: its number in the KPI's list, where it falls
    on the chart's period axis (a half position when it falls between two points), and the
    period and label as the page lists them."""

    number: int
    x: float
    period: str
    label: str

    def text(self) -> str:
        return f"{self.number}: {self.period}, {self.label}"


def end_labels(frame: Frame, labels: Sequence[EndLabel], height: float) -> list[Label]:
    """Each label just right of its line's end, spread apart vertically only as far as
    needed to keep ``LABEL_GAP`` between neighbours, all within the picture's ``height``."""
    wanted = [frame.y(label.y) for label in labels]
    placed = spread(wanted, LABEL_GAP)
    if placed:
        edge = LABEL_SIZE / 2 + 1
        shift = max(0.0, edge - min(placed)) - max(0.0, max(placed) - (height - edge))
        placed = [y + shift for y in placed]
    return [
        Label(label.text, frame.x(label.x) + 8, y, LABEL_SIZE, label.colour, role="end")
        for label, y in zip(labels, placed, strict=True)
    ]


def spread(wanted: Sequence[float], gap: float) -> list[float]:
    """Positions as near ``wanted`` as can be with ``gap`` between any two: labels that would
    overlap form a group centred where its members wanted to be, and groups that then overlap
    merge."""
    groups: list[list[int]] = []
    for i in sorted(range(len(wanted)), key=wanted.__getitem__):
        groups.append([i])
        while (
            len(groups) > 1
            and _bottom(groups[-1], wanted, gap) < _top(groups[-2], wanted, gap) + gap
        ):
            groups[-2:] = [groups[-2] + groups[-1]]
    placed = [0.0] * len(wanted)
    for group in groups:
        for k, i in enumerate(group):
            placed[i] = _bottom(group, wanted, gap) + k * gap
    return placed


def _bottom(group: list[int], wanted: Sequence[float], gap: float) -> float:
    centre = sum(wanted[i] for i in group) / len(group)
    return centre - (len(group) - 1) * gap / 2


def _top(group: list[int], wanted: Sequence[float], gap: float) -> float:
    return _bottom(group, wanted, gap) + (len(group) - 1) * gap


def event_marks(events: Sequence[Event]) -> list[tuple[float, str]]:
    """Where each event is marked (a dotted upright line) and the numbers printed in a ring
    above the plot; events of the same period share one mark ('1, 2')."""
    by_x: dict[float, list[int]] = {}
    for event in events:
        by_x.setdefault(event.x, []).append(event.number)
    return [(x, ", ".join(str(n) for n in numbers)) for x, numbers in by_x.items()]


def event_labels(frame: Frame, marks: Sequence[tuple[float, str]]) -> list[Label]:
    """The numbers of ``event_marks`` in their rings, above the plotting area."""
    return [
        Label(
            text,
            frame.x(x),
            frame.top - 13,
            LABEL_SIZE,
            EVENT_COLOUR,
            anchor="middle",
            bold=True,
            boxed=True,
            role="event",
        )
        for x, text in marks
    ]


def describe_events(events: Sequence[Event]) -> str:
    """The events for a chart's alt text ('' when there are none)."""
    if not events:
        return ""
    return " Events marked: " + "; ".join(event.text() for event in events) + "."


def events_on(annotations: pd.DataFrame, periods: Sequence[pd.Period]) -> list[Event]:
    """The events of one KPI's ``annotations`` (in period order, each numbered by its place
    there, so a chart showing fewer years keeps the numbers) that fall within a chart's
    ``periods``: at a point's position, or half way between the points either side."""
    found = []
    rows = zip(annotations["period"], annotations["label"], strict=True)
    for number, (period, label) in enumerate(rows, start=1):
        if not len(periods) or not periods[0] <= period <= periods[-1]:
            continue
        later = next(i for i, p in enumerate(periods) if p >= period)
        x = later if periods[later] == period else later - 0.5
        found.append(Event(number, x, format_period(period), label))
    return found


def event_list(events: Sequence[Event]) -> md.Markdown:
    """The words of a chart's numbered marks, as a list to print beneath it ('' for none)."""
    if not events:
        return md.Markdown("")
    items = [f"{e.number}. {md.text(f'{e.period}: {e.label}')}" for e in events]
    return md.Markdown("Events marked on the chart:\n\n" + "\n".join(items))
