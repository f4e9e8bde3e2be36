"""Alt text for the figures analysts draw in their own cells, checked as the run finishes.

A chart a cell displays (matplotlib, seaborn) reaches the page and the booklet as an image
output; its text alternative is the cell's ``fig-alt`` option (``#| fig-alt: "..."``), which
both publishing engines read. A figure without one gets a warning naming the notebook and cell,
and a stand-in description written into the executed notebook (never the analyst's own), so
the page still says what is there. The cell options are YAML: an analyst's option that is not
(``#| fig-alt: Reports: by ward``) would stop publishing, so it fails the notebook here instead,
naming the cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from nbformat import NotebookNode

from pmf_utils.cells import CellOptionsError, cell_options, figure_option, with_options

IMAGES = ("image/png", "image/jpeg", "image/svg+xml")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t]*(?:\{[^}\n]*\})?[ \t]*$", re.MULTILINE)


def _stand_in(caption: str, heading: str | None) -> str:
    if caption:
        return f"Chart: {caption}"
    if heading:
        return f"Chart in the section “{heading}” (its description is missing)"
    return "Chart (its description is missing)"


def describe_figures(nb: NotebookNode, notebook: str, cell_name: Callable[[int], str]) -> list[str]:
    """Give each figure without ``fig-alt`` in the executed ``nb`` a stand-in one; return a
    warning for each cell that had such figures, naming ``notebook`` and ``cell_name(index)``.
    Raises ``CellOptionsError`` (its message starting with the cell's name) for options that
    are not YAML."""
    warnings, heading = [], None
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            heading = _last_heading([cell.source], heading)
        if cell.cell_type != "code":
            continue
        try:
            options, code = cell_options(cell.source)
        except CellOptionsError as error:
            raise CellOptionsError(f"{cell_name(index)}: {error}") from None
        figures = sum(1 for o in cell.get("outputs", []) if set(o.get("data", {})) & set(IMAGES))
        given = [figure_option(options.get("fig-alt"), i) for i in range(figures)]
        if not all(given):
            captions = [figure_option(options.get("fig-cap"), i) for i in range(figures)]
            alts = [g or _stand_in(c, heading) for g, c in zip(given, captions, strict=True)]
            options["fig-alt"] = alts if figures > 1 else alts[0]
            cell.source = with_options(options, code)
            shown = next(a for g, a in zip(given, alts, strict=True) if not g)
            warnings.append(
                f"{notebook} {cell_name(index)}: a figure without alt text; add a line at the "
                'top of the cell saying what it shows, e.g. #| fig-alt: "Bar chart of ..." (the '
                f'page says "{shown}" meanwhile)'
            )
        outputs = [o.get("data", {}).get("text/markdown", "") for o in cell.get("outputs", [])]
        heading = _last_heading(outputs, heading)
    return warnings


def _last_heading(texts: list[str], heading: str | None) -> str | None:
    """The last heading of some markdown, else the one before: the section a figure is in."""
    for text in texts:
        found = _HEADING.findall("".join(text) if isinstance(text, list) else text)
        heading = re.sub(r"\\(.)", r"\1", found[-1]) if found else heading
    return heading
