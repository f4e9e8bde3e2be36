"""Pandoc markdown for report pages: tables, links and notices.

Pages are written as markdown (not HTML) so that Quarto and the built-in engine turn the same
text into web pages and Typst booklets. Tables are pipe tables with a caption and with number
columns right-aligned, which pandoc renders as ``<table>`` with ``<caption>`` and ``<th>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd


def escape(text: object) -> str:
    """A table cell's text: pipes escaped, line breaks folded, missing shown as a dash."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return "–"
    return str(text).replace("|", "\\|").replace("\n", " ").strip() or "–"


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _width(texts: Sequence[str]) -> int:
    """How wide a column wants to be: its longest text as read (links by their words), within
    bounds, so a long name gets room and a status word does not."""
    return min(40, max(4, *(len(_LINK.sub(r"\1", t)) for t in texts)))


def table(frame: pd.DataFrame, caption: str, right: Sequence[str] = ()) -> str:
    """A pipe table with a caption; columns named in ``right`` are right-aligned (numbers).

    The dashes under each header are in proportion to the column's content: pandoc reads them
    as relative widths when a table is wider than a line, in web pages and PDFs alike.
    """
    cells = [[escape(v) for v in row] for row in frame.itertuples(index=False)]
    headers = [escape(c) for c in frame.columns]
    widths = [_width([h, *(row[i] for row in cells)]) for i, h in enumerate(headers)]
    rule = "|".join(
        "-" * (w - 1) + ":" if c in right else ":" + "-" * (w - 1)
        for c, w in zip(frame.columns, widths, strict=True)
    )
    lines = ["| " + " | ".join(row) + " |" for row in [headers, *cells]]
    return "\n".join([lines[0], f"|{rule}|", *lines[1:], "", f": {caption}"])


def link(text: str, page: str, anchor: str = "") -> str:
    """A link to another page of the same quarter, by its notebook name (engines map it to
    the published page)."""
    target = f"{page}.ipynb" + (f"#{anchor}" if anchor else "")
    return f"[{escape(text)}]({target})"


def html_only(markdown: str) -> str:
    """Content for the website only (e.g. collapsible data tables), left out of the PDFs."""
    return f'::: {{.content-visible when-format="html"}}\n{markdown}\n:::'


def details(summary: str, body: str) -> str:
    """A collapsed section (closed by default) holding markdown, for the website."""
    return html_only(f"<details>\n<summary>{summary}</summary>\n\n{body}\n\n</details>")


def figure(path: str, caption: str, alt: str) -> str:
    """An image with a visible caption and a full text alternative (Quarto's ``fig-alt``)."""
    alt = alt.replace('"', "'")
    return f'![{caption}]({path}){{fig-alt="{alt}"}}'


def notice(title: str, text: str) -> str:
    """A boxed notice (a Quarto callout) that both engines render."""
    return f'::: {{.callout-important title="{title}"}}\n{text}\n:::'
