"""Pandoc markdown for report pages, with data text escaped by construction.

Pages are written as markdown (not HTML) so that Quarto and the built-in engine turn the same
text into web pages and Typst booklets. Every name, definition, note or label that comes from
the data is untrusted: it may hold ``<script>``, ``[x](javascript:...)``, Typst or LaTeX. This
module is the one place such text becomes page text. ``text()`` escapes it so pandoc reads it
as literal characters, which its HTML and Typst writers then escape for their own syntax; the
result is a ``Markdown`` string. Functions that build pages (``table``, ``link``, ``heading``,
``figure``, ``notice``, ``details``) escape every argument that is not already ``Markdown``, so
a caller can only get markup into a page by saying so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd
import yaml


class Markdown(str):
    """Text known to be pandoc markdown: written by the package, or data escaped by ``text``."""


# Front matter and _quarto.yml carry Markdown values: YAML writes them as the strings they are.
yaml.SafeDumper.add_representer(Markdown, yaml.representer.SafeRepresenter.represent_str)


MISSING = Markdown("–")

# Every ASCII punctuation character pandoc gives a meaning to somewhere (emphasis, links, raw
# HTML and entities, attributes, math, citations, tables, lists, smart dashes, headings);
# pandoc's ``all_symbols_escapable`` makes a backslash before any of them literal. Quotes,
# commas, semicolons, question marks and slashes mean nothing and are left for readability.
_SPECIAL = re.compile(r"""([!#$%&()*+\-.:<=>@\[\\\]^_`{|}~])""")


def text(value: object) -> Markdown:
    """Data text as literal page text: special characters escaped, line breaks folded.

    ``Markdown`` passes through unchanged; missing values (None, NaN) become a dash.
    """
    if isinstance(value, Markdown):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return MISSING
    folded = " ".join(str(value).split())
    return Markdown(_SPECIAL.sub(r"\\\1", folded)) if folded else MISSING


def attribute(value: object) -> str:
    """Text for a quoted pandoc attribute (``fig-alt="..."``): one line, quotes escaped."""
    folded = " ".join(str(value).split())
    return folded.replace("\\", "\\\\").replace('"', '\\"')


def _cell(value: object) -> str:
    # A table row is one line (``text`` escapes a pipe in data, which would end a cell).
    return text(value).replace("\n", " ")


_LINK = re.compile(r"\[((?:\\.|[^\]])*)\]\([^)]*\)")


def _width(texts: Sequence[str]) -> int:
    """How wide a column wants to be: its longest text as read (links by their words, no
    escapes), within bounds, so a long name gets room and a status word does not."""
    return min(40, max(4, *(len(re.sub(r"\\(.)", r"\1", _LINK.sub(r"\1", t))) for t in texts)))


def table(frame: pd.DataFrame, caption: object, right: Sequence[str] = ()) -> Markdown:
    """A pipe table with a caption; columns named in ``right`` are right-aligned (numbers).

    Cells and headers that are not ``Markdown`` are escaped. The dashes under each header are
    in proportion to the column's content: pandoc reads them as relative widths when a table is
    wider than a line, in web pages and PDFs alike.
    """
    cells = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    headers = [_cell(c) for c in frame.columns]
    widths = [_width([h, *(row[i] for row in cells)]) for i, h in enumerate(headers)]
    rule = "|".join(
        "-" * (w - 1) + ":" if c in right else ":" + "-" * (w - 1)
        for c, w in zip(frame.columns, widths, strict=True)
    )
    lines = ["| " + " | ".join(row) + " |" for row in [headers, *cells]]
    return Markdown("\n".join([lines[0], f"|{rule}|", *lines[1:], "", f": {text(caption)}"]))


def link(words: object, page: str, anchor: str = "") -> Markdown:
    """A link to another page of the same quarter, by its notebook name (engines map it to
    the published page). ``page`` and ``anchor`` are ids the package made, never data text."""
    target = f"{page}.ipynb" + (f"#{anchor}" if anchor else "")
    return Markdown(f"[{text(words)}]({target})")


def heading(level: int, words: object, anchor: str = "") -> Markdown:
    """An ATX heading; ``anchor`` (an id the package made) gives it a stable identifier."""
    return Markdown(f"{'#' * level} {text(words)}" + (f" {{#{anchor}}}" if anchor else ""))


def html_only(markdown: Markdown) -> Markdown:
    """Content for the website only (e.g. collapsible data tables), left out of the PDFs."""
    return Markdown(f'::: {{.content-visible when-format="html"}}\n{markdown}\n:::')


def details(summary: object, body: Markdown) -> Markdown:
    """A collapsed section (closed by default) holding markdown, for the website."""
    return html_only(
        Markdown(f"<details>\n<summary>{text(summary)}</summary>\n\n{body}\n\n</details>")
    )


def figure(path: str, caption: object, alt: object) -> Markdown:
    """An image with a visible caption and a full text alternative (Quarto's ``fig-alt``)."""
    return Markdown(f'![{text(caption)}]({path}){{fig-alt="{attribute(alt)}"}}')


def notice(title: object, body: object) -> Markdown:
    """A boxed notice (a Quarto callout) that both engines render."""
    return Markdown(
        f'::: {{.callout-important title="{attribute(text(title))}"}}\n{text(body)}\n:::'
    )
