"""Publishing again after one input changed remakes exactly the outputs that input reaches:
the mini council on the package's own templates, on each engine, through ``pmf run``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pmf_utils.cli import main
from pmf_utils.project import resource

from .conftest import ENGINES, MINI, require_engine
from .test_incremental import add_cell, edit

pytestmark = pytest.mark.slow

ALWAYS = {"index.html", "downloads.html", "pmf-quarter.json", "pmf-outputs.json"}
"""Made again by every publish: they say when the quarter was published."""
STREETS = ("ST01", "streets", "place")
CHILDREN = ("CH01", "CH02", "children", "people")
WHOLE = ("overview", "exceptions", "dictionary", "whole-plan", "search")


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def commentary(root: Path) -> None:
    folder = root / "data" / "narrative" / "2025-26-q1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kpi-ST01.md").write_text("Fewer fly-tips this quarter.\n", "utf-8")


CHANGES: dict[str, tuple[Callable[[Path], None], tuple[str, ...], str]] = {
    "one observation": (
        lambda root: edit(root / "data/observations.csv", "CH02,2024/25,82", "CH02,2024/25,83"),
        CHILDREN + WHOLE,
        "kpi-CH02.html",
    ),
    "one target": (
        lambda root: edit(root / "data/targets.csv", "CH01,2025/26,65", "CH01,2025/26,66"),
        CHILDREN + WHOLE,
        "kpi-CH01.html",
    ),
    "one commentary file": (commentary, STREETS + WHOLE, "kpi-ST01.html"),
    "a template": (
        lambda root: add_cell(root / "notebooks/priority.ipynb"),
        ("priority", "whole-plan", "search"),
        "priority-children.html",
    ),
    "the plan's name": (
        lambda root: edit(root / "data/plan.csv", "Corporate Plan 2024-28", "Borough Plan 2024-28"),
        CHILDREN + STREETS + WHOLE + ("site_libs",),
        "kpi-ST01.html",
    ),
}
"""Each kind of input: how to change it, what it reaches (names holding one of these), and
an output that shows it (outside the reach of the other change published with it)."""
PUBLISHES = {
    "builtin": [[kind] for kind in CHANGES],
    "quarto": [
        ["one observation", "one target"],
        ["one commentary file", "a template"],
        ["the plan's name"],
    ],
}
"""The changes published together, by engine. Quarto takes a minute or more to publish the
mini council, so its changes go two at a time: the two that reach the same outputs (shown on
different pages), and the commentary of one priority's KPI with the template (shown on the
other priority's page)."""


@pytest.mark.parametrize("engine", ENGINES)
def test_each_input_republishes_exactly_the_outputs_it_reaches(engine, tmp_path, capsys) -> None:
    """The first publish, then each kind of input changed in turn and published again: the
    output that shows it changes, no output outside its reach does (byte for byte), and with
    nothing changed `pmf run` does nothing at all."""
    require_engine(engine)
    assert sorted(kind for kinds in PUBLISHES[engine] for kind in kinds) == sorted(CHANGES)
    root = tmp_path / "council"
    shutil.copytree(MINI, root / "data")
    shutil.copytree(resource("notebooks"), root / "notebooks")
    (root / "pmf.toml").write_text("[project]\nrequire_approval = false\n", "utf-8")
    args = ["run", "--project", str(root), "--engine", engine]
    assert main(args) == 0
    quarter = root / "_site" / "2025-26-q1"
    before = files(root / "_site")
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("Nothing changed since 2025/26 Q1")
    assert files(root / "_site") == before
    for kinds in PUBLISHES[engine]:
        before = files(quarter)
        for kind in kinds:
            CHANGES[kind][0](root)
        assert main(args) == 2, kinds
        assert main([*args, "--force"]) == 0, kinds
        after = files(quarter)
        changed = {name for name in after if before.get(name) != after[name]}
        assert {CHANGES[kind][2] for kind in kinds} <= changed, kinds
        reach = [token for kind in kinds for token in CHANGES[kind][1]]
        outside = {n for n in changed - ALWAYS if not any(token in n for token in reach)}
        assert outside == set(), kinds
