"""An analyst's own notebook through a real run and publish (the built-in engine).

The fixture council's project: one priority customised with a seaborn chart (with its alt text)
and a markdown cell of the analyst's, one KPI customised with a chart that has no alt text;
then ``pmf run`` publishes the quarter. The chart and the text must be on the priority's page
and in its booklet, in the order of the cells, the other priority made by the template, and the
analysts' notebooks untouched by the run.
"""

from __future__ import annotations

import io
import re
import shutil
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from pmf_utils.cli import main

from .conftest import MINI, require_engine, snapshot

pytestmark = pytest.mark.slow

ALT = "Bar chart of plans issued on time by team: North 41, South 27."
TEXT = "The north team now issues most plans within 20 weeks."
CHART = f"""\
#| fig-alt: "{ALT}"
import pandas as pd
import seaborn as sns

teams = pd.DataFrame({{"team": ["North", "South"], "plans": [41, 27]}})
sns.barplot(teams, x="team", y="plans");"""
TABLE = 'report.table(teams, "Plans issued on time by team", right=["plans"])'
UNDESCRIBED = "import matplotlib.pyplot as plt\n\nplt.plot([3, 1, 2])\nplt.show()"


@dataclass(frozen=True)
class Run:
    root: Path
    printed: str

    @property
    def quarter(self) -> Path:
        return self.root / "_site" / "2025-26-q1"


def project(folder: Path) -> Path:
    shutil.copytree(MINI, folder / "data")
    (folder / "pmf.toml").write_text("[project]\nrequire_approval = false\n", "utf-8")
    return folder


def add_cells(path: Path, after: str, *cells: nbformat.NotebookNode) -> None:
    """Put cells after the first cell whose source holds ``after``, as an analyst would."""
    nb = nbformat.read(path, as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if after in c.source) + 1
    nb.cells[at:at] = cells
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = project(tmp_path_factory.mktemp("customise"))
    for kind, id in (("priority", "children"), ("kpi", "ST01")):
        assert main(["customise", kind, id, "--project", str(root)]) == 0
    new = nbformat.v4
    add_cells(
        root / "notebooks" / "priorities" / "children.ipynb",
        'report.commentary("priority", priority)',
        new.new_markdown_cell(f"## Plans by team\n\n{TEXT}"),
        new.new_code_cell(CHART),
        new.new_code_cell(TABLE),
    )
    add_cells(
        root / "notebooks" / "kpis" / "ST01.ipynb",
        "report.trend(kpi)",
        new.new_markdown_cell("## By ward"),
        new.new_code_cell(UNDESCRIBED),
    )
    before = snapshot(root / "notebooks")
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["run", "--project", str(root), "--engine", "builtin"]) == 0
    assert snapshot(root / "notebooks") == before, "the run wrote into notebooks/"
    return Run(root, out.getvalue())


def figure_alts(pdf: Path) -> list[str]:
    """The alt text of every figure in a tagged PDF's structure tree."""
    found: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, DictionaryObject):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)

    walk(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])
    return found


def pdf_text(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)


def test_the_analysts_chart_and_text_are_on_the_page_in_cell_order(run: Run) -> None:
    page = (run.quarter / "priority-children.html").read_text("utf-8")
    (image,) = re.findall(r'<img src="(priority-children_files/[^"]+\.png)" alt="([^"]*)"', page)
    assert image[1] == ALT
    assert (run.quarter / image[0]).read_bytes().startswith(b"\x89PNG")
    table = re.search(r"<caption>Plans issued on time by team</caption>.*?</table>", page, re.S)
    assert table and '<td class="align-right" data-label="plans">41</td>' in table[0]
    order = [page.index(x) for x in (TEXT, image[0], table[0], "KPIs at a glance</h2>")]
    assert order == sorted(order)


def test_the_analysts_chart_and_text_are_in_the_booklet(run: Run) -> None:
    booklet = run.quarter / "booklets" / "priority-children-2025-26-q1.pdf"
    assert ALT in figure_alts(booklet)
    text = pdf_text(booklet)
    order = [text.index(x) for x in (TEXT, "Plans issued on time by team", "KPIs at a glance")]
    assert order == sorted(order)
    assert "North 41 South 27" in text


def test_the_template_still_serves_the_other_priority(run: Run) -> None:
    page = (run.quarter / "priority-streets.html").read_text("utf-8")
    assert "KPIs at a glance" in page and TEXT not in page and "_files/" not in page
    executed = nbformat.read(run.root / "reports" / "2025-26-q1" / "priority-streets.ipynb", 4)
    assert not any("seaborn" in cell.source for cell in executed.cells)
    booklet = run.quarter / "booklets" / "priority-streets-2025-26-q1.pdf"
    assert ALT not in figure_alts(booklet) and TEXT not in pdf_text(booklet)


def test_a_kpis_own_notebook_makes_its_page_and_undescribed_figures_are_named(run: Run) -> None:
    assert "kpi-ST01.ipynb (from notebooks/kpis/ST01.ipynb)" in run.printed
    (warning,) = [line for line in run.printed.splitlines() if "warning:" in line]
    assert "notebooks/kpis/ST01.ipynb cell 10: a figure without alt text" in warning
    page = (run.quarter / "kpi-ST01.html").read_text("utf-8")
    stand_in = "Chart in the section “By ward” (its description is missing)"
    assert re.search(rf'<img src="kpi-ST01_files/[^"]+\.png" alt="{re.escape(stand_in)}"', page)
    assert page.index("By ward</h2>") < page.index("Definition</h2>")
    booklet = run.quarter / "booklets" / "priority-streets-2025-26-q1.pdf"
    assert stand_in in figure_alts(booklet)


def test_a_failing_own_notebook_is_reported_by_name_and_cell(tmp_path: Path, capsys) -> None:
    root = project(tmp_path)
    assert main(["customise", "priority", "streets", "--project", str(root)]) == 0
    own = root / "notebooks" / "priorities" / "streets.ipynb"
    add_cells(own, "report.header(name)", nbformat.v4.new_code_cell("wards.plot()"))
    args = ["run", "--project", str(root), "--priority", "streets", "--no-render"]
    assert main(args) == 1
    assert (
        "notebook priority-streets.ipynb (from notebooks/priorities/streets.ipynb): cell 4: "
        "NameError: name 'wards' is not defined"
    ) in capsys.readouterr().err


def test_the_preview_uses_the_own_notebook_too(run: Run) -> None:
    args = ["preview", "--project", str(run.root), "--engine", "builtin"]
    with redirect_stdout(io.StringIO()):
        assert main(args) == 0
    page = (run.root / "_preview" / "2025-26-q1" / "priority-children.html").read_text("utf-8")
    assert f'alt="{ALT}"' in page and TEXT in page


def test_quarto_carries_the_alt_text_to_the_page_and_the_booklet(run: Run, tmp_path: Path) -> None:
    require_engine("quarto")
    root = Path(
        shutil.copytree(run.root, tmp_path / "project", ignore=shutil.ignore_patterns("_*"))
    )
    args = ["render", "--project", str(root), "--engine", "quarto"]
    with redirect_stdout(io.StringIO()):
        assert main(args) == 0
    quarter = root / "_site" / "2025-26-q1"
    page = (quarter / "priority-children.html").read_text("utf-8")
    assert re.search(
        rf'<img src="priority-children_files/[^"]+\.png"[^>]* alt="{re.escape(ALT)}"', page
    )
    assert TEXT in page
    booklet = quarter / "booklets" / "priority-children-2025-26-q1.pdf"
    assert ALT in figure_alts(booklet) and TEXT in pdf_text(booklet)
