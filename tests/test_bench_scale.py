"""The scaling benchmark's generated projects: N copies of the example plan that still validate,
every copied KPI with its figures and commentary; and its arithmetic. Nothing here is timed."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from pmf_utils.data.dataset import load, validate
from pmf_utils.data.schema import SPECS
from pmf_utils.scaffold import init_project

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def benchmark(name: str) -> ModuleType:
    """A module of benchmarks/, imported as its scripts import each other (by file name)."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


scaled = benchmark("scaled")
bench_scale = benchmark("bench_scale")
bench_incremental = benchmark("bench_incremental")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path / "project", example=True)
    return tmp_path / "project"


def rows(project: Path, name: str) -> list[dict[str, str]]:
    return scaled.table_rows(project / "data" / name, SPECS[name])


def test_twice_the_plan_validates_with_every_copy_complete(project: Path) -> None:
    before = {
        name: rows(project, name) for name in scaled.COPIED if (project / "data" / name).exists()
    }
    narrative = project / "data" / "narrative"
    commentary = {p.relative_to(narrative): p.read_bytes() for p in narrative.rglob("*.md")}
    scaled.scale_project(project, 2)
    assert validate(project / "data") == []
    kpis = rows(project, "kpis.csv")
    assert len(kpis) == 2 * len(before["kpis.csv"])
    for name, key in (("kpis.csv", "kpi_id"), ("priorities.csv", "priority_id")):
        ids = [row[key] for row in rows(project, name)]
        assert len(set(ids)) == len(ids)
    for name in ("kpis.csv", "priorities.csv", "ambitions.csv"):
        names = [row[scaled.NAMES[name]] for row in rows(project, name)]
        assert len(set(names)) == len(names) == 2 * len(before[name])
    for original in before["kpis.csv"]:
        copy = scaled.copy_id(original["kpi_id"], 2)
        for name in ("observations.csv", "targets.csv", "comparators.csv", "annotations.csv"):
            theirs = [r for r in before[name] if r["kpi_id"] == original["kpi_id"]]
            ours = [r for r in rows(project, name) if r["kpi_id"] == copy]
            assert ours == [{**r, "kpi_id": copy} for r in theirs], (name, copy)
    assert sum(r["kpi_id"].endswith("-x2") for r in rows(project, "observations.csv")) == len(
        before["observations.csv"]
    )
    for path, text in commentary.items():
        kind, _, id = path.stem.partition("-")
        if kind in ("kpi", "priority"):
            copied = narrative / path.parent / f"{kind}-{scaled.copy_id(id, 2)}.md"
            assert copied.read_bytes() == text
    data = load(project / "data")
    copies = data.priorities[data.priorities["priority_id"].str.endswith("-x2")]
    assert len(copies) == len(before["priorities.csv"])
    assert copies["ambition_id"].str.endswith("-x2").all()


def test_once_the_plan_is_the_plan_untouched(project: Path) -> None:
    files = {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()}
    scaled.scale_project(project, 1)
    assert {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()} == files
    with pytest.raises(ValueError, match="1 or more"):
        scaled.scale_project(project, 0)


def test_peaks_recorded_by_the_pmf_command_run_in_process(project: Path) -> None:
    record = project / "peaks"
    command = [sys.executable, str(bench_scale.PEAKS), str(record), "validate"]
    done = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "OK" in done.stdout
    own, children = map(int, record.read_text().split())
    assert own > 10_000  # kB: an interpreter that imported pandas
    assert children >= 0


def step(times: int, what: str, seconds: float, own: float = 100, children: float = 50):
    timing = bench_incremental.Timing(what, seconds, max(own, children))
    return bench_scale.Step(times, timing, own, children)


def test_growth_is_time_over_the_base_over_the_size() -> None:
    base = step(1, "execute", 10.0)
    assert bench_scale.growth(step(10, "execute", 100.0), base) == pytest.approx(1.0)
    assert bench_scale.growth(step(5, "execute", 25.0), base) == pytest.approx(0.5)


def test_whole_quarter_adds_times_and_keeps_the_largest_peaks() -> None:
    whole = bench_scale.whole_quarter(
        [step(5, "validate", 2.0, 80, 0), step(5, "publish", 30.0, 700, 300)]
    )
    assert (whole.times, whole.timing.what, whole.timing.seconds) == (5, "whole quarter", 32.0)
    assert (whole.own_mb, whole.children_mb, whole.timing.peak_mb) == (700, 300, 700)


def test_report_prints_every_step_and_the_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    sizes = {
        1: (63, [step(1, what, 10.0) for what in bench_scale.STEPS]),
        2: (126, [step(2, what, 30.0) for what in bench_scale.STEPS]),
    }
    bench_scale.report(sizes)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 2 * (len(bench_scale.STEPS) + 1)
    assert lines[-1] == "| 2x | 126 | whole quarter | 120.00 | 100 MB | 50 MB | 1.50 |"


def test_times_given_no_sizes_measures_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_scale.main(["--times"]) == 0
    assert capsys.readouterr().out == ""
