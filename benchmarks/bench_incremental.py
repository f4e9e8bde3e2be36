"""Time what an analyst repeats in the week before the deadline, through the ``pmf`` command in
a project of its own (``pmf init --example``): the quarter from cold (executed and published),
the same ``pmf run`` with nothing changed, one commentary file edited and republished
(``pmf run --force``), and the same edit under ``pmf watch`` (from the file's save to the watch
saying it is watching again, the quarter published; its kernels were warmed before the edit, as
they are by the time an analyst has made one). Each with the ``pmf`` process's peak memory (its
kernels are separate processes), and as a ratio to the cold run, and to the naive loop when
given its seconds (``bench_run.py`` does).

    python benchmarks/bench_incremental.py [--engine builtin|quarto] [--naive SECONDS]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PMF = Path(sys.executable).with_name("pmf")


@dataclass(frozen=True)
class Timing:
    """One command: wall-clock seconds and the process's peak resident memory."""

    what: str
    seconds: float
    peak_mb: float

    def line(self, cold: float, naive: float | None) -> str:
        text = f"{self.what}: {self.seconds:.2f}s, peak {self.peak_mb:.0f} MB"
        text += f", {self.seconds / cold:.3f} of the cold run"
        if naive:
            text += f", {naive / self.seconds:.1f} times faster than the naive loop"
        return text


def timed(what: str, command: Sequence[str], cwd: Path) -> Timing:
    """Run a command to the end; fail loudly if it fails (the figures would mean nothing)."""
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(f"{' '.join(command)} failed:\n{output[-3000:]}")
    return Timing(what, seconds, usage.ru_maxrss / 1024)


def commentary_file(project: Path) -> Path:
    """The first KPI commentary file of the newest quarter's folder."""
    newest = sorted((project / "data" / "narrative").iterdir())[-1]
    return sorted(newest.glob("kpi-*.md"))[0]


def edit(project: Path) -> str:
    """Add a sentence to a commentary file, as an analyst saves one; its name."""
    edited = commentary_file(project)
    with edited.open("a", encoding="utf-8") as handle:
        handle.write("\nOne more sentence of commentary.\n")
    return edited.name


def watched_edit(project: Path, engine: str) -> Timing:
    """One commentary edit republished by a ``pmf watch`` that is already watching."""
    command = [str(PMF), "watch", "--engine", engine]
    process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, text=True)
    said = []

    def watching() -> None:
        for line in process.stdout or ():
            said.append(line)
            if line.startswith("Watching "):
                return
        raise RuntimeError(f"pmf watch stopped:\n{''.join(said)[-3000:]}")

    watching()
    started = time.perf_counter()
    name = edit(project)
    watching()
    seconds = time.perf_counter() - started
    if not any(line.startswith("Published ") for line in said):
        raise RuntimeError(f"pmf watch did not publish:\n{''.join(said)[-3000:]}")
    process.send_signal(signal.SIGTERM)
    _, _, usage = os.wait4(process.pid, 0)
    return Timing(
        f"one commentary edit republished by pmf watch ({name})", seconds, usage.ru_maxrss / 1024
    )


def scenarios(engine: str = "builtin") -> list[Timing]:
    """Cold, nothing changed, one commentary edit by ``pmf run`` and by ``pmf watch``, in a new
    example project."""
    with tempfile.TemporaryDirectory(prefix="pmf-bench-incremental-") as tmp:
        project = Path(tmp) / "project"
        subprocess.run(
            [str(PMF), "init", str(project), "--example"], check=True, capture_output=True
        )
        run = [str(PMF), "run", "--engine", engine]
        timings = [timed("pmf run, cold (execute and publish)", run, project)]
        timings.append(timed("pmf run, nothing changed", run, project))
        what = f"one commentary edit republished ({edit(project)})"
        timings.append(timed(what, [*run, "--force"], project))
        timings.append(watched_edit(project, engine))
    return timings


def report(timings: Sequence[Timing], naive: float | None = None) -> None:
    cold = timings[0].seconds
    for timing in timings:
        print(timing.line(cold, naive))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("builtin", "quarto"), default="builtin")
    parser.add_argument(
        "--naive", type=float, help="seconds the naive loop took, for the ratios (bench_run)"
    )
    args = parser.parse_args(argv)
    report(scenarios(args.engine), args.naive)
    return 0


if __name__ == "__main__":
    sys.exit(main())
