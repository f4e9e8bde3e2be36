"""Shared fixtures: a tiny, valid council data folder that tests break one file at a time."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.test_publish import Published

REPO = Path(__file__).resolve().parent.parent
SHIPPED_DATA = REPO / "data"

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
MINI_FILES = {p.name: p.read_text(encoding="utf-8") for p in sorted(MINI.glob("*.csv"))}
"""A tiny valid data folder for a made-up council (nothing about Walsall)."""


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def mini_data(tmp_path: Path) -> Path:
    """A valid data folder for a made-up council (nothing about Walsall)."""
    return write_folder(tmp_path / "data", MINI_FILES)


# Fixture notebooks are inputs to the runner's tests (one fails on purpose), not nbval tests.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="session")
def shipped_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data's 2025/26 Q1 and Q2 executed once for the whole session (about two
    minutes): the end-to-end, publishing and accessibility tests all read these notebooks."""
    from pmf_utils import runner
    from pmf_utils.dataset import load
    from pmf_utils.periods import parse_quarter

    reports = tmp_path_factory.mktemp("reports")
    data = load(SHIPPED_DATA)
    with runner.KernelPool() as pool:
        for quarter in ("2025/26 Q1", "2025/26 Q2"):
            result = runner.run_quarter(
                data, parse_quarter(quarter), reports_dir=reports, pool=pool
            )
            assert result.ok, result.summary()
    return reports


ENGINES = ("builtin", "quarto")
QUARTO_MISSING = (
    "quarto is not on PATH, so the Quarto engine cannot run here: `make test` builds it from "
    "the Quarto kit when ../shared/quarto is beside the repository (scripts/with-quarto)"
)


def require_engine(engine: str) -> None:
    """Skip, saying why, a check of an engine this machine cannot run."""
    if engine == "quarto" and shutil.which("quarto") is None:
        pytest.skip(QUARTO_MISSING)


@pytest.fixture(scope="session")
def published_sites(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], Published]:
    """``get(case, engine)``: a report case's two quarters published, each made once for the
    whole session and shared by the publishing, comparison and accessibility tests (Quarto
    takes minutes over the shipped quarter). For the shipped case the earlier quarter is
    published with the built-in engine (it is only there to be left alone and listed) and
    the later one, which every check reads, with ``engine``."""
    from tests.test_publish import CASES, publish_case

    made: dict[tuple[str, str], Published] = {}

    def get(case: str, engine: str) -> Published:
        require_engine(engine)
        if (case, engine) not in made:
            folder = tmp_path_factory.mktemp(f"{case}-{engine}")
            reports = (
                request.getfixturevalue("shipped_reports")
                if case == "shipped"
                else folder / "reports"
            )
            earlier = "builtin" if case == "shipped" else engine
            made[case, engine] = publish_case(
                case, CASES[case](reports), folder / "_site", engine, earlier
            )
        return made[case, engine]

    return get
