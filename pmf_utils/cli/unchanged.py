"""``pmf run`` when nothing changed: answered from hashes of the project's files before the
data is loaded (no pandas, no kernels), in a fraction of a second.

After each successful run the project's fingerprint (``fingerprint.project_inputs``: data,
commentary, templates, set-up, code and the run's options) is remembered in
``reports/pmf-runs.json`` with what it made. When the next run finds the same fingerprint and
what it made still in place (the published quarter's manifest holds the same publication
fingerprint), there is nothing to do."""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from pmf_utils.cli.exits import FAILED
from pmf_utils.project import Project, find_data_dir, find_project
from pmf_utils.run.fingerprint import RECORD, project_inputs, setup_files
from pmf_utils.run.runlock import Busy, project_lock

RUNS = "pmf-runs.json"
KEPT = 20
"""Runs remembered (one per set of options, e.g. per quarter asked for)."""
MANIFEST = "pmf-quarter.json"
"""A published quarter's manifest (``publish.build.MANIFEST``, not imported: it is heavy)."""


def run_command(args: argparse.Namespace) -> int:
    """``pmf run``: nothing to do when nothing changed since the same run; else the run."""
    project = find_project(args.project)
    try:
        with project_lock(project.root):
            state = project_state(args, project)
            message = unchanged(project, state, args.no_render)
    except Busy as error:
        print(error, file=sys.stderr)
        return FAILED
    if message:
        print(message)
        return 0
    pool = None
    if args.force or args.no_render or not any(project.site_dir.glob(f"*/{MANIFEST}")):
        # Notebooks will be executed: their kernels start now, while the data is validated.
        from pmf_utils.data.periods import quarter_label
        from pmf_utils.run.pool import KernelPool

        quarter = None if args.quarter is None else quarter_label(args.quarter)
        pool = KernelPool(args.jobs, find_data_dir(args.data, args.project), quarter)
    from pmf_utils.cli.runs import run_command as run

    with pool or contextlib.nullcontext():
        return run(args, state, pool)


def project_state(args: argparse.Namespace, project: Project) -> str:
    data_dir = find_data_dir(args.data, args.project)
    options = {
        "quarter": None if args.quarter is None else str(args.quarter),
        "priority": args.priority,
        "engine": args.engine or project.settings["engine"],
        "quarto": shutil.which("quarto"),
        "no_render": args.no_render,
        "allow_unapproved": args.allow_unapproved,
    }
    notebooks = {project.notebooks_dir, project.own_notebooks_dir}  # templates, own notebooks
    return project_inputs(data_dir, sorted(notebooks), setup_files(project), options)


def _read(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def published_inputs(project: Project, slug: str) -> str | None:
    """The publication fingerprint of the quarter published in the site, if any."""
    return _read(project.site_dir / slug / MANIFEST).get("inputs")


def unchanged(project: Project, state: str, no_render: bool) -> str | None:
    """What to tell the user when a run with this fingerprint has nothing to do, else None."""
    entry = _read(project.reports_dir / RUNS).get(state)
    if not entry:
        return None
    slug, label = entry["slug"], entry["quarter"]
    if no_render:
        folder = project.reports_dir / slug
        made = _read(folder / RECORD).get("notebooks", {})
        if made and all((folder / name).is_file() for name in made):
            return f"Nothing changed: the notebooks of {label} in {folder} are up to date."
        return None
    published = project.site_dir / slug
    if published_inputs(project, slug) != entry["publication"]:
        return None
    return f"Nothing changed since {label} was published: {published.resolve() / 'index.html'}"


def remember(
    project: Project, state: str, slug: str, quarter: str, publication: str | None
) -> None:
    """Keep what this run made, for the next run to compare with (the newest ``KEPT``)."""
    runs = {k: v for k, v in _read(project.reports_dir / RUNS).items() if k != state}
    runs[state] = {"slug": slug, "quarter": quarter, "publication": publication}
    kept = dict(list(runs.items())[-KEPT:])
    project.reports_dir.mkdir(parents=True, exist_ok=True)
    partial = project.reports_dir / f".{RUNS}.partial"
    partial.write_text(json.dumps(kept, indent=1), "utf-8")
    partial.replace(project.reports_dir / RUNS)
