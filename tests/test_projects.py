"""A council's project folder: found from where a command runs, written to and nowhere else.

Two councils run from one install never share an output; ``pmf init`` makes a project that a
wheel installed outside this checkout can run; nothing is written into the checkout or into
site-packages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from pmf_utils.cli import main
from pmf_utils.project import PROJECT_FILE, ProjectError, find_project
from pmf_utils.scaffold import init_project
from tests.conftest import MINI, REPO
from tests.test_words import MISSIONS, WALSALL, with_words


def files_under(folder: Path) -> dict[str, int]:
    """Every file below a folder with its modification time, caches left out."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def council(root: Path, name: str) -> Path:
    """A project holding the small fixture council under another name."""
    init_project(root)
    shutil.rmtree(root / "data")
    shutil.copytree(MINI, root / "data")
    plan = root / "data" / "plan.csv"
    plan.write_text(plan.read_text("utf-8").replace("Anytown Borough Council", name), "utf-8")
    toml = root / PROJECT_FILE  # the fixture's commentary is not signed off
    toml.write_text(toml.read_text("utf-8").replace("= true", "= false"), "utf-8")
    return root


def test_init_makes_a_project_and_never_overwrites(tmp_path: Path, capsys) -> None:
    target = tmp_path / "new"
    assert main(["init", str(target)]) == 0
    for name in (PROJECT_FILE, ".gitignore", "README.md", "_quarto.yml", "data/README.md"):
        assert (target / name).is_file(), name
    assert (target / "notebooks" / "priority.ipynb").is_file()
    assert (target / "_extensions" / "pmf" / "_extension.yml").is_file()
    (target / "data" / "kpis.csv").write_text("mine\n", "utf-8")
    capsys.readouterr()
    assert main(["init", str(target), "--example"]) == 0
    assert (target / "data" / "kpis.csv").read_text("utf-8") == "mine\n"
    assert (
        f"left alone   {target / 'data' / 'kpis.csv'} (already exists)" in capsys.readouterr().out
    )


def test_an_empty_plan_says_what_to_fill_in(tmp_path: Path, capsys) -> None:
    init_project(tmp_path)
    assert main(["validate", "--project", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'data' / 'kpis.csv'}:2: -: the file has a header but no rows" in err


def test_commands_find_the_project_by_walking_up(tmp_path: Path, monkeypatch) -> None:
    council(tmp_path / "a", "Aville Council")
    deep = tmp_path / "a" / "notebooks"
    monkeypatch.chdir(deep)
    monkeypatch.delenv("PMF_PROJECT", raising=False)
    assert find_project().root == (tmp_path / "a").resolve()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ProjectError, match="no pmf project here"):
        find_project()
    assert main(["validate"]) == 2


@pytest.mark.slow
def test_two_councils_from_one_install_never_mix(tmp_path: Path, capsys) -> None:
    checkout = {name: files_under(REPO / name) for name in ("reports", "_site")}
    projects = {
        name: council(tmp_path / slug, name)
        for slug, name in (("a", "Aville Council"), ("b", "Beetown Council"))
    }
    with_words(projects["Beetown Council"] / "data", MISSIONS)
    for root in projects.values():
        assert main(["run", "--project", str(root), "--engine", "builtin"]) == 0, capsys
    for name, root in projects.items():
        other = next(n for n in projects if n != name)
        if name == "Beetown Council":
            assert_in_the_plans_words(root / "_site")
        index = (root / "_site" / "index.html").read_text("utf-8")
        assert name in index and other not in index
        archive = json.loads((root / "_site" / "2025-26-q1" / "pmf-quarter.json").read_text())
        assert archive["council"] == name
        assert {p.name for p in (root / "_site").iterdir() if p.is_dir()} == {
            "2025-26-q1",
            "site_libs",
        }
    assert {name: files_under(REPO / name) for name in ("reports", "_site")} == checkout


_HIDDEN = ("script", "style", "code")


class _Text(HTMLParser):
    """A page's words as a reader sees them: no tags, attributes, scripts, styles or code (file
    names such as a commentary's ``priority-children.md``)."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in _HIDDEN

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in _HIDDEN

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.words.append(data)


def assert_in_the_plans_words(site: Path) -> None:
    """Every page and booklet of a site whose plan has missions and objectives says so, and
    never "ambition" or "priority"."""
    for page in sorted(site.rglob("*.html")):
        parser = _Text()
        parser.feed(page.read_text("utf-8"))
        text = " ".join(" ".join(parser.words).split())
        assert not WALSALL.search(text), (page, WALSALL.findall(text))
    front = (site / "index.html").read_text("utf-8")
    assert "How the Royal Borough is doing on each objective" in front
    assert ">Missions<" in front and ">Objectives<" in front
    accessibility = (site / "accessibility.html").read_text("utf-8")
    assert "contact the insight team at insight@example.gov.uk." in accessibility
    for pdf in sorted(site.rglob("*.pdf")):
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
        text = re.sub(r"\S+\.md\b", "", text)  # commentary files' names, as on the web page
        assert not WALSALL.search(text), (pdf, WALSALL.findall(text))
        if pdf.name.startswith("priority-children"):  # its title band's kicker
            assert "Objective" in text.split("Children")[0] and "Part of People" in text
        if pdf.name.startswith("whole-plan"):
            assert "Status by mission" in text


@pytest.mark.slow
def test_a_wheel_installed_elsewhere_runs_a_new_project(tmp_path: Path) -> None:
    """Built, installed into a fresh environment outside the checkout, and run from the
    project folder: every output lands in that folder."""
    # Built from a copy: setuptools writes build/ beside the sources, never into the checkout.
    source = tmp_path / "source"
    leave_out = shutil.ignore_patterns(".git", ".venv", "build", "reports", "_site", "*.egg-info")
    shutil.copytree(REPO, source, symlinks=True, ignore=leave_out)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, source],
        check=True,
        capture_output=True,
    )
    env_dir = tmp_path / "env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    (wheel,) = wheels.glob("*.whl")
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", wheel], check=True, capture_output=True
    )
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    installed = files_under(site_packages)
    checkout = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=REPO, capture_output=True, text=True
    ).stdout
    project = tmp_path / "council"
    pmf = env_dir / "bin" / "pmf"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PMF_")}
    subprocess.run([pmf, "init", "--example", project], check=True, env=clean)
    run = subprocess.run(
        [pmf, "run", "--engine", "builtin"], cwd=project, env=clean, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert (project / "_site" / "index.html").is_file()
    assert len(list((project / "_site").glob("*/booklets/*.pdf"))) == 16
    assert list((project / "reports").glob("*/overview.ipynb"))
    assert files_under(site_packages) == installed
    assert not (site_packages / "reports").exists() and not (site_packages / "_site").exists()
    after = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=REPO, capture_output=True, text=True
    ).stdout
    assert after == checkout
