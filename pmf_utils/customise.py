"""``pmf customise``: a priority's or a KPI's own notebook, for analysts to shape its page.

Every priority's page is made by the same template (``priority.ipynb``), every KPI's page by
its priority's run of ``kpis.ipynb``. An analyst who wants more on one page (a chart of their
own, a table, some text) gets a copy of the template as that page's own notebook,
``notebooks/priorities/<id>.ipynb`` or ``notebooks/kpis/<id>.ipynb``, which the run uses from
then on with the template's parameters (``run.jobs.plan_jobs``). The copy is whatever the
template is, cell for cell, with its ``priority`` parameter defaulting to the page's priority
so that it opens and runs in JupyterLab as it is. A KPI's copy has ``kpis.ipynb``'s loop over
the priority's KPIs unrolled for its one KPI: each section the loop calls becomes a visible call
in a cell of its own, between which the analyst adds theirs. A file that exists is never
overwritten.
"""

from __future__ import annotations

import ast
import json
import textwrap
from itertools import takewhile
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from pmf_utils.data.dataset import Dataset
from pmf_utils.project import Project, own_notebook

TEMPLATES = {"priority": "priority.ipynb", "kpi": "kpis.ipynb"}


class CustomiseError(ValueError):
    """The page cannot be customised as asked (unknown ID, file already there, ...)."""


def customise(project: Project, data: Dataset, kind: str, id: str) -> Path:
    """Write the own notebook of priority or KPI ``id`` into the project; return its path."""
    table = data.priorities if kind == "priority" else data.kpis
    ids = list(table[f"{kind}_id"])
    if id not in ids:
        raise CustomiseError(f"unknown {kind} {id!r}: the data has {', '.join(ids)}")
    priority = id if kind == "priority" else str(table.set_index("kpi_id").at[id, "priority_id"])
    template = project.notebooks_dir / TEMPLATES[kind]
    notebook = nbformat.read(template, as_version=4)
    _set_default(notebook, "priority", priority)
    if kind == "kpi":
        notebook.cells = _unrolled(notebook.cells, id, template)
    path = own_notebook(project.own_notebooks_dir, kind, id)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            nbformat.write(notebook, handle)
    except FileExistsError:
        raise CustomiseError(
            f"{path} already exists and is never overwritten: it is this {kind}'s own notebook "
            "(delete it to start again from the template)"
        ) from None
    return path


def _set_default(notebook: NotebookNode, name: str, value: str) -> None:
    """Make ``name = None`` in the cell tagged ``parameters`` read ``name = "<value>"``."""
    for cell in notebook.cells:
        if "parameters" not in cell.metadata.get("tags", []):
            continue
        lines = cell.source.splitlines()
        for node in _statements(cell.source):
            target = node.targets[0] if isinstance(node, ast.Assign) else None
            if isinstance(target, ast.Name) and target.id == name:
                row, found = node.value.lineno - 1, node.value
                if found.end_lineno == found.lineno:
                    line = lines[row].encode()  # ast's offsets count UTF-8 bytes
                    new = line[: found.col_offset] + json.dumps(value).encode()
                    lines[row] = (new + line[found.end_col_offset :]).decode()
        cell.source = "\n".join(lines)


def _statements(source: str) -> list[ast.stmt]:
    """A cell's top-level statements; none for a cell that is not plain Python (magics)."""
    try:
        return ast.parse(source).body
    except SyntaxError:
        return []


def _unrolled(cells: list[NotebookNode], kpi_id: str, template: Path) -> list[NotebookNode]:
    """The cells with the first loop (``for kpi in report.kpis(priority):``) made one KPI's:
    the loop variable set to ``kpi_id`` in a cell, then each statement of the loop's body in a
    cell of its own, with the loop cell's ``#|`` options."""
    for index, cell in enumerate(cells):
        if cell.cell_type != "code":
            continue
        loop = next((n for n in _statements(cell.source) if isinstance(n, ast.For)), None)
        if loop is None or not isinstance(loop.target, ast.Name):
            continue
        lines = cell.source.splitlines()
        options = list(takewhile(lambda line: line.startswith("#|"), lines))
        before = "\n".join(lines[len(options) : loop.lineno - 1])
        after = "\n".join(lines[loop.end_lineno :])
        body, start = [], loop.lineno
        for statement in loop.body:
            body.append(textwrap.dedent("\n".join(lines[start : statement.end_lineno])))
            start = statement.end_lineno
        choice = f"{loop.target.id} = {json.dumps(kpi_id)}  # this notebook's KPI"
        parts = [before, choice, *body, after]
        new = [
            nbformat.v4.new_code_cell("\n".join([*options, part.strip("\n")]))
            for part in parts
            if part.strip()
        ]
        return [*cells[:index], *new, *cells[index + 1 :]]
    raise CustomiseError(
        f"{template} has no loop over the priority's KPIs (for kpi in report.kpis(priority): "
        "...) to make one KPI's notebook from"
    )
