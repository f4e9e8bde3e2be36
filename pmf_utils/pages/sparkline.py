"""Sparklines: a KPI's recent figures and its target as a small SVG line for its dashboard card.

A card has room for a line a few centimetres wide, not for a chart with axes, so the sparkline
shows the shape of the recent series only: the figures as a line (a gap where one is missing),
the latest figure as a dot, and the target as it was in each period as a dashed line (a step
where it changed). The numbers are in the card's words and on the KPI's page; the sparkline's
text alternative says what the line shows (span, first and latest figure, range, target), so
no reader depends on the picture. It is drawn as SVG here rather than with matplotlib: a few
hundred bytes of vector graphics that stay sharp in the booklets and on any screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pmf_utils.judge import vocabulary as v
from pmf_utils.pages import markdown as md
from pmf_utils.pages.svg import finite, path, target_steps, value_runs, write_whole

WIDTH, HEIGHT = 160, 44
"""The drawing's size in CSS pixels; pages scale it to the card."""
_PAD = 5
LINE = "#12365c"
"""The figures' line: the report's brand blue (11.9:1 on white)."""


@dataclass(frozen=True)
class Sparkline:
    """A KPI's recent figures, the target in force for each, and how to print a figure."""

    name: str
    """The file name without suffix, e.g. ``HFA04-spark``."""
    periods: Sequence[str]
    values: Sequence[float]
    targets: Sequence[float]
    describe: Callable[[float], str]
    """A figure as the page prints it (unit and decimals)."""
    latest_colour: str = LINE
    """The latest dot's colour: the KPI's status colour (the card says the status in words)."""

    def alt(self) -> str:
        """What the line shows, in words: the text alternative of the picture."""
        known = [(p, x) for p, x in zip(self.periods, self.values, strict=True) if finite(x)]
        if not known:
            return f"No figures for {self.periods[0]} to {self.periods[-1]}."
        (first_period, first), (last_period, last) = known[0], known[-1]
        shown = [x for _, x in known]
        words = (
            f"Recent figures, {self.periods[0]} to {self.periods[-1]}: "
            f"{self.describe(first)} in {first_period}, {self.describe(last)} in {last_period}"
        )
        if len(known) > 2:
            words += f"; lowest {self.describe(min(shown))}, highest {self.describe(max(shown))}"
        targets = [t for t in self.targets if finite(t)]
        if targets:
            first_target, last_target = targets[0], targets[-1]
            words += (
                f"; target {self.describe(last_target)}"
                if first_target == last_target
                else f"; target {self.describe(first_target)} then {self.describe(last_target)}"
            )
        return words + "."

    def svg(self) -> str:
        """The sparkline as a standalone SVG document, its text alternative as title and label."""
        numbers = [x for x in (*self.values, *self.targets) if finite(x)]
        low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
        if high == low:
            low, high = low - 1, high + 1
        count = len(self.values)

        def x(i: float) -> float:
            return _PAD + (WIDTH - 2 * _PAD) * (i / (count - 1) if count > 1 else 0.5)

        def y(value: float) -> float:
            return _PAD + (HEIGHT - 2 * _PAD) * (high - value) / (high - low)

        dashes = f'stroke="{v.QUIET}" stroke-width="1.5" stroke-dasharray="4 3"'
        parts = [
            path(target_steps(self.targets, x, y), dashes),
            path(value_runs(self.values, x, y), f'stroke="{LINE}" stroke-width="2"'),
        ]
        last = next((i for i in reversed(range(count)) if finite(self.values[i])), None)
        if last is not None:
            parts.append(
                f'<circle cx="{x(last):.1f}" cy="{y(self.values[last]):.1f}" r="3.5" '
                f'fill="{self.latest_colour}" stroke="{LINE}" stroke-width="1"/>'
            )
        words = self.alt()
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={quoteattr(words)}>'
            f"<title>{escape(words)}</title>{''.join(parts)}</svg>\n"
        )

    def save(self, folder: Path) -> md.Markdown:
        """Write ``<name>.svg`` into ``folder`` (whole, so a reader never sees half of it) and
        return the markdown image, its text alternative the words of ``alt``."""
        path = write_whole(folder, f"{self.name}.svg", self.svg())
        return md.Markdown(f"![{md.text(self.alt())}]({path.as_posix()}){{.pmf-spark}}")
