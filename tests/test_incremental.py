"""A run re-executes only the notebooks whose inputs changed (``pmf_utils.run.fingerprint``),
and with nothing changed does nothing, on the stand-in templates and the mini data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from pmf_utils.cli import main
from pmf_utils.data.dataset import load
from pmf_utils.publish.executed import read_report
from pmf_utils.run.pool import KernelPool
from pmf_utils.run.runner import run_quarter

from .test_runner import PAGES, Q1, TEMPLATES, council_data

pytestmark = pytest.mark.slow

CHILDREN = {"kpis-children.ipynb", "priority-children.ipynb", "ambition-people.ipynb"}
STREETS = {"kpis-streets.ipynb", "priority-streets.ipynb", "ambition-place.ipynb"}
WHOLE = {"overview.ipynb", "exceptions.ipynb", "dictionary.ipynb"}
KPI_FILES = {"kpis-children.ipynb": {"kpi-CH01.ipynb", "kpi-CH02.ipynb"}}
KPI_FILES["kpis-streets.ipynb"] = {"kpi-ST01.ipynb"}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def add_cell(template: Path) -> None:
    notebook = nbformat.read(template, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("A note for the reader."))
    nbformat.write(notebook, template)


def pages_of(executed: set[str]) -> set[str]:
    """The page notebooks the executed notebooks leave (a priority's KPI pages for ``kpis``)."""
    return {page for name in executed for page in KPI_FILES.get(name, {name})}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.ipynb")}


@pytest.fixture(scope="module")
def pool():
    with KernelPool(2) as shared:
        yield shared


CHANGES: list[tuple[str, Callable[[Path, Path], None], set[str]]] = [
    (
        "one observation",
        lambda data, _: edit(data / "observations.csv", "CH01,2025-05,61.5", "CH01,2025-05,62.5"),
        CHILDREN | WHOLE,
    ),
    (
        "one target",
        lambda data, _: edit(data / "targets.csv", "CH02,2024/25,80", "CH02,2024/25,81"),
        CHILDREN | WHOLE,
    ),
    (
        "one commentary file",
        lambda data, _: (data / "narrative" / "2025-26-q1" / "kpi-ST01.md").write_text(
            "Fewer fly-tips.\n", "utf-8"
        ),
        STREETS | WHOLE,
    ),
    (
        "a template",
        lambda _, templates: add_cell(templates / "priority.ipynb"),
        {"priority-children.ipynb", "priority-streets.ipynb"},
    ),
    (
        "the plan's name",
        lambda data, _: edit(data / "plan.csv", "Corporate Plan 2024-28", "Borough Plan 2024-28"),
        CHILDREN | STREETS | WHOLE,
    ),
]


def test_each_input_re_executes_exactly_the_notebooks_that_read_it(pool, tmp_path) -> None:
    """Each kind of input changed in turn: exactly the notebooks that read it execute again,
    every other page notebook stays byte for byte as it was, and the whole is publishable."""
    data_dir = council_data(tmp_path / "data")
    templates = Path(shutil.copytree(TEMPLATES, tmp_path / "templates"))

    def run() -> tuple[set[str], int]:
        result = run_quarter(
            load(data_dir), Q1, templates_dir=templates, reports_dir=tmp_path, pool=pool
        )
        assert result.ok, result.summary()
        return {n.name for n in result.notebooks}, result.reused

    assert run() == (CHILDREN | STREETS | WHOLE, 0)
    folder = tmp_path / "2025-26-q1"
    assert set(snapshot(folder)) == PAGES
    assert run() == (set(), 9)
    for kind, change, expected in CHANGES:
        before = snapshot(folder)
        change(data_dir, templates)
        executed, reused = run()
        after = snapshot(folder)
        assert (executed, reused) == (expected, 9 - len(expected)), kind
        changed = {name for name in PAGES if before[name] != after[name]}
        assert changed == pages_of(expected), kind
        assert len(read_report(load(data_dir), Q1, folder).pages) == len(PAGES), kind


def test_a_priority_run_reuses_what_is_current_and_stale_pages_are_refused(pool, tmp_path) -> None:
    """After a data change a ``--priority`` run re-executes that priority's notebooks only;
    the notebooks it did not run, made from other data, are refused by the publisher."""
    data_dir = council_data(tmp_path / "data")
    run_quarter(load(data_dir), Q1, templates_dir=TEMPLATES, reports_dir=tmp_path, pool=pool)
    edit(data_dir / "observations.csv", "CH01,2025-05,61.5", "CH01,2025-05,62.5")
    data = load(data_dir)
    result = run_quarter(
        data, Q1, priorities=["children"], templates_dir=TEMPLATES, reports_dir=tmp_path, pool=pool
    )
    assert {n.name for n in result.notebooks} == CHILDREN
    with pytest.raises(Exception, match=r"overview\.ipynb: made from data"):
        read_report(data, Q1, tmp_path / "2025-26-q1")


def test_pmf_run_with_nothing_changed_says_so_and_executes_nothing(tmp_path, capsys) -> None:
    (tmp_path / "pmf.toml").write_text("[project]\n", "utf-8")
    shutil.copytree(TEMPLATES, tmp_path / "notebooks")
    data_dir = council_data(tmp_path / "data")
    args = ["run", "--project", str(tmp_path), "--quarter", "2025/26 Q1", "--no-render"]
    assert main(args) == 0
    assert "Executing 9 notebooks" in capsys.readouterr().out
    before = snapshot(tmp_path / "reports" / "2025-26-q1")

    assert main(args) == 0

    out = capsys.readouterr().out
    assert out.startswith("Nothing changed: the notebooks of 2025/26 Q1")
    assert "Executing" not in out
    assert snapshot(tmp_path / "reports" / "2025-26-q1") == before
    (data_dir / "narrative" / "2025-26-q1" / "priority-children.md").write_text("New.\n", "utf-8")
    assert main(args) == 0
    assert "Executing 6 notebooks" in capsys.readouterr().out
