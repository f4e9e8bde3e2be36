"""The run's mechanics on small stand-in templates (``tests/fixtures/notebooks``).

The stand-ins take the contract's parameters and call ``pmf_utils.data.narrative`` as the real
templates do. Each one first asserts that no variable and no working directory is left from an
earlier notebook, and prints its kernel's process id, so a shared warm kernel that leaked would
fail here. One pool of warm kernels serves the whole module.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from pmf_utils.cli import main
from pmf_utils.data.dataset import load
from pmf_utils.data.periods import parse_quarter
from pmf_utils.run import jobs, runner
from pmf_utils.run.jobs import Job, UnknownPriority, finish, plan_jobs, report_cells
from pmf_utils.run.pool import KernelPool
from pmf_utils.run.runner import run_quarter
from pmf_utils.version import code_version

from .conftest import MINI_FILES, write_folder

pytestmark = pytest.mark.slow

TEMPLATES = Path(__file__).resolve().parent / "fixtures" / "notebooks"
Q1 = parse_quarter("2025/26 Q1")
PAGES = {
    "overview.ipynb",
    "exceptions.ipynb",
    "dictionary.ipynb",
    "ambition-people.ipynb",
    "ambition-place.ipynb",
    "priority-children.ipynb",
    "priority-streets.ipynb",
    "kpi-CH01.ipynb",
    "kpi-CH02.ipynb",
    "kpi-ST01.ipynb",
}
DRAFT = "<!-- draft: carried forward from 2024/25 Q4; revise it, then delete this line -->"


@pytest.fixture(scope="module")
def pool():
    with KernelPool(2) as shared:
        yield shared


def council_data(folder: Path) -> Path:
    """The mini data with some commentary for 2025/26 Q1: one present, one draft."""
    write_folder(folder, MINI_FILES)
    write_folder(
        folder / "narrative" / "2025-26-q1",
        {"priority-children.md": "Children first.\n", "kpi-CH01.md": f"{DRAFT}\nOn the up.\n"},
    )
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return council_data(tmp_path / "data")


def templates_with(tmp_path: Path, **replacements: str) -> Path:
    """A copy of the stand-in templates with some replaced, e.g. ambition='failing-ambition'."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    for name, source in replacements.items():
        shutil.copy(TEMPLATES / f"{source}.ipynb", folder / f"{name}.ipynb")
    return folder


def narrative_snapshot(data_dir: Path) -> dict[Path, tuple[bytes, int]]:
    return {
        p: (p.read_bytes(), p.stat().st_mtime_ns)
        for p in (data_dir / "narrative").rglob("*")
        if p.is_file()
    }


def read(folder: Path, name: str) -> nbformat.NotebookNode:
    return nbformat.read(folder / name, as_version=4)


def stream_text(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


@pytest.fixture(scope="module")
def executed(pool, tmp_path_factory) -> runner.RunResult:
    tmp = tmp_path_factory.mktemp("run")
    return run_quarter(
        load(council_data(tmp / "data")),
        Q1,
        templates_dir=TEMPLATES,
        reports_dir=tmp / "reports",
        pool=pool,
    )


def test_every_notebook_runs_and_is_written_as_its_pages(executed) -> None:
    assert executed.ok, [n.report() for n in executed.failures]
    assert len(executed.notebooks) == 9
    assert {p.name for p in executed.out_dir.glob("*.ipynb")} == PAGES
    assert executed.out_dir.name == "2025-26-q1"
    assert {n.name: n.written for n in executed.notebooks}["kpis-children.ipynb"] == (
        "kpi-CH01.ipynb",
        "kpi-CH02.ipynb",
    )


def test_parameters_are_injected(executed) -> None:
    nb = read(executed.out_dir, "priority-children.ipynb")
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'quarter = "2025/26 Q1"' in injected.source
    assert 'priority = "children"' in injected.source
    assert f'data_dir = "{executed.out_dir.parent.parent / "data"}"' in injected.source
    assert "Ambition place" in stream_text(read(executed.out_dir, "ambition-place.ipynb"))


def test_kernels_are_reused_yet_each_notebook_starts_clean(executed) -> None:
    kernels = set()
    for name in PAGES - {"kpi-CH01.ipynb", "kpi-CH02.ipynb", "kpi-ST01.ipynb"}:
        nb = read(executed.out_dir, name)
        pid, cwd = re.search(r"kernel (\d+) in (.+)\n", stream_text(nb)).groups()
        kernels.add(pid)
        assert Path(cwd) == executed.out_dir
        first = next(c for c in nb.cells if c.cell_type == "code")
        assert first.execution_count == 1
    assert 1 <= len(kernels) <= 2  # nine notebooks, two warm kernels


def test_commentary_becomes_markdown_cells_between_the_code_parts(executed) -> None:
    nb = read(executed.out_dir, "priority-children.ipynb")
    at = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
    before, commentary, after = nb.cells[at - 1 : at + 2]
    assert before.source.startswith('#| echo: false\nprint("before")')
    assert [o.text for o in before.outputs] == ["before\n"]
    assert commentary.source == "Children first."
    assert commentary.metadata["pmf"] == {
        "narrative": "narrative/2025-26-q1/priority-children.md",
        "state": "present",
    }
    assert after.source == "#| echo: false"
    assert [o.text for o in after.outputs] == ["after\n"]

    overview = read(executed.out_dir, "overview.ipynb")
    awaited = [c for c in overview.cells if c.cell_type == "markdown"]
    assert len(awaited) == 1 and awaited[0].metadata["pmf"]["state"] == "awaited"
    assert "Commentary awaited" in awaited[0].source


def test_kpis_notebook_is_split_into_kpi_pages(executed) -> None:
    page = read(executed.out_dir, "kpi-CH01.ipynb")
    assert page.cells[0].cell_type == "raw" and "echo: false" in page.cells[0].source
    text = stream_text(page)
    assert "figures for CH01" in text and "CH02" not in text and "KPIs of" not in text
    marker = page.cells[1].outputs[0]
    assert marker.metadata["pmf"] == {"kpi": "CH01"}
    (commentary,) = [c for c in page.cells if c.cell_type == "markdown"]
    assert commentary.metadata["pmf"]["state"] == "draft"
    assert commentary.source.startswith("> **Draft:**") and "On the up." in commentary.source
    other = read(executed.out_dir, "kpi-CH02.ipynb")
    assert "figures for CH02" in stream_text(other)


def test_notebook_metadata_says_what_page_it_is_and_what_made_it(executed) -> None:
    data = load(executed.out_dir.parent.parent / "data")
    fingerprint, inputs = data.fingerprint, runner.page_inputs(data, Q1, TEMPLATES)
    for name in PAGES:
        meta = read(executed.out_dir, name).metadata["pmf"]
        assert meta["quarter"] == "2025/26 Q1" and meta["slug"] == "2025-26-q1"
        assert meta["data_fingerprint"] == fingerprint
        assert meta["produced"] and meta["code_version"].startswith("0.1.0")
    assert read(executed.out_dir, "kpi-CH02.ipynb").metadata["pmf"] | {"produced": ""} == {
        "page": "kpi",
        "id": "CH02",
        "title": "Children in care per 10000",
        "priority": "children",
        "quarter": "2025/26 Q1",
        "slug": "2025-26-q1",
        "data_fingerprint": fingerprint,
        "produced": "",
        "code_version": code_version(),
        "inputs": inputs["kpi-CH02.ipynb"],
    }
    assert read(executed.out_dir, "overview.ipynb").metadata["pmf"]["page"] == "overview"
    meta = read(executed.out_dir, "priority-streets.ipynb").metadata["pmf"]
    assert (meta["page"], meta["id"], meta["title"], meta["ambition"]) == (
        "priority",
        "streets",
        "Clean streets",
        "place",
    )


def test_a_failing_notebook_is_reported_and_the_others_finish(pool, data_dir, tmp_path) -> None:
    templates = templates_with(tmp_path, ambition="failing-ambition")
    result = run_quarter(
        load(data_dir), Q1, templates_dir=templates, reports_dir=tmp_path / "out", pool=pool
    )
    assert [n.report() for n in result.failures] == [
        "notebook ambition-place.ipynb: cell 5: ValueError: "
        "deliberate failure for the place ambition"
    ]
    assert len(result.notebooks) == 9
    assert (result.out_dir / "ambition-people.ipynb").exists()


def test_a_dead_kernel_fails_its_notebook_and_is_replaced(pool, data_dir, tmp_path) -> None:
    templates = templates_with(tmp_path)
    nb = read(templates, "priority.ipynb")
    nb.cells.insert(4, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    nbformat.write(nb, templates / "priority.ipynb")
    data = load(data_dir)

    result = run_quarter(
        data, Q1, priorities=["streets"], templates_dir=templates, reports_dir=tmp_path, pool=pool
    )
    assert [n.report() for n in result.failures] == [
        "notebook priority-streets.ipynb: cell 5: DeadKernelError: Kernel died"
    ]
    again = run_quarter(data, Q1, templates_dir=TEMPLATES, reports_dir=tmp_path, pool=pool)
    assert again.ok, [n.report() for n in again.failures]


def test_a_warm_pool_starts_each_kernel_with_the_package_and_the_data_loaded(
    data_dir, tmp_path
) -> None:
    """``KernelPool(warm=data)`` starts its kernels at once, importing the package and loading
    the data while the run validates: the first notebook a kernel runs finds both done (the
    stand-ins import neither the report module nor anything that loads the data first)."""
    templates = templates_with(tmp_path)
    check = (
        "import sys\nfrom pmf_utils.data.dataset import _load\n"
        "assert 'pmf_utils.pages.report' in sys.modules, 'the package was not imported'\n"
        "assert _load.cache_info().currsize == 1, 'the data was not loaded'"
    )
    for path in templates.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        nb.cells.insert(1, nbformat.v4.new_code_cell(check))
        nbformat.write(nb, path)
    with KernelPool(1, warm=data_dir) as warm:
        result = run_quarter(
            load(data_dir), Q1, templates_dir=templates, reports_dir=tmp_path / "out", pool=warm
        )
    assert result.ok, [n.report() for n in result.failures]
    with KernelPool(1) as cold:
        result = run_quarter(
            load(data_dir), Q1, templates_dir=templates, reports_dir=tmp_path / "cold", pool=cold
        )
    assert not result.ok  # the check itself can fail: a kernel not warmed has neither


def test_plan_follows_the_contract_and_priority_runs_are_partial(data_dir) -> None:
    data = load(data_dir)
    full = plan_jobs(data, Q1)
    assert [j.output for j in full] == [
        "kpis-children.ipynb",
        "kpis-streets.ipynb",
        "priority-children.ipynb",
        "priority-streets.ipynb",
        "ambition-people.ipynb",
        "ambition-place.ipynb",
        "overview.ipynb",
        "exceptions.ipynb",
        "dictionary.ipynb",
    ]
    assert full[0].parameters == {
        "quarter": "2025/26 Q1",
        "data_dir": str(data.data_dir),
        "priority": "children",
    }
    assert full[4].parameters["ambition"] == "people"
    partial = plan_jobs(data, Q1, ["streets"])
    assert [j.output for j in partial] == [
        "kpis-streets.ipynb",
        "priority-streets.ipynb",
        "ambition-place.ipynb",
    ]
    with pytest.raises(UnknownPriority, match="unknown priority: parks"):
        plan_jobs(data, Q1, ["parks"])


def _output(meta: dict | None = None, text: str = "x", **data: str) -> nbformat.NotebookNode:
    bundle = data or {"text/plain": text}
    return nbformat.v4.new_output("display_data", data=bundle, metadata=meta or {})


def test_report_cells_split_code_cells_around_markers() -> None:
    cell = nbformat.v4.new_code_cell("#| echo: false\n#| label: kpis\nshow_all()")
    narrative = {"pmf": {"narrative": "narrative/q/kpi-A.md", "state": "present"}}
    cell.outputs = [
        _output(text="intro"),
        _output({"pmf": {"kpi": "A"}}, text="A"),
        _output({"text/markdown": narrative}, **{"text/markdown": "Words on A."}),
        _output({"pmf": {"kpi": "B"}}, text="B"),
    ]
    items = list(report_cells([cell]))
    assert [type(i).__name__ for i in items] == [
        "NotebookNode",
        "KpiStart",
        "NotebookNode",
        "NotebookNode",
        "KpiStart",
        "NotebookNode",
    ]
    assert items[0].source == cell.source and len(items[0].outputs) == 1
    assert items[2].source == "#| echo: false\n#| label: kpis"
    assert items[3].cell_type == "markdown" and items[3].source == "Words on A."
    assert len({c.id for c in items if not isinstance(c, jobs.KpiStart)}) == 4


def test_kpi_sections_must_match_the_priority(tmp_path: Path) -> None:
    cell = nbformat.v4.new_code_cell("pages()")
    cell.outputs = [_output({"pmf": {"kpi": "A"}}), _output({"pmf": {"kpi": "Z"}})]
    nb = nbformat.v4.new_notebook(cells=[cell])
    job = Job("kpis.ipynb", "kpis-p.ipynb", {}, {}, {"A": {}, "B": {}})
    with pytest.raises(ValueError, match=r"missing: B; not in this priority: Z"):
        finish(nb, job, tmp_path, {})


# --- the ``pmf run`` command, each with its own pool ------------------------------------------


def in_project(reports: Path, data_dir: Path) -> list[str]:
    return ["--project", str(reports.parent), "--data", str(data_dir)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder whose notebooks are the stand-in templates; returns its reports folder
    (``pmf run`` writes there and nowhere else)."""
    (tmp_path / "pmf.toml").write_text("[project]\n", "utf-8")
    templates_with(tmp_path, ambition="failing-ambition").rename(tmp_path / "notebooks")
    return tmp_path / "reports"


def test_pmf_run_with_bad_data_exits_2_and_writes_nothing(project, data_dir, capsys) -> None:
    (data_dir / "kpis.csv").write_text(
        MINI_FILES["kpis.csv"].replace(",percentage,", ",percent,"), encoding="utf-8"
    )
    before = narrative_snapshot(data_dir)
    assert main(["run", *in_project(project, data_dir), "--no-render"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"kpis\.csv:2: unit: 'percent' is not one of", err)
    assert not project.exists()
    assert narrative_snapshot(data_dir) == before


def test_pmf_run_unknown_priority_exits_2(project, data_dir, capsys) -> None:
    assert main(["run", *in_project(project, data_dir), "--priority", "parks", "--no-render"]) == 2
    assert "unknown priority: parks" in capsys.readouterr().err
    assert not project.exists()


def test_pmf_new_quarter_and_run_leave_narrative_byte_identical(project, data_dir, capsys) -> None:
    """The whole command line, with one failing notebook: the others finish, the run exits 1
    naming the notebook, cell and error, and not one narrative byte changes."""
    assert main(["new-quarter", "2025/26 Q1", "--carry-forward", "--data", str(data_dir)]) == 0
    before = narrative_snapshot(data_dir)
    assert len(before) == 6

    status = main(["run", *in_project(project, data_dir), "--quarter", "2025/26 Q1", "--no-render"])

    out, err = capsys.readouterr()
    assert status == 1
    assert "notebook ambition-place.ipynb: cell 5: ValueError: deliberate failure" in err
    assert re.search(r"\[\s*\d/9\] FAILED +\d+\.\ds  ambition-place\.ipynb: cell 5:", out)
    assert re.search(r"\[\s*\d/9\] ok +\d+\.\ds  kpis-children\.ipynb -> 2 KPI pages", out)
    assert "9 notebooks in" in out and "8 ok, 1 failed." in out
    assert {p.name for p in (project / "2025-26-q1").glob("kpi-*.ipynb")} == {
        "kpi-CH01.ipynb",
        "kpi-CH02.ipynb",
        "kpi-ST01.ipynb",
    }
    assert narrative_snapshot(data_dir) == before
