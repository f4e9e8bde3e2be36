"""environment.yml (conda) and pyproject.toml (pip) must name the same packages and bounds."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import REPO

# conda-forge ships Quarto itself where pip has the downloader package quarto-cli.
CONDA_NAMES = {"quarto-cli": "quarto"}


def _pyproject_requirements() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        requirements.extend(extra)
    found = set()
    for requirement in requirements:
        name, bound = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", requirement).groups()
        found.add(CONDA_NAMES.get(name.lower(), name.lower()) + bound.replace(" ", ""))
    return found


def _conda_requirements() -> set[str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    listed = [d for d in env["dependencies"] if isinstance(d, str)]
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            listed.extend(d for d in entry["pip"] if not d.startswith("-e"))
    return {d.replace(" ", "").lower() for d in listed if not d.startswith(("python", "pip"))}


def test_environment_yml_matches_pyproject() -> None:
    assert _conda_requirements() == _pyproject_requirements()


def test_python_versions_agree() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert f"python{project['requires-python']}" in env["dependencies"]


def _minimum(bound: str) -> tuple[int, ...]:
    """``>=1.10.0`` as (1, 10, 0): the one kind of bound the three files are allowed to use."""
    match = re.fullmatch(r">=\s*(\d+(?:\.\d+)*)", bound.strip())
    assert match, f"expected a '>=' lower bound, found {bound!r}"
    numbers = tuple(int(n) for n in match[1].split("."))
    return numbers + (0,) * (3 - len(numbers))


def test_quarto_minimum_agrees() -> None:
    """The extension refuses Quarto older than it needs; pip and conda must not install one."""
    extension = yaml.safe_load(
        (REPO / "_extensions" / "pmf" / "_extension.yml").read_text(encoding="utf-8")
    )
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (pip,) = project["optional-dependencies"]["quarto"]
    (conda,) = [d for d in _conda_requirements() if re.match(r"quarto\b", d)]
    bounds = {
        "_extension.yml": _minimum(extension["quarto-required"]),
        "pyproject.toml": _minimum(pip.removeprefix("quarto-cli")),
        "environment.yml": _minimum(conda.removeprefix("quarto")),
    }
    assert len(set(bounds.values())) == 1, bounds
