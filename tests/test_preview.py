"""A preview is not publishing, and a quarter published without sign-off says so.

One project of the fixture council, built three times: published with ``--allow-unapproved``,
then previewed twice. The published site must come through both previews byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from pmf_utils.cli import main
from pmf_utils.cli.preview import NOTICE

from .conftest import MINI

pytestmark = pytest.mark.slow

SIGNED = "---\nstatus: approved\napproved_by: Jo Bloggs\napproved_on: 2026-01-15\n---\n"
UNSIGNED = "Not signed off: 5 of 6 commentaries in this report were published without approval."


def pages(folder: Path) -> dict[Path, str]:
    """Every HTML page of a built site (not its libraries)."""
    return {
        p: p.read_text("utf-8")
        for p in sorted(folder.rglob("*.html"))
        if "site_libs" not in p.relative_to(folder).parts
    }


def booklet_pages_without(folder: Path, notice: str) -> list[str]:
    """The pages of the three booklets (whole plan, two priorities) that lack ``notice``."""
    booklets = sorted(folder.rglob("*.pdf"))
    assert len(booklets) == 3
    return [
        f"{path.name} page {n}"
        for path in booklets
        for n, page in enumerate(PdfReader(path).pages, 1)
        if notice not in " ".join(page.extract_text().split())
    ]


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture council, requiring approval, with only its overview approved, published
    with ``--allow-unapproved``."""
    root = tmp_path_factory.mktemp("signoff")
    shutil.copytree(MINI, root / "data")
    (root / "pmf.toml").write_text("[project]\n", "utf-8")
    overview = root / "data" / "narrative" / "2025-26-q1" / "overview.md"
    overview.parent.mkdir(parents=True)
    overview.write_text(f"{SIGNED}A steady quarter.\n", "utf-8")
    args = ["run", "--project", str(root), "--engine", "builtin", "--allow-unapproved"]
    assert main(args) == 0
    return root


def test_published_without_approval_every_page_says_so(project: Path) -> None:
    quarter = project / "_site" / "2025-26-q1"
    site = pages(project / "_site")
    assert site and [p for p, text in site.items() if UNSIGNED not in text] == []
    assert booklet_pages_without(quarter, "Not signed off") == []
    manifest = json.loads((quarter / "pmf-quarter.json").read_text("utf-8"))
    assert manifest["signoff"]["approved"] == [
        {
            "file": "narrative/2025-26-q1/overview.md",
            "approved_by": "Jo Bloggs",
            "approved_on": "2026-01-15",
        }
    ]
    assert manifest["signoff"]["published_unapproved"] is True
    assert {"file": "narrative/2025-26-q1/kpi-CH01.md", "state": "awaited"} in (
        manifest["signoff"]["not_approved"]
    )
    overview = (quarter / "overview.html").read_text("utf-8")
    assert "A steady quarter." in overview
    # The overview lists each commentary's state, least finished first.
    states = re.findall(r">(awaited|draft|ready|approved by [^<]+)</td>", overview)
    assert states == ["awaited"] * 5 + ["approved by Jo Bloggs on 2026-01-15"]
    assert "status: approved" not in " ".join(site.values())


def test_preview_leaves_the_site_and_replaces_the_last_preview(project: Path, capsys) -> None:
    published = fingerprint(project / "_site")
    reports = fingerprint(project / "reports")
    preview = project / "_preview"
    args = ["preview", "--project", str(project), "--engine", "builtin"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"{(preview / 'index.html').as_uri()}" in out
    assert f"python -m http.server -d {preview}" in out
    first = pages(preview)
    assert first and [p for p, text in first.items() if NOTICE not in text] == []
    assert [p for p, text in first.items() if "Not signed off" in text] == []
    assert booklet_pages_without(preview, NOTICE) == []
    # One quarter, never an archive entry or a superseded copy; nothing left over.
    assert sorted(p.name for p in preview.iterdir() if p.is_dir()) == ["2025-26-q1", "site_libs"]
    manifest = json.loads((preview / "2025-26-q1" / "pmf-quarter.json").read_text("utf-8"))
    assert manifest["preview"] is True
    (preview / "left-by-the-first.txt").write_text("stale", "utf-8")

    (project / "data" / "narrative" / "2025-26-q1" / "kpi-CH01.md").write_text(
        "Revised since the first preview.\n", "utf-8"
    )
    assert main(args) == 0
    assert not (preview / "left-by-the-first.txt").exists()
    revised = (preview / "2025-26-q1" / "kpi-CH01.html").read_text("utf-8")
    assert "Revised since the first preview." in revised
    assert [p.name for p in project.iterdir() if p.name.startswith(".preview-build-")] == []
    assert fingerprint(project / "_site") == published
    assert fingerprint(project / "reports") == reports
