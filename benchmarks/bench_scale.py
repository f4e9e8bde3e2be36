"""Time a quarter at 1, 5 and 10 times the shipped plan: its cost must grow no faster than the
number of KPIs.

For each size, in a temporary folder: a project made by ``pmf init --example`` and scaled by
``scaled.scale_project``, then, through the ``pmf`` command from cold, each step of a quarter:
``pmf validate``, ``pmf status``, ``pmf run --no-render`` (execution) and ``pmf render``
(publishing), both with the built-in engine. Each step's seconds, the ``pmf`` process's own peak
memory and its largest child's (kernels, pool workers, pandoc: ``pmf_peaks``), then per step
and for the whole quarter the time at N divided by the time at 1x, divided by N: at most 1
means the step grows no faster than the plan.

    python benchmarks/bench_scale.py [--times 1 5 10]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench_incremental import PMF, Timing, timed
from scaled import scale_project, table_rows

from pmf_utils.data.schema import SPECS

PEAKS = Path(__file__).with_name("pmf_peaks.py")
STEPS = {
    "validate": ["validate"],
    "status": ["status"],
    "execute": ["run", "--no-render", "--engine", "builtin"],
    "publish": ["render", "--engine", "builtin"],
}
"""A quarter's steps in order, as the analyst types them after ``pmf``."""
QUARTER = "whole quarter"


@dataclass(frozen=True)
class Step:
    """One step at one size: its timing (peak: the larger of own and children) and its split."""

    times: int
    timing: Timing
    own_mb: float
    children_mb: float


def timed_step(times: int, what: str, arguments: Sequence[str], project: Path) -> Step:
    """Run ``pmf ARGUMENTS`` in the project, its peaks written by ``pmf_peaks``."""
    record = project / ".pmf-peaks"
    timing = timed(what, [sys.executable, str(PEAKS), str(record), *arguments], project)
    own, children = (int(kb) / 1024 for kb in record.read_text(encoding="utf-8").split())
    record.unlink()
    # As it goes, on stderr: a 10x quarter takes many minutes before the table is printed.
    print(f"{times}x {what}: {timing.seconds:.1f}s", file=sys.stderr, flush=True)
    return Step(times, timing, own, children)


def quarter_at(times: int) -> tuple[int, list[Step]]:
    """The number of KPIs and each step's figures, in a new project ``times`` the plan."""
    with tempfile.TemporaryDirectory(prefix=f"pmf-bench-scale-{times}x-") as tmp:
        project = Path(tmp) / "project"
        subprocess.run(
            [str(PMF), "init", str(project), "--example"], check=True, capture_output=True
        )
        scale_project(project, times)
        kpis = len(table_rows(project / "data" / "kpis.csv", SPECS["kpis.csv"]))
        steps = [timed_step(times, what, args, project) for what, args in STEPS.items()]
    return kpis, steps


def whole_quarter(steps: Sequence[Step]) -> Step:
    """The steps one after the other: their seconds added up, their peaks the largest."""
    peak = max(step.timing.peak_mb for step in steps)
    seconds = sum(step.timing.seconds for step in steps)
    own = max(step.own_mb for step in steps)
    children = max(step.children_mb for step in steps)
    return Step(steps[0].times, Timing(QUARTER, seconds, peak), own, children)


def growth(step: Step, base: Step) -> float:
    """Time at N over time at 1x, over N: at most 1 is no faster than the plan grows."""
    return step.timing.seconds / base.timing.seconds / step.times


def report(sizes: dict[int, tuple[int, list[Step]]]) -> None:
    """A markdown table: each size's steps and whole quarter, with their growth against 1x."""
    rows = {times: [*steps, whole_quarter(steps)] for times, (_kpis, steps) in sizes.items()}
    base = {step.timing.what: step for step in rows.get(1, [])}
    print("| size | KPIs | step | seconds | peak, pmf | peak, largest child | time / 1x / N |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for times, steps in rows.items():
        for step in steps:
            ratio = f"{growth(step, base[step.timing.what]):.2f}" if base else "no 1x run"
            print(
                f"| {times}x | {sizes[times][0]} | {step.timing.what} | "
                f"{step.timing.seconds:.2f} | {step.own_mb:.0f} MB | {step.children_mb:.0f} MB | "
                f"{ratio} |"
            )


def add_times_option(parser: argparse.ArgumentParser) -> None:
    """``--times``: the sizes to measure; given with no sizes, none (``bench_run`` skips)."""
    parser.add_argument(
        "--times",
        nargs="*",
        type=int,
        default=[1, 5, 10],
        help="sizes, in copies of the shipped plan (default: 1 5 10; 1 is the ratios' base; "
        "none: no scaling measured)",
    )


def scaling(sizes: Sequence[int]) -> None:
    """Measure a quarter at each size (copies of the shipped plan) and print the table; no
    sizes, nothing measured or printed."""
    if sizes:
        report({times: quarter_at(times) for times in sorted(set(sizes))})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_times_option(parser)
    args = parser.parse_args(argv)
    scaling(args.times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
