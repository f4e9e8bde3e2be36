"""Execute a quarter's notebooks with papermill, in warm kernels, and shape them into pages.

A quarter is some forty notebooks. Run naively (``papermill`` once per notebook) each one pays a
fresh Python interpreter, a fresh Jupyter kernel and fresh imports of pandas, matplotlib and
``pmf_utils`` before it does any work, one after the other. Here a pool of worker processes
(one per core by default) each starts one kernel and keeps it for every notebook it is given:
papermill still parameterises and executes each notebook, through the ``pmf-warm`` engine,
which hands nbclient the worker's running kernel instead of starting a new one. Between
notebooks the kernel's namespace is reset, so notebooks cannot see each other's variables,
while imported modules (and ``pmf_utils.dataset.load``'s cache) stay warm.

After execution each notebook is shaped for publishing as ``docs/architecture.md`` sets out:
commentary outputs become markdown cells, ``kpis-<priority>.ipynb`` is split into one
``kpi-<kpi_id>.ipynb`` per KPI, and the notebook metadata says what page it is and what made
it. A notebook that fails is reported by name, cell and error; the others still run.
"""

from __future__ import annotations

import argparse
import atexit
import copy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from itertools import takewhile
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO

import nbformat
import pandas as pd
import papermill
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.log import logger

from . import signoff
from .dataset import Dataset, find_data_dir, load
from .marks import Marks
from .periods import quarter_label, quarter_slug
from .project import Project, find_project, resource
from .runlock import Busy, project_lock

TEMPLATES_DIR = resource("notebooks")
"""The package's template notebooks; a project's own ``notebooks/`` replaces them."""
ENGINE = "pmf-warm"
KERNEL = "python3"
CELL_TIMEOUT = 1800
"""Seconds one cell may run before its notebook fails (an unattended run must not hang)."""

_RESET = """\
import os as _os, sys as _sys, warnings as _warnings
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
    _sys.modules["matplotlib"].rc_file_defaults()
if "pandas" in _sys.modules:
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        _sys.modules["pandas"].reset_option("all")
_os.chdir({cwd!r})
get_ipython().reset(new_session=True)
"""
"""Run in the kernel before each notebook: what a fresh kernel would have, bar imported modules.

``reset(new_session=True)`` is ``%reset -f`` that also restarts the execution count at 1.
"""


class UnknownPriority(ValueError):
    """``--priority`` named a priority the data does not have."""


class KernelLost(RuntimeError):
    """The kernel died, or a cell ran out of time, part way through a notebook."""

    def __init__(self, cell_index: int | None, error: BaseException):
        super().__init__(f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}")
        self.cell_index = cell_index


# --- the warm kernel and the papermill engine that uses it ------------------------------------


class WarmKernel:
    """One Jupyter kernel, started once and kept running for notebook after notebook."""

    def __init__(self, kernel_name: str = KERNEL):
        starter = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name=kernel_name,
            # Keep the progress display clean of ipykernel's start-up warnings; cell errors
            # and kernel failures still reach the report.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
        self.name = kernel_name
        self.km = starter.create_kernel_manager()
        starter.start_new_kernel()
        self.kc = starter.start_new_kernel_client()
        atexit.register(self.shutdown)

    def client(self, cls: type[NotebookClient], *args, **kwargs) -> NotebookClient:
        """A notebook client on this kernel; as it is given ``km`` it leaves the kernel running."""
        client = cls(*args, km=self.km, **kwargs)
        client.kc = self.kc
        return client

    def reset(self, cwd: Path) -> None:
        """Clear everything the last notebook left behind and move to ``cwd``."""
        cell = nbformat.v4.new_code_cell(_RESET.format(cwd=str(cwd)))
        client = self.client(NotebookClient, nbformat.v4.new_notebook(cells=[cell]))
        with client.setup_kernel():
            client.execute_cell(cell, 0, store_history=False)

    def alive(self) -> bool:
        return run_sync(self.km.is_alive)()

    def shutdown(self) -> None:
        atexit.unregister(self.shutdown)
        self.kc.stop_channels()
        run_sync(self.km.shutdown_kernel)(now=True)


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine, executing in a ``WarmKernel`` instead of a new kernel.

    papermill does everything else as usual (parameters, saving, error cells). The client is
    given the kernel's manager, so it does not own it and neither starts nor shuts the kernel
    down, and its client, so it connects no new one. A dead kernel or a cell timeout is raised
    as ``KernelLost`` naming the cell that was running.
    """

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name: str,
        log_output: bool = False,
        stdout_file=None,
        stderr_file=None,
        execution_timeout: int | None = None,
        *,
        kernel: WarmKernel,
        **_unused,
    ) -> NotebookNode:
        client = kernel.client(
            PapermillNotebookClient,
            nb_man,
            timeout=execution_timeout,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        try:
            return client.execute()
        except (DeadKernelError, CellTimeoutError) as error:
            started = [
                i for i, c in enumerate(nb_man.nb.cells) if c.metadata.papermill.get("start_time")
            ]
            raise KernelLost(started[-1] if started else None, error) from error


papermill_engines.register(ENGINE, WarmKernelEngine)


# --- what to run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One template executed once: its parameters, output file and page metadata.

    ``kpi_pages`` (``kpis`` jobs only) holds the metadata of each KPI page split out of it.
    """

    template: str
    output: str
    parameters: dict[str, str]
    page: dict[str, str | None]
    kpi_pages: dict[str, dict[str, str | None]] = field(default_factory=dict)


def _job(stem: str, parameters: dict[str, str], page: dict, kpi_pages: dict | None = None) -> Job:
    """Output names follow the contract: ``<stem>-<id>.ipynb`` for per-priority/ambition pages."""
    key = {"ambition": "ambition", "priority": "priority", "kpis": "priority"}.get(stem)
    output = f"{stem}-{parameters[key]}.ipynb" if key else f"{stem}.ipynb"
    return Job(f"{stem}.ipynb", output, parameters, page, kpi_pages or {})


def plan_jobs(
    data: Dataset, quarter: pd.Period, priorities: Sequence[str] | None = None
) -> list[Job]:
    """Every notebook of the quarter (the contract table in ``docs/architecture.md``).

    With ``priorities`` only those priorities' pages, their KPI pages and the pages of the
    ambitions they sit under are run: a quick re-run while working on some priorities. The
    whole-plan pages (overview, exceptions, dictionary) need a full run. KPI notebooks come
    first as they take longest, which keeps the workers evenly busy to the end.
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
            page = {"page": "kpis", "id": p.priority_id, "title": p.priority}
            jobs.append(_job("kpis", {**base, "priority": p.priority_id}, page, pages))
    for p in chosen.itertuples():
        page = {"page": "priority", "id": p.priority_id, "title": p.priority}
        page = {**page, "ambition": p.ambition_id}
        jobs.append(_job("priority", {**base, "priority": p.priority_id}, page))
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


# --- shaping an executed notebook into pages --------------------------------------------------


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
    matter) and is then removed; every KPI of the priority must have exactly its section.
    """
    items = list(report_cells(nb.cells))
    if not job.kpi_pages:
        cells = [c for c in items if not isinstance(c, KpiStart)]
        nbformat.write(_stamped(nb, cells, job.page, run), out_dir / job.output)
        return (job.output,)
    sections = kpi_sections(items)
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


# --- executing in the worker processes --------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """A job as a worker receives it, with where to find and put things."""

    job: Job
    templates_dir: Path
    out_dir: Path
    run: dict[str, str]
    cell_timeout: int | None


@dataclass(frozen=True)
class NotebookResult:
    """How one notebook went: ``error`` is ``None`` or e.g. ``cell 7: KeyError: 'CH01'``."""

    name: str
    seconds: float
    written: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def report(self) -> str:
        return f"notebook {self.name}: {self.error}"


def _template_cell(template: Path, index: int | None) -> str:
    """Name the failing cell by its position in the template, as the analyst sees it in
    JupyterLab (papermill's parameter cell, injected after the ``parameters`` cell, is not
    counted)."""
    if index is None:
        return "cell ?"
    cells = nbformat.read(template, as_version=4).cells
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.metadata.get("tags", [])]
    injected = tagged[0] + 1 if tagged else 0
    if index == injected:
        return "injected parameters"
    return f"cell {index if index > injected else index + 1}"


_kernel: WarmKernel | None = None
"""This worker process's kernel."""


def _warm_kernel() -> WarmKernel:
    global _kernel
    if _kernel is not None and not _kernel.alive():
        _drop_kernel()
    if _kernel is None:
        _kernel = WarmKernel()
    return _kernel


def _drop_kernel() -> None:
    """Shut a kernel down that died or is stuck; the next notebook starts a new one."""
    global _kernel
    if _kernel is not None:
        _kernel.shutdown()
        _kernel = None


def execute(task: Task) -> NotebookResult:
    """Execute one notebook in this process's warm kernel; never raises, reports instead."""
    started = time.perf_counter()
    job = task.job
    template = task.templates_dir / job.template
    written: tuple[str, ...] = ()
    error = None
    try:
        kernel = _warm_kernel()
        kernel.reset(task.out_dir)
        nb = papermill.execute_notebook(
            str(template),
            str(task.out_dir / job.output),
            parameters=job.parameters,
            engine_name=ENGINE,
            kernel_name=kernel.name,
            progress_bar=False,
            execution_timeout=task.cell_timeout,
            kernel=kernel,
        )
        written = finish(nb, job, task.out_dir, task.run)
    except PapermillExecutionError as failure:
        evalue = (failure.evalue.splitlines() or [""])[0]
        error = f"{_template_cell(template, failure.cell_index)}: {failure.ename}: {evalue}"
    except KernelLost as lost:
        error = f"{_template_cell(template, lost.cell_index)}: {lost}"
        _drop_kernel()
    except Exception as failure:  # any failure is this notebook's: reported, not raised
        error = f"{type(failure).__name__}: {failure}"
    return NotebookResult(job.output, time.perf_counter() - started, written, error)


class KernelPool:
    """Worker processes that each keep one Jupyter kernel running from notebook to notebook.

    Workers are spawned (not forked) so they start clean whatever the parent holds; each starts
    its kernel with its first notebook and shuts it down when the pool closes. One pool can
    serve several runs (the tests share one).
    """

    def __init__(self, size: int | None = None):
        self.size = max(1, size or os.cpu_count() or 1)
        self._executor = ProcessPoolExecutor(
            self.size, mp_context=get_context("spawn"), initializer=_ignore_interrupts
        )

    def execute(self, tasks: Sequence[Task]) -> Iterator[NotebookResult]:
        """Results in the order notebooks finish."""
        futures = {self._executor.submit(execute, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as error:  # the worker process itself was lost
                name = futures[future].job.output
                yield NotebookResult(name, 0.0, error=f"worker process lost: {error!r}")

    def close(self) -> None:
        self._executor.shutdown()

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            # Interrupted or failed: notebooks not yet started never will be.
            self._executor.shutdown(cancel_futures=True)
        self.close()


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops the run and says so in one line."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --- a quarter's run --------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """The outcome of executing a quarter: every notebook's result, in finishing order."""

    quarter: pd.Period
    out_dir: Path
    notebooks: list[NotebookResult]
    seconds: float

    @property
    def failures(self) -> list[NotebookResult]:
        return [n for n in self.notebooks if not n.ok]

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        return (
            f"{len(self.notebooks)} notebooks in {self.seconds:.1f}s: "
            f"{len(self.notebooks) - len(self.failures)} ok, {len(self.failures)} failed."
        )


class ConsoleProgress:
    """The run's progress display: what is about to run, then a line per finished notebook."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout

    def start(self, jobs: Sequence[Job], workers: int, out_dir: Path) -> None:
        print(
            f"Executing {len(jobs)} notebooks with {workers} warm kernel(s) into {out_dir}",
            file=self.stream,
            flush=True,
        )

    def finished(self, result: NotebookResult, done: int, total: int) -> None:
        status, detail = ("ok", "") if result.ok else ("FAILED", f": {result.error}")
        if result.ok and result.written != (result.name,):
            pages = len(result.written)
            detail = f" -> {pages} KPI page{'s' if pages != 1 else ''}"
        width = len(str(total))
        print(
            f"[{done:>{width}}/{total}] {status:<6} {result.seconds:6.1f}s  {result.name}{detail}",
            file=self.stream,
            flush=True,
        )


def code_version() -> str:
    """The package version and, for a development checkout of the package (an editable
    install beside its ``.git``), the commit (``0.1.0+1a2b3c4-dirty``). An installed wheel is
    its version alone: git never runs inside site-packages."""
    try:
        base = version("pmf-utils")
    except PackageNotFoundError:
        base = "unknown"
    checkout = Path(__file__).resolve().parent.parent
    if not ((checkout / "pyproject.toml").is_file() and (checkout / ".git").exists()):
        return base
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=7"],
            cwd=checkout,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return base
    return f"{base}+{described}"


def run_quarter(
    data: Dataset,
    quarter: pd.Period,
    *,
    priorities: Sequence[str] | None = None,
    templates_dir: Path = TEMPLATES_DIR,
    reports_dir: Path,
    workers: int | None = None,
    pool: KernelPool | None = None,
    progress: ConsoleProgress | None = None,
    cell_timeout: int | None = CELL_TIMEOUT,
) -> RunResult:
    """Execute the quarter's notebooks into ``reports_dir/<quarter-slug>/``.

    Raises ``UnknownPriority`` before writing anything. A full run first removes the folder's
    executed notebooks so none is left from an earlier run; a ``priorities`` run replaces only
    its own. Pass ``pool`` to reuse warm kernels across runs; otherwise a pool of ``workers``
    (default: one per core) is started and closed here.
    """
    jobs = plan_jobs(data, quarter, priorities)
    out_dir = (reports_dir / quarter_slug(quarter)).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    if priorities is None:
        for stale in out_dir.glob("*.ipynb"):
            stale.unlink()
    run = {
        "quarter": quarter_label(quarter),
        "slug": quarter_slug(quarter),
        "data_fingerprint": data.fingerprint,
        "produced": datetime.now().astimezone().isoformat(timespec="seconds"),
        "code_version": code_version(),
    }
    tasks = [Task(job, templates_dir.resolve(), out_dir, run, cell_timeout) for job in jobs]
    started = time.perf_counter()
    results: list[NotebookResult] = []
    context = (
        nullcontext(pool) if pool else KernelPool(min(workers or os.cpu_count() or 1, len(tasks)))
    )
    with context as active:
        if progress:
            progress.start(jobs, active.size, out_dir)
        for result in active.execute(tasks):
            results.append(result)
            if progress:
                progress.finished(result, len(results), len(tasks))
    return RunResult(quarter, out_dir, results, time.perf_counter() - started)


def publish(
    data: Dataset, quarter: pd.Period, project: Project, args: argparse.Namespace, marks: Marks
) -> int:
    """Hand the executed quarter to the publisher (the one place the run calls it); returns
    the publisher's exit status, after it has said what it built or what went wrong."""
    from .publish import publish_and_report

    engine = args.engine or project.settings["engine"]
    return publish_and_report(
        data, quarter, project=project, engine=engine, force=args.force, marks=marks
    )


def run_command(args: argparse.Namespace) -> int:
    """``pmf run``: validate (exit 2, nothing written), execute (exit 1 on any failure), publish."""
    from .cli import INPUT_ERROR, validate_command

    status = validate_command(args)
    if status:
        return status
    if args.jobs is not None and args.jobs < 1:
        print("--jobs must be 1 or more", file=sys.stderr)
        return INPUT_ERROR
    project = find_project(args.project)
    try:
        with project_lock(project.root):
            return _run(args, project)
    except Busy as error:
        print(error, file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, project: Project) -> int:
    from .cli import INPUT_ERROR

    data = load(find_data_dir(args.data, args.project))
    quarter = args.quarter or data.latest_quarter()
    gate = signoff.gate(
        data,
        quarter,
        required=project.settings["require_approval"] and not args.no_render,
        allow=args.allow_unapproved,
    )
    if gate.refusal:
        print(gate.refusal, file=sys.stderr)
        return INPUT_ERROR
    try:
        result = run_quarter(
            data,
            quarter,
            priorities=args.priority,
            templates_dir=project.notebooks_dir,
            reports_dir=project.reports_dir,
            workers=args.jobs,
            progress=ConsoleProgress(),
        )
    except UnknownPriority as error:
        print(error, file=sys.stderr)
        return INPUT_ERROR
    print(result.summary(), flush=True)
    if not result.ok:
        for failure in result.failures:
            print(failure.report(), file=sys.stderr)
        return 1
    if args.no_render:
        return 0
    return publish(data, quarter, project, args, gate.marks)


__all__ = [
    "ConsoleProgress",
    "Job",
    "KernelPool",
    "NotebookResult",
    "RunResult",
    "UnknownPriority",
    "WarmKernel",
    "WarmKernelEngine",
    "finish",
    "kpi_sections",
    "plan_jobs",
    "report_cells",
    "run_command",
    "run_quarter",
]
