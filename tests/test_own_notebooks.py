"""A priority's or KPI's own notebook (``pmf customise``): how it is made, how the run plans and
shapes it, and the alt text of the figures analysts draw. No kernel runs here: the whole path
through a run and a publish is ``tests/test_customise.py``."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import nbformat
import pytest

from pmf_utils.cells import CellOptionsError, cell_options, with_options
from pmf_utils.cli import main
from pmf_utils.cli.runs import ConsoleProgress
from pmf_utils.customise import CustomiseError, customise
from pmf_utils.data.dataset import load
from pmf_utils.data.periods import parse_quarter
from pmf_utils.project import Project, resource
from pmf_utils.publish.documents import read_document
from pmf_utils.run.figures import describe_figures
from pmf_utils.run.jobs import finish, plan_jobs
from pmf_utils.run.pool import NotebookResult

from .conftest import MINI

Q1 = parse_quarter("2025/26 Q1")
PNG = "iVBORw0KGgo="  # the start of a PNG: the checks read the output type, not the image


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The fixture council as a project with its own copy of the template notebooks."""
    shutil.copytree(MINI, tmp_path / "data")
    shutil.copytree(resource("notebooks"), tmp_path / "notebooks")
    (tmp_path / "pmf.toml").write_text("[project]\n", "utf-8")
    return Project.load(tmp_path)


def cells(path: Path) -> list[nbformat.NotebookNode]:
    return nbformat.read(path, as_version=4).cells


def test_a_priority_notebook_is_the_template_whatever_it_holds(project: Project) -> None:
    template = project.notebooks_dir / "priority.ipynb"
    nb = nbformat.read(template, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A cell this council added to its template."))
    nbformat.write(nb, template)

    path = customise(project, load(project.data_dir), "priority", "streets")

    assert path == project.root / "notebooks" / "priorities" / "streets.ipynb"
    own, generic = cells(path), cells(template)
    assert [c.source for c in own[2:]] == [c.source for c in generic[2:]]
    parameters = own[1].source.splitlines()
    assert parameters[:-1] == generic[1].source.splitlines()[:-1]
    assert parameters[-1].startswith('priority = "streets"  # a priority_id')


def test_a_kpi_notebook_calls_each_section_for_its_kpi_in_a_cell(project: Project) -> None:
    path = customise(project, load(project.data_dir), "kpi", "CH02")

    assert path == project.root / "notebooks" / "kpis" / "CH02.ipynb"
    sources = [c.source for c in cells(path)]
    assert 'priority = "children"' in sources[1]
    assert not any(isinstance(n, ast.For) for s in sources[2:] for n in ast.parse(s).body)
    calls = sources[sources.index('#| echo: false\nkpi = "CH02"  # this notebook\'s KPI') + 1 :]
    assert [s.split("\n")[1].split("(")[0] for s in calls] == [
        "report.kpi_header",
        "report.judgements",
        "report.kpi_commentary",
        "report.trend",
        "report.spc",
        "report.benchmarks",
        "report.history",
        "report.definition",
    ]


def test_a_kpi_template_without_a_loop_is_refused(project: Project) -> None:
    template = project.notebooks_dir / "kpis.ipynb"
    nb = nbformat.read(template, as_version=4)
    nb.cells = nb.cells[:3]
    nbformat.write(nb, template)
    with pytest.raises(CustomiseError, match="no loop over the priority's KPIs"):
        customise(project, load(project.data_dir), "kpi", "CH01")


def test_unknown_ids_and_existing_notebooks_are_refused(project: Project, capsys) -> None:
    root = str(project.root)
    assert main(["customise", "priority", "parks", "--project", root]) == 2
    assert "unknown priority 'parks': the data has children, streets" in capsys.readouterr().err
    assert main(["customise", "kpi", "XX01", "--project", root]) == 2
    assert not (project.root / "notebooks" / "kpis").exists()

    assert main(["customise", "priority", "children", "--project", root]) == 0
    assert "notebooks/priorities/children.ipynb from priority.ipynb" in capsys.readouterr().out
    own = project.root / "notebooks" / "priorities" / "children.ipynb"
    own.write_text(own.read_text("utf-8").replace("Report(", "Report ("), "utf-8")
    edited = own.read_bytes()
    assert main(["customise", "priority", "children", "--project", root]) == 2
    assert "already exists and is never overwritten" in capsys.readouterr().err
    assert own.read_bytes() == edited


def test_a_project_without_templates_of_its_own_still_finds_its_own_notebooks(
    tmp_path: Path,
) -> None:
    shutil.copytree(MINI, tmp_path / "data")
    (tmp_path / "pmf.toml").write_text("[project]\n", "utf-8")
    project = Project.load(tmp_path)
    customise(project, load(project.data_dir), "priority", "children")
    assert project.notebooks_dir == resource("notebooks")
    jobs = plan_jobs(load(project.data_dir), Q1, own_dir=project.own_notebooks_dir)
    assert {j.output: j.source for j in jobs if j.own} == {
        "priority-children.ipynb": "notebooks/priorities/children.ipynb"
    }


def test_the_run_uses_own_notebooks_while_they_exist(project: Project) -> None:
    data = load(project.data_dir)
    customise(project, data, "priority", "children")
    customise(project, data, "kpi", "CH01")
    customise(project, data, "kpi", "ST01")
    jobs = {j.output: j for j in plan_jobs(data, Q1, own_dir=project.own_notebooks_dir)}

    assert [name for name, job in jobs.items() if job.own] == [
        "kpi-CH01.ipynb",
        "kpi-ST01.ipynb",
        "priority-children.ipynb",
    ]
    assert "kpis-streets.ipynb" not in jobs  # its only KPI has its own notebook
    generic = jobs["kpis-children.ipynb"]
    assert (list(generic.kpi_pages), generic.own_kpis) == (["CH02"], ("CH01",))
    own = jobs["kpi-CH01.ipynb"]
    assert own.parameters == generic.parameters and own.kpi_pages == {}
    assert own.page == {
        "page": "kpi",
        "id": "CH01",
        "title": own.page["title"],
        "priority": "children",
    }
    assert jobs["priority-children.ipynb"].parameters == jobs[
        "priority-streets.ipynb"
    ].parameters | {"priority": "children"}

    (project.root / "notebooks" / "priorities" / "children.ipynb").unlink()
    again = {j.output: j for j in plan_jobs(data, Q1, own_dir=project.own_notebooks_dir)}
    assert again["priority-children.ipynb"].own is None
    assert again["priority-children.ipynb"].template == "priority.ipynb"


def _marker(kpi_id: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output(
        "display_data", data={"text/plain": kpi_id}, metadata={"pmf": {"kpi": kpi_id}}
    )


def test_sections_of_kpis_with_their_own_notebook_are_left_out(
    project: Project, tmp_path: Path
) -> None:
    data = load(project.data_dir)
    customise(project, data, "kpi", "CH01")
    job = next(
        j
        for j in plan_jobs(data, Q1, own_dir=project.own_notebooks_dir)
        if j.output == "kpis-children.ipynb"
    )
    loop = nbformat.v4.new_code_cell("#| echo: false\nloop()")
    loop.outputs = [_marker("CH01"), _marker("CH02")]
    nb = nbformat.v4.new_notebook(cells=[loop])
    nbformat.write(nb, tmp_path / job.output)
    assert finish(nb, job, tmp_path, {}) == ("kpi-CH02.ipynb",)


def _figure_cell(source: str, figures: int = 1) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})
        for _ in range(figures)
    ]
    return cell


def test_a_figure_without_alt_text_is_named_and_given_a_stand_in() -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("## Reports by ward"),
            _figure_cell('#| fig-alt: "Bar chart: North 12, South 7"\nplot()'),
            _figure_cell("#| echo: false\nplot()"),
            _figure_cell('#| fig-cap: ["Wards", "Teams"]\nplot()', figures=2),
            _figure_cell('#| fig-alt: ["Map of wards"]\nplot()', figures=2),
        ]
    )
    warnings = describe_figures(nb, "notebooks/priorities/p.ipynb", lambda i: f"cell {i + 1}")

    assert [w.split(":")[0] for w in warnings] == [
        "notebooks/priorities/p.ipynb cell 3",
        "notebooks/priorities/p.ipynb cell 4",
        "notebooks/priorities/p.ipynb cell 5",
    ]
    stand_in = "Chart in the section “Reports by ward” (its description is missing)"
    assert warnings[2].endswith(f'(the page says "{stand_in}" meanwhile)')
    assert "#| fig-alt:" in warnings[0]
    assert cell_options(nb.cells[1].source)[0] == {"fig-alt": "Bar chart: North 12, South 7"}
    assert cell_options(nb.cells[2].source) == (
        {
            "echo": False,
            "fig-alt": "Chart in the section “Reports by ward” (its description is missing)",
        },
        "plot()",
    )
    assert cell_options(nb.cells[3].source)[0]["fig-alt"] == ["Chart: Wards", "Chart: Teams"]
    assert cell_options(nb.cells[4].source)[0]["fig-alt"] == ["Map of wards", stand_in]


def test_cell_options_that_are_not_yaml_name_the_cell() -> None:
    nb = nbformat.v4.new_notebook(cells=[_figure_cell("#| fig-alt: Reports: by ward\nplot()")])
    with pytest.raises(CellOptionsError, match=r"^cell 1: its #\| options are not YAML"):
        describe_figures(nb, "priority.ipynb", lambda i: f"cell {i + 1}")


def test_options_written_back_read_the_same() -> None:
    options = {"echo": False, "fig-alt": 'A "quoted" chart: with a colon', "fig-cap": ["a", "b"]}
    assert cell_options(with_options(options, "x = 1")) == (options, "x = 1")


def test_the_progress_names_own_notebooks_and_their_warnings() -> None:
    lines: list[str] = []

    class Stream:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

    result = NotebookResult(
        "priority-children.ipynb",
        1.0,
        ("priority-children.ipynb",),
        source="notebooks/priorities/children.ipynb",
        warnings=("notebooks/priorities/children.ipynb cell 6: a figure without alt text",),
    )
    ConsoleProgress(Stream()).finished(result, 1, 9)
    text = "".join(lines)
    assert "priority-children.ipynb (from notebooks/priorities/children.ipynb)" in text
    assert "warning: notebooks/priorities/children.ipynb cell 6: a figure without alt" in text
    failed = NotebookResult("kpi-CH01.ipynb", 1.0, error="cell 4: NameError: x", source="n/k.ipynb")
    assert failed.report() == "notebook kpi-CH01.ipynb (from n/k.ipynb): cell 4: NameError: x"


def test_a_plain_text_output_becomes_a_code_block(tmp_path: Path) -> None:
    cell = nbformat.v4.new_code_cell("sns.barplot(teams)")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "<Axes: >"})]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "page.ipynb")
    document = read_document(tmp_path / "page.ipynb", "html", tmp_path, {"echo": False})
    assert document.markdown == "```\n<Axes: >\n```"
