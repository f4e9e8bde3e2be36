"""Pandoc markdown for report pages: tables, links and notices.

Pages are written as markdown (not HTML) so that Quarto and the built-in engine turn the same
text into web pages and Typst booklets. Tables are pipe tables with a caption and with number
columns right-aligned, which pandoc renders as ``<table>`` with ``<caption>`` and ``<th>``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def escape(text: object) -> str:
    """A table cell's text: pipes escaped, line breaks folded, missing shown as a dash."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return "–"
    return str(text).replace("|", "\\|").replace("\n", " ").strip() or "–"


def table(frame: pd.DataFrame, caption: str, right: Sequence[str] = ()) -> str:
    """A pipe table with a caption; columns named in ``right`` are right-aligned (numbers)."""
    header = "| " + " | ".join(escape(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---:" if c in right else ":---" for c in frame.columns) + "|"
    rows = [
        "| " + " | ".join(escape(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join([header, rule, *rows, "", f": {caption}"])


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
