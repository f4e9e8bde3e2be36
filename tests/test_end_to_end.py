"""The shipped quarter run end to end through the real templates (no publishing here)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import nbformat
import pytest

from pmf_utils.data.dataset import load
from pmf_utils.pages import markdown as md

from .conftest import SHIPPED_DATA

pytestmark = pytest.mark.slow

SLUG = "2025-26-q2"


def markdown_of(path: Path) -> str:
    """Everything a reader sees in an executed notebook: markdown cells and outputs."""
    notebook = nbformat.read(path, as_version=4)
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(output.get("data", {}).get("text/markdown", ""))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def pages(shipped_reports: Path) -> Path:
    return shipped_reports / SLUG


def test_every_page_of_the_quarter_was_executed(pages: Path) -> None:
    data = load(SHIPPED_DATA)
    expected = {"overview", "exceptions", "dictionary"}
    expected |= {f"ambition-{a}" for a in data.ambitions["ambition_id"]}
    expected |= {f"priority-{p}" for p in data.priorities["priority_id"]}
    expected |= {f"kpi-{k}" for k in data.kpis["kpi_id"]}
    assert {p.stem for p in pages.glob("*.ipynb")} == expected
    assert len(expected) == 3 + 5 + 15 + 63


def test_commentary_is_placed_as_markdown_cells(pages: Path) -> None:
    written = (SHIPPED_DATA / "narrative" / SLUG / "kpi-HFA04.md").read_text(encoding="utf-8")
    first_sentence = written.strip().split(". ")[0]
    notebook = nbformat.read(pages / "kpi-HFA04.ipynb", as_version=4)
    cells = [c for c in notebook.cells if c.cell_type == "markdown" and first_sentence in c.source]
    assert len(cells) == 1
    priority = markdown_of(pages / "priority-homes-for-all.ipynb")
    assert first_sentence in priority


def test_awaited_commentary_is_visible_and_listed(pages: Path) -> None:
    assert not (SHIPPED_DATA / "narrative" / SLUG / "kpi-EES05.md").exists()
    assert "Commentary awaited" in markdown_of(pages / "kpi-EES05.ipynb")
    overview = markdown_of(pages / "overview.ipynb")
    assert "## Commentary sign-off" in overview
    ees05 = f"narrative/{SLUG}/kpi-EES05.md"
    listed = next(line for line in overview.splitlines() if ees05 in line)
    assert "| awaited |" in listed


def test_exceptions_page_lists_the_deliberate_cases(pages: Path) -> None:
    text = markdown_of(pages / "exceptions.ipynb")
    for kpi in ("HFA04", "QEA01", "SEW03", "REC01", "REC03"):
        assert f"(kpi-{kpi}.ipynb)" in text
    assert "✖ Off target" in text and "◷ Stale data" in text


def test_every_chart_has_alt_text_and_numbers(pages: Path) -> None:
    text = markdown_of(pages / "kpi-HFA04.ipynb")
    caption = md.text("Number of households in temporary accommodation, 2022-04 to 2025-09")
    assert f"![{caption}]" in text
    assert '{fig-alt="Line chart of Number of households in temporary accommodation. Rose' in text
    for name in ("HFA04-history", "HFA04-spc"):
        assert (pages / "figures" / f"{name}.svg").is_file()
        assert (pages / "figures" / f"{name}.csv").is_file()


def test_the_run_leaves_narrative_byte_identical(shipped_reports: Path) -> None:
    """After the session's run, git sees no change, deletion or new file in data/narrative."""
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", "--", "data/narrative"],
        cwd=SHIPPED_DATA.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert changed == ""
