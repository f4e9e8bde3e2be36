"""The A4 booklets: one per Council Plan priority per quarter, and one for the whole plan.

A booklet is itself a notebook, put together from the quarter's executed page notebooks (the
priority page with its KPI summary table, a page per KPI, and their definitions from the data
dictionary as an appendix). Quarto renders it with the ``pmf-typst`` format like any other
document; the built-in engine renders the same notebook the way Quarto does: pandoc markdown,
pandoc's Typst writer with the extension's partials and Lua filter, then the ``typst`` wheel.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import Any

import nbformat
import typst
import yaml

from pmf_utils.pages import markdown as md
from pmf_utils.pandoc import TEMPLATES, Conversion, RenderError, convert
from pmf_utils.publish.documents import (
    Document,
    Format,
    Project,
    heading_levels,
    new_cell,
    new_notebook,
    read_document,
    write_notebook,
)
from pmf_utils.publish.reuse import keep

FORMAT = "pmf-typst"
FOLDER = "booklets"


@dataclass(frozen=True)
class Part:
    """A page of the website placed in a booklet under its own heading, on a new page."""

    title: str
    anchor: str
    level: int
    cells: tuple[nbformat.NotebookNode, ...]
    fit_page: bool = False
    """Size its charts so that it fits on one page where it can (a KPI's page in a priority's
    booklet: ``pmf-fit-page`` in the extension's Typst template)."""


def definitions_part(
    dictionary: Sequence[nbformat.NotebookNode], kpi_ids: Sequence[str], title: str, level: int
) -> Part:
    """The data dictionary entries of some KPIs: the dictionary page's markdown outputs marked
    ``{"pmf": {"definition": kpi_id}}``, in the order given; the whole page when it marks none."""
    entries: dict[str, str] = {}
    for cell in dictionary:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {})
            pmf = meta.get("pmf") or meta.get("text/markdown", {}).get("pmf") or {}
            if pmf.get("definition") and "text/markdown" in output.get("data", {}):
                entries[pmf["definition"]] = output["data"]["text/markdown"]
    if not entries:
        return Part(title, "definitions", level, tuple(dictionary))
    cells = [new_cell("markdown", entries[k]) for k in kpi_ids if k in entries]
    return Part(title, "definitions", level, tuple(cells))


def without_detail(part: Part) -> Part:
    """The part up to its detail, for the whole-plan report: a page's detail for officers
    (its KPIs' charts and commentary, the data completeness and sign-off lists) comes last,
    starting at the first output marked ``{"pmf": {"detail": ...}}``. The run splits a cell
    around each commentary it holds, so the detail runs on over several cells to the end."""

    def detail(cell: nbformat.NotebookNode) -> bool:
        return any(
            (output.get("metadata") or {}).get("pmf", {}).get("detail")
            for output in cell.get("outputs", [])
        )

    cells = list(part.cells)
    end = next((n for n, cell in enumerate(cells) if detail(cell)), len(cells))
    return replace(part, cells=tuple(cells[:end]))


def write_booklet(
    project: Path, name: str, front_matter: Mapping[str, Any], parts: Sequence[Part]
) -> Path:
    """Write ``booklets/<name>.ipynb`` into a build project: the parts one after another, each
    page's headings moved under its part heading. Returns the notebook's path."""
    folder = project / FOLDER
    if not (folder / "figures").exists() and (project / "figures").is_dir():
        # Pages refer to figures/<name>.svg relative to themselves; booklets sit one folder down.
        shutil.copytree(project / "figures", folder / "figures", copy_function=keep)
    header = yaml.safe_dump(dict(front_matter), allow_unicode=True, sort_keys=False)
    cells = [new_cell("raw", f"---\n{header}---")]
    for part in parts:
        levels = heading_levels(part.cells)
        shift = part.level + 1 - min(levels, default=part.level + 1)
        hashes = "#" * part.level
        fit = " .pmf-fit-page" if part.fit_page else ""
        heading = f"{hashes} {md.text(part.title)} {{#part-{part.anchor} .pmf-part{fit}}}"
        cells.append(new_cell("markdown", f'{heading}\n\n::: {{.pmf-shift by="{shift}"}}'))
        # A copy of each page cell's top level, for its new id; the rest is shared, unchanged.
        cells.extend(nbformat.NotebookNode(cell) for cell in part.cells)
        cells.append(new_cell("markdown", ":::"))
    for number, cell in enumerate(cells):
        cell.id = f"cell-{number}"
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = new_notebook(cells, kernelspec=kernel)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    write_notebook(notebook, path)
    return path


def render_booklets(root: Path, sources: Sequence[Path]) -> list[Path]:
    """Render booklet notebooks of a project to PDF with the built-in engine.

    Mirrors Quarto's Typst pipeline: the format's ``typst-template.typ`` and
    ``typst-show.typ`` are partials of a main template laid out like Quarto's own, the format's
    Lua filter runs in pandoc, and Typst compiles with the format's PDF standard.
    """
    project = Project.load(root)
    execute = project.config.get("execute", {})
    documents = [read_document(s, "typst", s.parent, execute) for s in sources]
    formats = [project.format(FORMAT, d.meta) for d in documents]
    with tempfile.TemporaryDirectory(prefix="pmf-typst-") as folder:
        templates: dict[tuple[Path, ...], Path] = {}
        for fmt in formats:
            partials = tuple(fmt.paths("template-partials"))
            if partials not in templates:
                # pandoc looks for a template's partials in the template's own folder.
                templates[partials] = Path(folder) / str(len(templates))
                templates[partials].mkdir()
                for path in (*partials, *TEMPLATES.glob("*.typ")):
                    shutil.copy(path, templates[partials])
        typst_sources = convert(
            [
                _conversion(d, f, templates[tuple(f.paths("template-partials"))])
                for d, f in zip(documents, formats, strict=True)
            ]
        )
    with ThreadPoolExecutor() as pool:
        return list(pool.map(partial(_compile, project), documents, formats, typst_sources))


def _conversion(document: Document, fmt: Format, templates: Path) -> Conversion:
    """The pandoc job for one booklet: its options as metadata, the assembled template."""
    metadata = yaml.safe_dump(_pandoc_metadata(fmt.options), allow_unicode=True, sort_keys=False)
    return Conversion(
        source=document.path,
        markdown=f"---\n{metadata}---\n\n{document.markdown}",
        to="typst",
        filters=tuple(str(path) for path in fmt.paths("filters")),
        template=str(templates / "template.typ"),
    )


def _compile(project: Project, document: Document, fmt: Format, text: str) -> Path:
    """Typst, as Quarto runs it: the .typ beside its source, the project as root."""
    typ = document.path.with_suffix(".typ")
    typ.write_text(text, "utf-8")
    pdf = project.output_dir / document.path.relative_to(project.root).with_suffix(".pdf")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    try:
        typst.compile(
            typ,
            output=pdf,
            root=project.root,
            font_paths=_fonts(
                tuple(str(project.root / p) for p in fmt.options.get("font-paths", []))
            ),
            pdf_standards=list(fmt.options.get("pdf-standard", [])),
        )
    except typst.TypstError as error:
        raise RenderError(f"Typst failed on {typ}: {error.message}\n{error.diagnostic}") from None
    return pdf


@cache
def _fonts(paths: tuple[str, ...]) -> typst.Fonts:
    """The fonts Typst may use, found once: searching the folders took 60 ms a booklet."""
    return typst.Fonts(font_paths=list(paths))


def _pandoc_metadata(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options pandoc's template reads; engine settings (filters, partials) stay out."""
    engine = ("filters", "template-partials", "pdf-standard", "font-paths", "execute")
    return {k: v for k, v in options.items() if k not in engine}
