"""Worker processes, each with its warm kernel, that execute notebook tasks.

A ``Task`` is picklable and carries everything a spawned worker needs; ``execute`` runs it with
papermill on the worker's kernel, shapes the result into pages (``jobs.finish``) and reports
any failure by notebook, cell and error instead of raising, so the other notebooks still run.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

from pmf_utils.cells import CellOptionsError
from pmf_utils.run.figures import describe_figures
from pmf_utils.run.jobs import Job, finish
from pmf_utils.run.kernels import ENGINE, KernelLost, WarmKernel

CELL_TIMEOUT = 1800


"""Seconds one cell may run before its notebook fails (an unattended run must not hang)."""


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
    source: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def shown(self) -> str:
        """The executed notebook's name, and the analysts' own notebook it was made from."""
        return f"{self.name} (from {self.source})" if self.source else self.name

    def report(self) -> str:
        return f"notebook {self.shown}: {self.error}"


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
    template = job.own or task.templates_dir / job.template
    written: tuple[str, ...] = ()
    warnings: list[str] = []
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
        warnings = describe_figures(nb, job.source, lambda i: _template_cell(template, i))
        written = finish(nb, job, task.out_dir, task.run)
    except CellOptionsError as failure:
        error = str(failure)
    except PapermillExecutionError as failure:
        evalue = (failure.evalue.splitlines() or [""])[0]
        error = f"{_template_cell(template, failure.cell_index)}: {failure.ename}: {evalue}"
    except KernelLost as lost:
        error = f"{_template_cell(template, lost.cell_index)}: {lost}"
        _drop_kernel()
    except Exception as failure:  # any failure is this notebook's: reported, not raised
        error = f"{type(failure).__name__}: {failure}"
    source = job.source if job.own else None
    seconds = time.perf_counter() - started
    return NotebookResult(job.output, seconds, written, error, source, tuple(warnings))


class KernelPool:
    """Worker processes that each keep one Jupyter kernel running from notebook to notebook.


    Workers are spawned (not forked) so they start clean whatever the parent holds; each starts
    its kernel with its first notebook and shuts it down when the pool closes. One pool can
    serve several runs (the tests share one).
    """

    def __init__(
        self, size: int | None = None, warm: Path | None = None, quarter: str | None = None
    ):
        """With ``warm`` (the data folder), every worker starts at once and starts its kernel
        with the package imported, the data loaded and ``quarter`` judged (None: the latest),
        while the caller still validates: that start-up was most of a small run's time."""
        self.size = max(1, size or os.cpu_count() or 1)
        self._executor = ProcessPoolExecutor(
            self.size,
            mp_context=get_context("spawn"),
            initializer=_start_worker,
            initargs=(warm, quarter),
        )
        # A worker is spawned for each task waiting: with ``warm``, one each, started now.
        self._warming = [self._executor.submit(int) for _ in range(self.size if warm else 0)]

    def started(self) -> None:
        """Wait until every worker has started (and, with ``warm``, warmed) its kernel."""
        for future in self._warming:
            future.result()

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


def _start_worker(warm: Path | None, quarter: str | None) -> None:
    """Workers leave Ctrl-C to the parent, which stops the run and says so in one line; with
    ``warm``, the kernel starts now. A kernel that fails to start here is started again by
    the first notebook, which reports the failure."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm is not None:
        try:
            _warm_kernel().warm(warm, quarter)
        except Exception:
            _drop_kernel()
