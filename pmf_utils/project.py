"""A council's project: the folder that holds its data, notebooks, Quarto set-up and outputs.

Any council can use the package from one install: each council's report lives in its own
project folder, marked by a small ``pmf.toml``. Every command finds the project from ``--project
DIR``, then ``$PMF_PROJECT``, then the nearest folder at or above the working directory that
holds ``pmf.toml``, and reads and writes only there (``reports/`` and ``_site/`` of that
project). What a project does not hold itself (the template notebooks, ``_quarto.yml`` and the
Quarto extension) comes from the package's resources, which a wheel carries.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

PROJECT_FILE = "pmf.toml"
OWN_NOTEBOOKS = {"priority": "priorities", "kpi": "kpis"}
"""Where a priority's or a KPI's own notebook lives in the project's ``notebooks/`` folder:
``notebooks/priorities/<id>.ipynb``, ``notebooks/kpis/<id>.ipynb`` (``pmf customise``)."""
PROJECT_ENV = "PMF_PROJECT"
SETTINGS = {
    "data": "data",
    "reports": "reports",
    "site": "_site",
    "engine": "auto",
    "require_approval": True,
}
"""What ``pmf.toml`` may set, with the defaults (folders are relative to the project).
``require_approval``: ``pmf run`` publishes a quarter only when all its commentary is approved
(``signoff``); the repository's illustrative example sets it false."""


class ProjectError(ValueError):
    """No project was found, or its ``pmf.toml`` cannot be read."""


def resource(*parts: str) -> Path:
    """A file the package ships (templates, extension, example data): read-only."""
    return Path(str(files("pmf_utils").joinpath("resources", *parts)))


@dataclass(frozen=True)
class Project:
    """One council's project folder and its settings."""

    root: Path
    settings: dict[str, Any] = field(default_factory=lambda: dict(SETTINGS))

    @classmethod
    def load(cls, root: Path) -> Project:
        path = root / PROJECT_FILE
        try:
            own = tomllib.loads(path.read_text("utf-8")).get("project", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ProjectError(f"{path}: cannot be read: {error}") from None
        unknown = sorted(set(own) - set(SETTINGS))
        if unknown:
            raise ProjectError(
                f"{path}: unknown setting(s) {', '.join(unknown)}; "
                f"[project] takes {', '.join(SETTINGS)}"
            )
        wrong = [k for k, v in own.items() if type(v) is not type(SETTINGS[k])]
        if wrong:
            kinds = {bool: "true or false", str: "quoted text"}
            told = "; ".join(f"{k} must be {kinds[type(SETTINGS[k])]}" for k in wrong)
            raise ProjectError(f"{path}: {told}")
        return cls(root.resolve(), {**SETTINGS, **own})

    def _folder(self, key: str) -> Path:
        return self.root / str(self.settings[key])

    @property
    def data_dir(self) -> Path:
        return self._folder("data")

    @property
    def reports_dir(self) -> Path:
        return self._folder("reports")

    @property
    def site_dir(self) -> Path:
        return self._folder("site")

    @property
    def notebooks_dir(self) -> Path:
        """The project's own templates when it has them, else the package's (a project made
        without them may still hold its analysts' own notebooks, in sub-folders)."""
        own = self.own_notebooks_dir
        return own if any(own.glob("*.ipynb")) else resource("notebooks")

    @property
    def own_notebooks_dir(self) -> Path:
        """Where the analysts' own notebooks of priorities and KPIs live (``OWN_NOTEBOOKS``)."""
        return self.root / "notebooks"

    @property
    def quarto_config(self) -> Path:
        own = self.root / "_quarto.yml"
        return own if own.is_file() else resource("_quarto.yml")

    @property
    def extensions(self) -> Path:
        own = self.root / "_extensions"
        return own if own.is_dir() else resource("_extensions")


def own_notebook(folder: Path, kind: str, id: str) -> Path:
    """The path of a priority's or a KPI's own notebook under ``folder``, whether or not it
    exists."""
    return folder / OWN_NOTEBOOKS[kind] / f"{id}.ipynb"


def find_project(explicit: str | os.PathLike | None = None) -> Project:
    """The project a command works in: ``--project``, ``$PMF_PROJECT``, or the nearest folder
    at or above the working directory with a ``pmf.toml``."""
    given = explicit or os.environ.get(PROJECT_ENV)
    if given:
        root = Path(given)
        if not (root / PROJECT_FILE).is_file():
            raise ProjectError(f"{root} is not a pmf project: it has no {PROJECT_FILE}")
        return Project.load(root)
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return Project.load(folder)
    raise ProjectError(
        f"no pmf project here: no {PROJECT_FILE} in {here} or any folder above it; "
        "make one with `pmf init DIR` or name one with --project DIR"
    )


DATA_ENV = "PMF_DATA"


def find_data_dir(
    explicit: str | os.PathLike | None = None, project: str | os.PathLike | None = None
) -> Path:
    """Where the data is: ``--data``, then ``PMF_DATA``, then the data folder of the project
    (``--project``, else found from the working directory, so a notebook opened anywhere in it
    finds its data), then a ``data/`` folder at or above the working directory."""
    if explicit:
        return Path(explicit)
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV])
    if project:
        return find_project(project).data_dir
    try:
        return find_project().data_dir
    except ProjectError:
        pass
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "plan.csv").is_file():
            return folder / "data"
    return here / "data"
