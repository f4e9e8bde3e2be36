"""Publishing with Quarto: the same report, the same checks as the built-in engine's.

Quarto cannot be installed on machines that reach only package registries (this project's own
machines and CI among them), so these tests run only where ``quarto`` is on PATH.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pmf_utils.data.periods import quarter_slug
from pmf_utils.publish import quarter as publish
from tests.test_publish import (
    ReportCase,
    booklet_problems,
    broken_links,
    build_fixture_case,
    images_without_alt,
    missing_pages,
    tree_hashes,
)

QuartoSite = tuple[ReportCase, Path, publish.Publication, bool]
"""The case, the site, the later quarter's publication, and whether the earlier quarter's
files stayed byte-identical when it was published."""

pytestmark = pytest.mark.skipif(
    shutil.which("quarto") is None,
    reason="quarto is not on PATH, so the Quarto engine cannot run here; the built-in "
    "engine's tests (tests/test_publish.py) check the same output",
)


@pytest.fixture(scope="module")
def quarto_site(tmp_path_factory: pytest.TempPathFactory) -> QuartoSite:
    """The fixture report's two quarters published with Quarto, the earlier one first."""
    folder = tmp_path_factory.mktemp("quarto")
    case = build_fixture_case(folder / "reports")
    site_dir = folder / "_site"

    def run(quarter: pd.Period) -> publish.Publication:
        return publish.publish_quarter(
            case.data, quarter, reports_dir=case.reports_dir, site_dir=site_dir, engine="quarto"
        )

    run(case.earlier)
    before = tree_hashes(site_dir / quarter_slug(case.earlier))
    publication = run(case.later)
    unchanged = before == tree_hashes(site_dir / quarter_slug(case.earlier))
    return case, site_dir, publication, unchanged


def test_quarto_publishes_every_page(quarto_site: QuartoSite) -> None:
    case, site_dir, publication, _ = quarto_site
    assert publication.engine == "quarto"
    assert not missing_pages(site_dir, case.data, case.later)


def test_quarto_links_and_alt_text(quarto_site: QuartoSite) -> None:
    _, site_dir, _, _ = quarto_site
    assert not broken_links(site_dir)
    assert not images_without_alt(site_dir)


def test_quarto_booklets(quarto_site: QuartoSite) -> None:
    case, _, publication, _ = quarto_site
    assert not booklet_problems(publication.booklets, case)


def test_quarto_keeps_the_earlier_quarter(quarto_site: QuartoSite) -> None:
    assert quarto_site[3]
