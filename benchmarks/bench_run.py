"""Time a quarter: ``pmf run``'s warm kernels against the naive papermill loop, then publishing.

The naive loop is what anyone would write first: the ``papermill`` command once per notebook,
one after the other, each paying a new interpreter, a new kernel and fresh imports. The project
runs the same templates with the same parameters for the same quarter through
``pmf_utils.run.runner.run_quarter`` (a pool of warm kernels, one per core by default). Both run
here, on the same machine, into separate temporary folders. The goal on a 2-core machine is a
ratio of at least 2.5. The project's executed notebooks are then published with each engine
(``pmf_utils.publish.quarter``) into a temporary site, so the engines' publishing times are
measured in the same run on the same notebooks; Quarto only when ``quarto`` is on PATH
(``make bench`` puts the kit's there, as ``make test`` does). Then ``bench_incremental``: ``pmf
run`` cold, with nothing changed and after one commentary edit, as ratios to the cold run and to
the naive loop measured here. Then ``bench_scale``: each step of a quarter at 1, 5 and 10 times
the shipped plan, through the ``pmf`` command (``--times`` with no sizes skips it).

    python benchmarks/bench_run.py [--quarter Q] [--repeat N] [--jobs N] [--data DIR]
                                   [--templates DIR] [--engines builtin quarto]
                                   [--no-incremental] [--times [N ...]]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from statistics import median

import bench_scale

from pmf_utils.cli import quarter_arg
from pmf_utils.data.dataset import DataError, Dataset, find_data_dir, load
from pmf_utils.data.periods import quarter_label
from pmf_utils.publish.quarter import publish_quarter
from pmf_utils.run.jobs import Job, plan_jobs
from pmf_utils.run.runner import TEMPLATES_DIR, run_quarter

PAPERMILL = Path(sys.executable).with_name("papermill")


def naive_loop(jobs: Sequence[Job], templates: Path, out_dir: Path) -> tuple[float, int]:
    """Seconds taken and notebooks failed by the ``papermill`` command run once per notebook.

    Like the project's run, each notebook runs in the folder it is written to (``--cwd``), so
    charts are saved beside it in both.
    """
    out_dir.mkdir(parents=True)
    failed = 0
    started = time.perf_counter()
    for job in jobs:
        command = [str(PAPERMILL), str(templates / job.template), str(out_dir / job.output)]
        command += ["--cwd", str(out_dir), "--no-progress-bar", "--log-level", "ERROR"]
        for name, value in job.parameters.items():
            command += ["-r", name, value]
        failed += subprocess.run(command, capture_output=True).returncode != 0
    return time.perf_counter() - started, failed


def project_run(
    data: Dataset, quarter, templates: Path, reports: Path, workers: int | None
) -> tuple[float, int]:
    """Seconds taken and notebooks failed by the project's run, pool start-up included."""
    started = time.perf_counter()
    result = run_quarter(
        data, quarter, templates_dir=templates, reports_dir=reports, workers=workers
    )
    return time.perf_counter() - started, len(result.failures)


def publishing(
    data: Dataset, quarter, reports: Path, folder: Path, engines: Sequence[str]
) -> dict[str, float]:
    """Seconds each engine takes to publish the executed quarter into a new site."""
    times = {}
    for engine in engines:
        started = time.perf_counter()
        publish_quarter(
            data, quarter, reports_dir=reports, site_dir=folder / engine / "_site", engine=engine
        )
        times[engine] = time.perf_counter() - started
    return times


def in_small_process(script: str, *args: str) -> None:
    """Run another of the benchmarks in a new interpreter. Linux starts a child's peak memory
    at its parent's, and this process has published a quarter in-process: the ``pmf``
    commands those benchmarks time must be started from a small process for their memory
    figures to mean anything."""
    subprocess.run([sys.executable, str(Path(__file__).with_name(script)), *args], check=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", type=quarter_arg, help="e.g. 2025/26 Q2 (default: latest)")
    parser.add_argument("--repeat", type=int, default=1, help="timed rounds (default: 1)")
    parser.add_argument("--jobs", type=int, default=None, help="warm kernels (default: cores)")
    parser.add_argument("--data", metavar="DIR", help="the data folder (default as for pmf)")
    parser.add_argument("--templates", metavar="DIR", type=Path, default=TEMPLATES_DIR)
    parser.add_argument(
        "--engines",
        nargs="*",
        choices=("builtin", "quarto"),
        default=["builtin", "quarto"],
        help="publishing engines to time (default: both; none: execution only)",
    )
    parser.add_argument(
        "--no-incremental",
        dest="incremental",
        action="store_false",
        help="skip `pmf run` cold, with nothing changed and after one commentary edit",
    )
    bench_scale.add_times_option(parser)
    args = parser.parse_args(argv)
    engines = [e for e in args.engines if e != "quarto" or shutil.which("quarto")]
    if len(engines) < len(args.engines):
        print("quarto is not on PATH: the Quarto engine's publishing is not timed")
    try:
        data = load(find_data_dir(args.data))
    except DataError as error:
        print(error, file=sys.stderr)
        return 2
    quarter = args.quarter or data.latest_quarter()
    jobs = plan_jobs(data, quarter)
    print(
        f"{quarter_label(quarter)}: {len(jobs)} notebooks from {args.templates}, data "
        f"{data.data_dir} ({data.fingerprint}), {os.cpu_count()} cores"
    )
    naive_times, project_times, failures = [], [], 0
    publish_times: dict[str, list[float]] = {engine: [] for engine in engines}
    for round_ in range(1, args.repeat + 1):
        with tempfile.TemporaryDirectory(prefix="pmf-bench-") as tmp:
            naive, naive_failed = naive_loop(jobs, args.templates, Path(tmp) / "naive")
            ours, our_failed = project_run(
                data, quarter, args.templates, Path(tmp) / "project", args.jobs
            )
            published = (
                {}
                if our_failed
                else publishing(data, quarter, Path(tmp) / "project", Path(tmp) / "sites", engines)
            )
        naive_times.append(naive)
        project_times.append(ours)
        failures += naive_failed + our_failed
        print(
            f"round {round_}: naive papermill loop {naive:.1f}s ({naive_failed} failed), "
            f"pmf run {ours:.1f}s ({our_failed} failed), {naive / ours:.2f} times faster"
        )
        for engine, seconds in published.items():
            publish_times[engine].append(seconds)
            print(f"round {round_}: publishing with the {engine} engine {seconds:.1f}s")
    naive, ours = median(naive_times), median(project_times)
    print(
        f"median of {args.repeat}: naive papermill loop {naive:.1f}s, pmf run {ours:.1f}s, "
        f"ratio {naive / ours:.2f} ({len(jobs)} notebooks)"
    )
    for engine, times in publish_times.items():
        if times:
            print(f"median of {len(times)}: publishing, {engine} engine, {median(times):.1f}s")
    if args.incremental:
        in_small_process("bench_incremental.py", "--naive", f"{naive:.3f}")
    if args.times:
        in_small_process("bench_scale.py", "--times", *map(str, args.times))
    if failures:
        print(f"{failures} notebook run(s) failed: the times are not comparable.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
