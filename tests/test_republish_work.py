"""Publishing a quarter again does no work twice: no schema validation, each executed notebook
read once, the extensions hashed once, figures that did not change linked from the published
quarter rather than written again, and the front pages' unchanged conversions taken from the
cache (the site is the same either way)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from unittest import mock

import nbformat
import pytest

from pmf_utils import pandoc
from pmf_utils.data.periods import quarter_slug
from pmf_utils.publish import build, documents, executed, reuse
from pmf_utils.publish import quarter as publish
from tests.conftest import no_validation
from tests.test_publish import Published, PublishedSites

pytestmark = pytest.mark.slow


@pytest.fixture
def copies(published_sites: PublishedSites, tmp_path: Path) -> tuple[Published, Path, Path]:
    """The fixture case published, and private copies of its site and executed notebooks."""
    published = published_sites("fixture", "builtin")
    site = Path(shutil.copytree(published.site, tmp_path / "_site"))
    reports = Path(shutil.copytree(published.case.reports_dir, tmp_path / "reports"))
    return published, site, reports


def _republish(published: Published, site: Path, reports: Path) -> publish.Publication:
    case = published.case
    return publish.publish_quarter(
        case.data, case.later, reports_dir=reports, site_dir=site, engine="builtin", force=True
    )


def test_a_republish_reads_each_notebook_once_and_validates_none(copies) -> None:
    published, site, reports = copies
    reads: Counter[Path] = Counter()

    def counted(path: Path) -> nbformat.NotebookNode:
        reads[path] += 1
        return read_notebook(path)

    read_notebook = documents.read_notebook
    hashes = mock.Mock(wraps=reuse.tree_inputs)
    with (
        no_validation(),
        mock.patch.object(documents, "read_notebook", counted),
        mock.patch.object(build, "read_notebook", counted),
        # Checking the notebooks needs their metadata alone: it reads no cells into nodes.
        mock.patch.object(executed, "read_notebook", counted, create=True),
        mock.patch.object(reuse, "tree_inputs", hashes),
    ):
        _republish(published, site, reports)
    folder = reports / quarter_slug(published.case.later)
    pages = sorted(folder.glob("*.ipynb"))
    assert pages
    assert {path: reads[path] for path in pages} == dict.fromkeys(pages, 1)
    assert hashes.call_count == 1  # the extensions, once for all the booklets


def test_figures_that_did_not_change_are_linked_from_the_published_quarter(copies) -> None:
    published, site, reports = copies
    slug = quarter_slug(published.case.later)
    changed = sorted((reports / slug / "figures").glob("*.csv"))[0]
    changed.write_text(changed.read_text("utf-8") + "99,1.5\n", "utf-8")
    publication = _republish(published, site, reports)
    earlier = publication.superseded / "figures"
    figures = sorted(p.name for p in earlier.iterdir())
    assert len(figures) > 1 and changed.name in figures
    for name in figures:
        old, new = earlier / name, site / slug / "figures" / name
        if name == changed.name:
            assert new.stat().st_ino != old.stat().st_ino
            assert new.read_bytes() == changed.read_bytes()
        else:
            assert new.stat().st_ino == old.stat().st_ino, name


def test_the_front_pages_take_unchanged_conversions_from_the_cache(copies) -> None:
    published, site, reports = copies
    converting = mock.Mock(wraps=pandoc._convert)
    with mock.patch.object(pandoc, "_convert", converting):
        _republish(published, site, reports)
    converted = [c.markdown for call in converting.call_args_list for c in call.args[0]]
    assert "Accessibility statement" not in converted  # a menu word of the front pages only
    assert "Accessibility statement" in (site / "index.html").read_text("utf-8")
