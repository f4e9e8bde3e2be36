"""``pmf preview``: see a quarter as it will be published, without publishing it.

The published site is a record: each ``pmf run --force`` keeps the earlier version of the
quarter beside the new one. Checking a change of commentary or data needs none of that, so a
preview executes the quarter's notebooks and builds its pages and booklets in a scratch folder
of the project, then replaces the project's preview folder (``_preview/``) with it as a whole.
The published site and the executed notebooks of ``reports/`` are never touched; every page
and booklet page says "Preview: not the published report"; the preview starts from an empty
site, so it has no archive of earlier quarters and no superseded copies.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pmf_utils.cli.runs import ConsoleProgress
from pmf_utils.data.dataset import Dataset, find_data_dir, load
from pmf_utils.data.periods import quarter_label
from pmf_utils.pandoc import RenderError
from pmf_utils.project import Project, find_project
from pmf_utils.publish.marks import Marks
from pmf_utils.publish.quarter import PublishError, publish_quarter
from pmf_utils.run.runlock import Busy, project_lock
from pmf_utils.run.runner import RunResult, run_quarter

FOLDER = "_preview"
NOTICE = "Preview: not the published report."


@dataclass(frozen=True)
class Preview:
    """A preview built (``folder`` set) or not (its notebooks' failures are in ``run``)."""

    run: RunResult
    folder: Path | None = None

    @property
    def index(self) -> Path | None:
        return self.folder / "index.html" if self.folder else None


def build_preview(
    data: Dataset,
    quarter: pd.Period,
    project: Project,
    *,
    engine: str = "auto",
    workers: int | None = None,
    progress: ConsoleProgress | None = None,
) -> Preview:
    """Execute and build ``quarter`` into the project's preview folder, replacing the last
    preview only once the new one is complete (a failed build leaves the old one)."""
    folder = project.root / FOLDER
    with tempfile.TemporaryDirectory(prefix=".preview-build-", dir=project.root) as tmp:
        work = Path(tmp)
        result = run_quarter(
            data,
            quarter,
            templates_dir=project.notebooks_dir,
            own_dir=project.own_notebooks_dir,
            reports_dir=work / "notebooks",
            workers=workers,
            progress=progress,
        )
        if not result.ok:
            return Preview(result)
        publish_quarter(
            data,
            quarter,
            project=project,
            reports_dir=work / "notebooks",
            site_dir=work / "site",
            engine=engine,
            marks=Marks((NOTICE,), {"preview": True}),
        )
        if folder.exists():
            folder.rename(work / "replaced")
        (work / "site").rename(folder)
    return Preview(result, folder)


def preview_command(args: argparse.Namespace) -> int:
    """``pmf preview``: validate (exit 2), execute and build (exit 1 on failure), then print
    where to open the preview."""
    from pmf_utils.cli.commands import validate_command

    status = validate_command(args)
    if status:
        return status
    project = find_project(args.project)
    data = load(find_data_dir(args.data, args.project))
    quarter = args.quarter or data.latest_quarter()
    engine = args.engine or project.settings["engine"]
    try:
        with project_lock(project.root):
            preview = build_preview(
                data, quarter, project, engine=engine, workers=args.jobs, progress=ConsoleProgress()
            )
    except Busy as error:
        print(error, file=sys.stderr)
        return 1
    except (PublishError, RenderError) as error:
        print(f"{error}\nThe last preview was left as it was.", file=sys.stderr)
        return 2 if isinstance(error, PublishError) else 1
    print(preview.run.summary(), flush=True)
    if preview.index is None:
        for failure in preview.run.failures:
            print(failure.report(), file=sys.stderr)
        return 1
    print(f"Preview of {quarter_label(quarter)} (not published): {preview.index.as_uri()}")
    print(f"To serve it: python -m http.server -d {_shown(preview.folder)}")
    print("then open http://localhost:8000/")
    return 0


def _shown(folder: Path) -> str:
    """The folder as the person at the keyboard can type it: relative when below them."""
    try:
        return str(folder.relative_to(Path.cwd()))
    except ValueError:
        return str(folder)


__all__ = ["FOLDER", "NOTICE", "Preview", "build_preview", "preview_command"]
