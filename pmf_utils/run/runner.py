"""Execute a quarter's notebooks with papermill, in warm kernels, and shape them into pages.

A quarter is some forty notebooks. Run naively (``papermill`` once per notebook) each one pays a
fresh Python interpreter, a fresh Jupyter kernel and fresh imports of pandas, matplotlib and
``pmf_utils`` before it does any work, one after the other. Here a pool of worker processes
(one per core by default) each starts one kernel and keeps it for every notebook it is given:
papermill still parameterises and executes each notebook, through the ``pmf-warm`` engine,
which hands nbclient the worker's running kernel instead of starting a new one. Between
notebooks the kernel's namespace is reset, so notebooks cannot see each other's variables,
while imported modules (and ``pmf_utils.data.dataset.load``'s cache) stay warm.

After execution each notebook is shaped for publishing as ``docs/architecture.md`` sets out:
commentary outputs become markdown cells, ``kpis-<priority>.ipynb`` is split into one
``kpi-<kpi_id>.ipynb`` per KPI, and the notebook metadata says what page it is and what made
it. A notebook that fails is reported by name, cell and error; the others still run."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pandas as pd

from pmf_utils.data.dataset import Dataset
from pmf_utils.data.periods import quarter_label, quarter_slug
from pmf_utils.project import resource
from pmf_utils.run.jobs import Job, plan_jobs
from pmf_utils.run.pool import CELL_TIMEOUT, KernelPool, NotebookResult, Task
from pmf_utils.version import code_version

TEMPLATES_DIR = resource("notebooks")


"""The package's template notebooks; a project's own ``notebooks/`` replaces them."""




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


class Progress(Protocol):
    """What a run reports as it goes (the command line prints it; tests may record it)."""


    def start(self, jobs: Sequence[Job], workers: int, out_dir: Path) -> None: ...


    def finished(self, result: NotebookResult, done: int, total: int) -> None: ...


def run_quarter(
    data: Dataset,
    quarter: pd.Period,
    *,
    priorities: Sequence[str] | None = None,
    templates_dir: Path = TEMPLATES_DIR,
    own_dir: Path | None = None,
    reports_dir: Path,
    workers: int | None = None,
    pool: KernelPool | None = None,
    progress: Progress | None = None,
    cell_timeout: int | None = CELL_TIMEOUT,
) -> RunResult:
    """Execute the quarter's notebooks into ``reports_dir/<quarter-slug>/``.


    ``own_dir`` holds the priorities' and KPIs' own notebooks (``pmf customise``), run in place
    of the templates for them; it is only read. Raises ``UnknownPriority`` before writing
    anything. A full run first removes the folder's
    executed notebooks so none is left from an earlier run; a ``priorities`` run replaces only
    its own. Pass ``pool`` to reuse warm kernels across runs; otherwise a pool of ``workers``
    (default: one per core) is started and closed here.
    """
    jobs = plan_jobs(data, quarter, priorities, own_dir)
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
