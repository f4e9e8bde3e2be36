"""What a quarter's run executes, and how an executed notebook becomes the report's pages.

``plan_jobs`` lists one job per template and parameter set (overview, exceptions, dictionary,
each ambition, each priority and its KPI pages), a priority's or KPI's own notebook
(``pmf customise``) standing in for the template where the project has one; ``finish`` turns
an executed notebook into what the publisher reads: commentary outputs become markdown cells,
a priority's KPI notebook is split into one notebook per KPI, and the metadata says which page
it is and what made it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import takewhile
from pathlib import Path

import nbformat
import pandas as pd
from nbformat import NotebookNode

from pmf_utils.data.dataset import Dataset
from pmf_utils.data.periods import quarter_label
from pmf_utils.project import own_notebook


class UnknownPriority(ValueError):
    """``--priority`` named a priority the data does not have."""


@dataclass(frozen=True)
class Job:
    """One template executed once: its parameters, output file and page metadata.


    ``kpi_pages`` (``kpis`` jobs only) holds the metadata of each KPI page split out of it;
    ``own_kpis``, the KPIs of the priority that have their own notebook, whose sections here
    are left out. ``own`` is the analysts' own notebook run instead of ``template``.
    """

    template: str
    output: str
    parameters: dict[str, str]
    page: dict[str, str | None]
    kpi_pages: dict[str, dict[str, str | None]] = field(default_factory=dict)
    own: Path | None = None
    own_kpis: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """The notebook as the analyst knows it: ``notebooks/priorities/<id>.ipynb`` or the
        template's name."""
        return "/".join(self.own.parts[-3:]) if self.own else self.template

    @property
    def files(self) -> tuple[str, ...]:
        """The page notebooks it leaves: its output, or a ``kpis`` job's KPI pages."""
        return tuple(f"kpi-{k}.ipynb" for k in self.kpi_pages) or (self.output,)


def _job(stem: str, parameters: dict[str, str], page: dict, kpi_pages: dict | None = None) -> Job:
    """Output names follow the contract: ``<stem>-<id>.ipynb`` for per-priority/ambition pages."""
    key = {"ambition": "ambition", "priority": "priority", "kpis": "priority"}.get(stem)
    output = f"{stem}-{parameters[key]}.ipynb" if key else f"{stem}.ipynb"
    return Job(f"{stem}.ipynb", output, parameters, page, kpi_pages or {})


def _own(folder: Path | None, kind: str, id: str) -> Path | None:
    """The priority's or KPI's own notebook, when the project has one."""
    if folder is None:
        return None
    path = own_notebook(folder, kind, id)
    return path if path.is_file() else None


def plan_jobs(
    data: Dataset,
    quarter: pd.Period,
    priorities: Sequence[str] | None = None,
    own_dir: Path | None = None,
) -> list[Job]:
    """Every notebook of the quarter (the contract table in ``docs/architecture.md``).


    With ``priorities`` only those priorities' pages, their KPI pages and the pages of the
    ambitions they sit under are run: a quick re-run while working on some priorities. The
    whole-plan pages (overview, exceptions, dictionary) need a full run. KPI notebooks come
    first as they take longest, which keeps the workers evenly busy to the end. A priority or
    KPI with its own notebook in ``own_dir`` (looked for at each run, so removing the file
    returns it to the template) runs that notebook, with the template's parameters; a KPI's
    own notebook is its page, unsplit.
    """
    known = list(data.priorities["priority_id"])
    unknown = [p for p in priorities or () if p not in known]
    if unknown:
        raise UnknownPriority(
            f"unknown priority: {', '.join(unknown)} (the data has: {', '.join(known)})"
        )
    chosen = data.priorities[data.priorities["priority_id"].isin(priorities or known)]
    base = {"quarter": quarter_label(quarter), "data_dir": str(data.data_dir)}
    jobs = []
    for p in chosen.itertuples():
        kpis = data.priority_kpis(p.priority_id)
        if len(kpis):
            pages = {
                k.kpi_id: {
                    "page": "kpi",
                    "id": k.kpi_id,
                    "title": k.name,
                    "priority": p.priority_id,
                }
                for k in kpis.itertuples()
            }
            parameters = {**base, "priority": p.priority_id}
            owned = {k: path for k in pages if (path := _own(own_dir, "kpi", k))}
            for kpi_id, path in owned.items():
                page = pages.pop(kpi_id)
                jobs.append(Job("kpis.ipynb", f"kpi-{kpi_id}.ipynb", parameters, page, own=path))
            if pages:
                page = {"page": "kpis", "id": p.priority_id, "title": p.priority}
                job = _job("kpis", parameters, page, pages)
                jobs.append(replace(job, own_kpis=tuple(owned)))
    for p in chosen.itertuples():
        page = {"page": "priority", "id": p.priority_id, "title": p.priority}
        page = {**page, "ambition": p.ambition_id}
        job = _job("priority", {**base, "priority": p.priority_id}, page)
        jobs.append(replace(job, own=_own(own_dir, "priority", p.priority_id)))
    ambitions = data.ambitions[data.ambitions["ambition_id"].isin(chosen["ambition_id"])]
    for a in ambitions.itertuples():
        page = {"page": "ambition", "id": a.ambition_id, "title": a.ambition}
        jobs.append(_job("ambition", {**base, "ambition": a.ambition_id}, page))
    if priorities is None:
        for name, title in (
            ("overview", "Overview"),
            ("exceptions", "Exceptions"),
            ("dictionary", "Data dictionary"),
        ):
            jobs.append(_job(name, base, {"page": name, "id": None, "title": title}))
    return jobs


@dataclass(frozen=True)
class KpiStart:
    """Where a KPI's section of ``kpis.ipynb`` begins."""

    kpi_id: str


def _pmf(output: NotebookNode) -> dict:
    """The ``pmf`` metadata of an output, whether set for the output or for its markdown."""
    meta = output.get("metadata", {})
    return meta.get("pmf") or meta.get("text/markdown", {}).get("pmf") or {}


def _options(source: str) -> str:
    """The cell's Quarto options (``#| echo: false``), which every part of a split cell keeps."""
    return "\n".join(takewhile(lambda line: line.startswith("#|"), source.splitlines()))


def _markdown(output: NotebookNode, meta: dict) -> NotebookNode:
    text = output["data"]["text/markdown"]
    text = "".join(text) if isinstance(text, list) else text
    return nbformat.v4.new_markdown_cell(text, metadata={"pmf": meta})


def report_cells(cells: Iterable[NotebookNode]) -> Iterator[NotebookNode | KpiStart]:
    """The cells as a report: each code cell split around its commentary outputs, which become
    markdown cells, and around KPI section markers, which are yielded as ``KpiStart``.


    The first part of a split cell keeps its source; later parts keep only its cell options.
    """
    for cell in cells:
        if cell.cell_type != "code":
            yield cell
            continue
        part, first = copy.deepcopy(cell), True
        part.outputs = []
        for output in cell.outputs:
            meta = _pmf(output)
            if "kpi" in meta or "narrative" in meta:
                if first or part.outputs:
                    yield part
                part, first = nbformat.v4.new_code_cell(_options(cell.source)), False
                part.metadata = copy.deepcopy(cell.metadata)
                part.execution_count = cell.execution_count
            if "kpi" in meta:
                yield KpiStart(meta["kpi"])
            if "narrative" in meta:
                yield _markdown(output, meta)
            else:
                part.outputs.append(output)
        if first or part.outputs:
            yield part


def kpi_sections(items: Iterable[NotebookNode | KpiStart]) -> dict[str, list[NotebookNode]]:
    """The cells of each KPI's section, from its marker to the next, in marker order."""
    sections: dict[str, list[NotebookNode]] = {}
    current: list[NotebookNode] | None = None
    for item in items:
        if isinstance(item, KpiStart):
            current = sections.setdefault(item.kpi_id, [])
        elif current is not None:
            current.append(item)
    return sections


def _stamped(nb: NotebookNode, cells: list[NotebookNode], page: dict, run: dict) -> NotebookNode:
    out = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata), cells=cells)
    out.metadata["pmf"] = {**page, **run}
    return out


def finish(nb: NotebookNode, job: Job, out_dir: Path, run: dict) -> tuple[str, ...]:
    """Write the executed notebook as its page(s); returns the file names written.


    A ``kpis`` notebook becomes ``kpi-<id>.ipynb`` pages (each with the notebook's front
    matter) and is then removed; every KPI of the priority must have exactly its section (the
    sections of KPIs with their own notebook are dropped: that notebook makes their page).
    """
    items = list(report_cells(nb.cells))
    if not job.kpi_pages:
        cells = [c for c in items if not isinstance(c, KpiStart)]
        nbformat.write(_stamped(nb, cells, job.page, run), out_dir / job.output)
        return (job.output,)
    sections = {k: c for k, c in kpi_sections(items).items() if k not in job.own_kpis}
    missing = [k for k in job.kpi_pages if k not in sections]
    strays = [k for k in sections if k not in job.kpi_pages]
    if missing or strays:
        raise ValueError(
            f"KPI sections do not match the priority's KPIs (missing: {', '.join(missing) or '-'};"
            f" not in this priority: {', '.join(strays) or '-'})"
        )
    front = list(takewhile(lambda c: c.cell_type == "raw", nb.cells))
    written = []
    for kpi_id, cells in sections.items():
        name = f"kpi-{kpi_id}.ipynb"
        page = _stamped(nb, copy.deepcopy(front) + cells, job.kpi_pages[kpi_id], run)
        nbformat.write(page, out_dir / name)
        written.append(name)
    (out_dir / job.output).unlink()
    return tuple(written)
