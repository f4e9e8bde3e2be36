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
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pandas as pd

from pmf_utils.data.dataset import Dataset
from pmf_utils.data.periods import quarter_label, quarter_slug
from pmf_utils.project import resource
from pmf_utils.run.fingerprint import jobs_inputs, read_record, write_record
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
    reused: int = 0
    """Notebooks not executed: their pages were made from the same inputs already."""

    @property
    def failures(self) -> list[NotebookResult]:
        return [n for n in self.notebooks if not n.ok]

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        unchanged = f"{self.reused} unchanged, not executed."
        if not self.notebooks:
            return f"Nothing to execute: {unchanged}"
        return (
            f"{len(self.notebooks)} notebooks in {self.seconds:.1f}s: "
            f"{len(self.notebooks) - len(self.failures)} ok, {len(self.failures)} failed."
            + (f" {unchanged}" if self.reused else "")
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
    """Execute the quarter's notebooks into ``reports_dir/<quarter-slug>/``, skipping those
    whose pages are there already, made from the same inputs (``fingerprint.jobs_inputs``).

    ``own_dir`` holds the priorities' and KPIs' own notebooks (``pmf customise``), run in place
    of the templates for them; it is only read. Raises ``UnknownPriority`` before writing
    anything. A full run removes the folder's other notebooks so none is left from an earlier
    run; a ``priorities`` run replaces only its own. Pass ``pool`` to reuse warm kernels across
    runs; otherwise a pool of ``workers`` (default: one per core) is started, when there is
    anything to execute, and closed here.
    """
    jobs = plan_jobs(data, quarter, priorities, own_dir)
    out_dir = (reports_dir / quarter_slug(quarter)).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    templates = templates_dir.resolve()
    every = plan_jobs(data, quarter, None, own_dir) if priorities is not None else jobs
    inputs = jobs_inputs(data, every, templates)
    record = read_record(out_dir)
    made = record["notebooks"]

    def current(job: Job) -> bool:
        return all(made.get(f) == inputs[job.output] and (out_dir / f).is_file() for f in job.files)

    todo = [job for job in jobs if not current(job)]
    for job in todo:
        for name in job.files:
            made.pop(name, None)
    if priorities is None:
        keep = {name for job in jobs if job not in todo for name in job.files}
        for stale in out_dir.glob("*.ipynb"):
            if stale.name not in keep:
                stale.unlink()
    run = {
        "quarter": quarter_label(quarter),
        "slug": quarter_slug(quarter),
        "data_fingerprint": data.fingerprint,
        "produced": datetime.now().astimezone().isoformat(timespec="seconds"),
        "code_version": code_version(),
    }
    tasks = [
        Task(job, templates, out_dir, {**run, "inputs": inputs[job.output]}, cell_timeout)
        for job in todo
    ]
    started = time.perf_counter()
    results = list(_execute(tasks, workers, pool, progress, out_dir))
    for result in results:
        if result.ok:
            made.update(dict.fromkeys(result.written, inputs[result.name]))
    if all(current(job) for job in every):
        record["data"] = data.fingerprint
    write_record(out_dir, record)
    seconds = time.perf_counter() - started
    return RunResult(quarter, out_dir, results, seconds, len(jobs) - len(todo))


def _execute(
    tasks: Sequence[Task],
    workers: int | None,
    pool: KernelPool | None,
    progress: Progress | None,
    out_dir: Path,
) -> Iterator[NotebookResult]:
    """Each task's result as it finishes; no kernel is started for no task."""
    if not tasks:
        return
    context = (
        nullcontext(pool) if pool else KernelPool(min(workers or os.cpu_count() or 1, len(tasks)))
    )
    with context as active:
        if progress:
            progress.start([task.job for task in tasks], active.size, out_dir)
        for done, result in enumerate(active.execute(tasks), 1):
            if progress:
                progress.finished(result, done, len(tasks))
            yield result


def page_inputs(
    data: Dataset, quarter: pd.Period, templates_dir: Path, own_dir: Path | None = None
) -> dict[str, str]:
    """Each page notebook of the whole quarter, with the fingerprint it will be made from: what
    a publication of the quarter is made of, known before anything executes."""
    jobs = plan_jobs(data, quarter, None, own_dir)
    inputs = jobs_inputs(data, jobs, templates_dir.resolve())
    return {name: inputs[job.output] for job in jobs for name in job.files}
