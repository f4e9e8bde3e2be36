"""Making Data Count icons: a KPI's SPC variation and assurance at a glance, drawn as SVG.

Readers of NHS and council board reports know NHS England's Making Data Count (MDC) icons: a
white disc in a thick coloured ring with a bold letter and a small picture of the data. The
variation icon shows a line of dots (the latest ones raised or lowered, in colour, for a
special cause high or low); the assurance icon a dashed target line and the process beside it.
They are drawn here in the project's own geometry, from the judgement vocabulary: each icon's
colour, letter and words are those of its value in ``pmf_utils.judge.vocabulary``, so there is one
definition of what a judgement looks like. MDC's own shades are too light for WCAG 1.4.11
(orange #FF6600 is 2.9:1 on white, grey #BFBFBF 1.8:1); the vocabulary's colours are all 3:1 or
more (``contrast`` measures it, the tests check it).

An icon never stands alone: its words are its text alternative, inside the SVG (``<title>``,
``role="img"``, ``aria-label``) for inline use and as the alt text of the markdown image the
report pages carry (``image``), which both publishing engines and Jupyter display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pmf_utils.judge import vocabulary as v
from pmf_utils.pages import markdown as md
from pmf_utils.pages.svg import write_whole

KINDS = ("variation", "assurance")
"""The vocabulary kinds that have icons: the two MDC verdicts on a KPI's latest point."""

POLARITIES = ("higher", "lower", "none")
EMPTY = (v.NOT_ENOUGH_DATA, v.NOT_APPLICABLE)
"""Values with no verdict to picture: an empty, dashed grey ring (MDC's "no target" icon)."""

SIZE = 36
"""The icon's natural size in CSS pixels (web pages and Jupyter); booklets size it to the text."""
WHITE = "#FFFFFF"
_FONT = "DejaVu Sans, Arial, Liberation Sans, sans-serif"
_DOT_X = (28, 39, 50, 61, 72)
_DOTS = {"": (62, 44, 58, 42, 54), "H": (74, 78, 71, 62, 56), "L": (60, 56, 63, 72, 77)}
"""Heights of the five dots: common cause wanders; a signal's last two dots rise or fall."""
_PROCESS = {v.PASSING: 58, v.FAILING: 76}
_TARGET = {v.PASSING: 74, v.FAILING: 60, v.HIT_AND_MISS: 67}
"""Where the grey process line and the dashed target line sit: the process clear of the target
on the good side (pass), on the bad side (fail), or across it (hit and miss)."""


@dataclass(frozen=True)
class Icon:
    """One icon: what it shows and the words that say it."""

    kind: str
    value: str
    letter: str
    """H or L (variation), P, F or ? (assurance); '' for common cause and the empty ring."""
    colour: str
    words: str
    name: str
    """Its file name without suffix, e.g. ``variation-special-cause-concern-high``."""

    @property
    def file(self) -> str:
        return f"icon-{self.name}.svg"

    def svg(self) -> str:
        """The icon as a standalone SVG document with its words as title and label."""
        if self.value in EMPTY:
            ring = f'stroke="{v.QUIET}" stroke-width="8" stroke-dasharray="14 7"'
            inside = ""
        else:
            ring = f'stroke="{self.colour}" stroke-width="10"'
            inside = _variation(self) if self.kind == "variation" else _assurance(self)
            if self.letter:
                inside = (
                    f'<text x="50" y="47" text-anchor="middle" font-family="{_FONT}" '
                    f'font-weight="bold" font-size="36" fill="{self.colour}">'
                    f"{escape(self.letter)}</text>{inside}"
                )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="{SIZE}" '
            f'height="{SIZE}" role="img" aria-label={quoteattr(self.words)}>'
            f"<title>{escape(self.words)}</title>"
            f'<circle cx="50" cy="50" r="43" fill="{WHITE}" {ring}/>{inside}</svg>\n'
        )


def _polyline(points: list[tuple[int, int]], extra: str = "") -> str:
    coordinates = " ".join(f"{x},{y}" for x, y in points)
    return f'<polyline points="{coordinates}" fill="none" stroke-linejoin="round" {extra}/>'


def _variation(icon: Icon) -> str:
    """The line of dots: grey, the last two in the icon's colour when there is a signal."""
    points = list(zip(_DOT_X, _DOTS[icon.letter], strict=True))
    fills = [v.QUIET] * 3 + [icon.colour if icon.letter else v.QUIET] * 2
    dots = [
        f'<circle cx="{x}" cy="{y}" r="5" fill="{fill}"/>'
        for (x, y), fill in zip(points, fills, strict=True)
    ]
    return _polyline(points, f'stroke="{v.QUIET}" stroke-width="3"') + "".join(dots)


def _assurance(icon: Icon) -> str:
    """The dashed target line in the icon's colour and the grey process beside or across it."""
    target = _TARGET[icon.value]
    level = _PROCESS.get(icon.value)
    heights = (58, 76, 60, 74, 62) if level is None else (level - 3, level + 3) * 2 + (level,)
    process = _polyline(
        list(zip(_DOT_X, heights, strict=True)), f'stroke="{v.QUIET}" stroke-width="5"'
    )
    dashes = f'stroke="{icon.colour}" stroke-width="5" stroke-dasharray="9 5"'
    return f'<line x1="14" y1="{target}" x2="86" y2="{target}" {dashes}/>{process}'


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def icon(kind: str, value: str, polarity: str = "higher") -> Icon:
    """The icon of one judgement value; the letter of a special cause follows the KPI's
    polarity (an improvement in a lower-is-better KPI is low), as its text symbol does."""
    if kind not in KINDS:
        raise KeyError(f"no icons for {kind} judgements; icons exist for {', '.join(KINDS)}")
    term = v.term(kind, value)
    symbol = v.symbol(kind, value, polarity)
    words, name = term.label, f"{kind}-{_slug(value)}"
    if v.symbol(kind, value, "higher") != v.symbol(kind, value, "lower"):
        side = "high" if symbol == "H" else "low"
        words, name = f"{words}, {side}", f"{name}-{side}"
    letter = "" if value in (*EMPTY, v.COMMON_CAUSE) else symbol
    return Icon(kind, value, letter, term.colour, words, name)


def every_icon() -> list[Icon]:
    """Each distinct icon once: every variation and assurance value under every polarity."""
    found = {
        icon(kind, value, polarity).name: icon(kind, value, polarity)
        for kind in KINDS
        for value in v.VOCABULARY[kind]
        for polarity in POLARITIES
    }
    return list(found.values())


def write(folder: Path) -> list[Path]:
    """Write every icon into ``folder``; a file already holding the same icon is left as it is.

    Notebooks of one run execute side by side and each may write the icons: a file is replaced
    whole (written aside, then renamed), so no reader ever sees half an icon.
    """
    return [write_whole(folder, item.file, item.svg()) for item in every_icon()]


_CHECKED: set[Path] = set()
"""Folders this process has written the icons into (a warm kernel runs many notebooks)."""


def image(
    kind: str, value: str, polarity: str, folder: Path, *, words_beside: bool = False
) -> md.Markdown:
    """The icon as a markdown image whose alt text is its words, writing the icons into
    ``folder`` (once per folder) so the page and Jupyter find the file beside the notebook.
    With ``words_beside`` the page says the words next to the icon, so its alt text is empty
    (decorative: a screen reader would read the words twice; the PDF marks it an artifact)."""
    item = icon(kind, value, polarity)
    return _markdown(item, "" if words_beside else item.words, folder)


def _markdown(item: Icon, words: str, folder: Path) -> md.Markdown:
    where = folder.resolve()
    if where not in _CHECKED or not (where / item.file).is_file():
        write(where)
        _CHECKED.add(where)
    alt = md.text(words) if words else ""
    return md.Markdown(f"![{alt}]({folder.as_posix()}/{item.file})")


def contrast(colour: str, background: str = WHITE) -> float:
    """The WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


_MEANING = {
    v.COMMON_CAUSE: "no signal, the latest figure is within the KPI's usual variation",
    v.IMPROVEMENT: "a signal that the KPI has changed for the better",
    v.CONCERN: "a signal that the KPI has changed for the worse",
    v.NEUTRAL_HIGH: "a signal of change in a KPI where neither direction is better",
    v.NEUTRAL_LOW: "a signal of change in a KPI where neither direction is better",
    v.NOT_ENOUGH_DATA: "fewer than 6 figures, or no target to judge against",
    v.PASSING: "the target lies beyond the process limits on the good side, so it will be met",
    v.HIT_AND_MISS: "the target lies within the process limits, so it will sometimes be met",
    v.FAILING: "the target lies beyond the process limits on the bad side, so it will be missed",
}
"""What each look tells a reader, for the key (the README's vocabulary tables say more)."""


def key(folder: Path) -> list[tuple[md.Markdown, md.Markdown]]:
    """(markdown image, its words in bold and what it means) of each look once, for a key to
    the icons, the image decorative as its words are beside it (the empty ring stands for both
    "not enough data" and "no target to assure")."""
    looks: dict[str, tuple[Icon, list[str]]] = {}
    for item in every_icon():
        _, words = looks.setdefault(item.svg().split("</title>")[1], (item, []))
        if item.words not in words:
            words.append(item.words)
    return [
        (
            _markdown(item, "", folder),
            md.Markdown(f"**{md.text('; '.join(words))}**: {md.text(_MEANING[item.value])}"),
        )
        for item, words in looks.values()
    ]
