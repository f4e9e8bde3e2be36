"""Shared fixtures: a tiny, valid council data folder that tests break one file at a time."""

from __future__ import annotations

import contextlib
import math
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

import nbformat
import pandas as pd
import pytest
from hypothesis import settings
from playwright.sync_api import Browser

from tests.browser import chromium

# Hypothesis fails an example that runs over 200 ms by default: a timed test, flaky on a shared
# two-core machine. Speed is measured in benchmarks/, never asserted here.
settings.register_profile("pmf", deadline=None)
settings.load_profile("pmf")

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
    from pmf_utils.data.dataset import load
    from pmf_utils.data.periods import parse_quarter
    from pmf_utils.run import runner
    from pmf_utils.run.pool import KernelPool

    reports = tmp_path_factory.mktemp("reports")
    data = load(SHIPPED_DATA)
    with KernelPool() as pool:
        for quarter in ("2025/26 Q1", "2025/26 Q2"):
            result = runner.run_quarter(
                data, parse_quarter(quarter), reports_dir=reports, pool=pool
            )
            assert result.ok, result.summary()
    return reports


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module (Debian's; see ``tests/browser.py``)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the shipped data folder for a test to import into."""
    return Path(shutil.copytree(SHIPPED_DATA, tmp_path / "data"))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, byte for byte: to show an import changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def judged_alone(figures: list[dict], quarter, targets=None, **kpi_fields: object) -> pd.Series:
    """``judge_kpi`` on one quarterly percentage KPI (``kpi_fields`` change it) given plain
    figures: each a dict with ``period`` (a Period), ``value`` and any observation column."""
    from pmf_utils.judge import assessment

    blank = dict.fromkeys(
        ["numerator", "denominator", "ci_lower", "ci_upper", *assessment.BENCHMARKS], math.nan
    )
    observations = pd.DataFrame(
        [
            {**blank, "flag": "", "note": "", **f, "period_end": f["period"].end_time}
            for f in figures
        ]
    )
    kpi = {
        "kpi_id": "K01",
        "unit": "percentage",
        "decimals": 1,
        "rate_per": math.nan,
        "polarity": "higher",
        "frequency": "quarterly",
        "lag_months": 0,
        "change_threshold": math.nan,
        "spc_rebase": (),
    }
    if targets is None:
        targets = pd.DataFrame(columns=["starts", "target", "tolerance"])
    no_comparators = pd.DataFrame(columns=["period", "value"])
    row = assessment.judge_kpi(
        pd.Series(kpi | kpi_fields), observations, targets, no_comparators, quarter
    )
    return pd.Series(row)


ENGINES = ("builtin", "quarto")
QUARTO_MISSING = (
    "quarto is not on PATH, so the Quarto engine cannot run here: `make test` builds it from "
    "the Quarto kit when ../shared/quarto is beside the repository (scripts/with-quarto)"
)


@contextlib.contextmanager
def no_validation() -> Iterator[None]:
    """Fails the test on any schema validation, however nbformat reaches it."""
    failing = mock.MagicMock(side_effect=AssertionError("nbformat validated a notebook"))
    with (
        mock.patch.object(nbformat.v4.nbbase, "validate", failing),
        mock.patch.object(nbformat, "validate", failing),
        mock.patch.object(nbformat.validator, "validate", failing),
    ):
        yield


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
