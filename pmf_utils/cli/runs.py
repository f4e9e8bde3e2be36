"""The run commands: ``pmf run`` and ``pmf render``, with the run's progress display and the
publisher's report of what it wrote."""

from __future__ import annotations

import argparse
import errno
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import pandas as pd

from pmf_utils.cli.commands import validate_command
from pmf_utils.cli.exits import FAILED, INPUT_ERROR
from pmf_utils.cli.unchanged import published_inputs, remember
from pmf_utils.data.dataset import Dataset, find_data_dir, load
from pmf_utils.data.periods import quarter_label, quarter_slug
from pmf_utils.pandoc import RenderError
from pmf_utils.project import Project, find_project
from pmf_utils.publish import signoff
from pmf_utils.publish.marks import UNMARKED, Marks
from pmf_utils.publish.quarter import ENGINE_NAMES, PublishError, choose_engine, publish_quarter
from pmf_utils.run.fingerprint import publication_inputs, setup_files
from pmf_utils.run.jobs import Job, UnknownPriority
from pmf_utils.run.pool import KernelPool, NotebookResult
from pmf_utils.run.runlock import Busy, project_lock
from pmf_utils.run.runner import page_inputs, run_quarter


class ConsoleProgress:
    """The run's progress display: what is about to run, then a line per finished notebook."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout

    def start(self, jobs: Sequence[Job], workers: int, out_dir: Path) -> None:
        print(
            f"Executing {len(jobs)} notebooks with {workers} warm kernel(s) into {out_dir}",
            file=self.stream,
            flush=True,
        )

    def finished(self, result: NotebookResult, done: int, total: int) -> None:
        status, detail = ("ok", "") if result.ok else ("FAILED", f": {result.error}")
        if result.ok and result.written != (result.name,):
            pages = len(result.written)
            detail = f" -> {pages} KPI page{'s' if pages != 1 else ''}"
        width = len(str(total))
        print(
            f"[{done:>{width}}/{total}] {status:<6} {result.seconds:6.1f}s  {result.shown}{detail}",
            file=self.stream,
            flush=True,
        )
        for warning in result.warnings:
            print(f"{' ' * (width * 2 + 3)} warning: {warning}", file=self.stream, flush=True)


def run_command(args: argparse.Namespace, state: str, pool: KernelPool | None = None) -> int:
    """``pmf run``: validate (exit 2, nothing written), check the quarter is not published
    already from the same inputs, execute what changed (exit 1 on any failure), publish.
    ``state`` is the project's fingerprint (``unchanged.project_state``); ``pool`` the warm
    kernels already starting, if any."""
    try:
        return run_locked(args, state, pool)
    except Busy as error:
        print(error, file=sys.stderr)
        return FAILED


def run_locked(args: argparse.Namespace, state: str, pool: KernelPool | None = None) -> int:
    """``run_command``, raising ``Busy`` when another pmf command holds the project."""
    status = validate_command(args)
    if status:
        return status
    project = find_project(args.project)
    with project_lock(project.root):
        return _run_quarter(args, project, state, pool)


def _run_quarter(
    args: argparse.Namespace, project: Project, state: str, pool: KernelPool | None
) -> int:
    data = load(find_data_dir(args.data, args.project))
    quarter = args.quarter or data.latest_quarter()
    gate = signoff.gate(
        data,
        quarter,
        required=project.settings["require_approval"] and not args.no_render,
        allow=args.allow_unapproved,
    )
    if gate.refusal:
        print(gate.refusal, file=sys.stderr)
        return INPUT_ERROR
    engine = args.engine or project.settings["engine"]
    slug, label = quarter_slug(quarter), quarter_label(quarter)
    publication = None
    if not args.no_render:
        try:
            publication = publication_inputs(
                page_inputs(data, quarter, project.notebooks_dir, project.own_notebooks_dir),
                choose_engine(engine),
                setup_files(project),
                gate.marks.record,
            )
        except PublishError as error:
            print(error, file=sys.stderr)
            return INPUT_ERROR
        refusal = _published(project, slug, label, publication, args.force, args.republish)
        if refusal is not None:
            if not refusal:
                remember(project, state, slug, label, publication)
                print(f"Nothing changed since {label} was published.")
                return 0
            print(refusal, file=sys.stderr)
            return INPUT_ERROR
    try:
        result = run_quarter(
            data,
            quarter,
            priorities=args.priority,
            templates_dir=project.notebooks_dir,
            own_dir=project.own_notebooks_dir,
            reports_dir=project.reports_dir,
            workers=args.jobs,
            pool=pool,
            progress=ConsoleProgress(),
        )
    except UnknownPriority as error:
        print(error, file=sys.stderr)
        return INPUT_ERROR
    print(result.summary(), flush=True)
    if not result.ok:
        for failure in result.failures:
            print(failure.report(), file=sys.stderr)
        return FAILED
    if not args.no_render:
        status = publish_and_report(
            data,
            quarter,
            project=project,
            engine=engine,
            force=args.force or args.republish,
            marks=gate.marks,
            keep_earlier=args.keep_earlier,
        )
        if status:
            return status
    if result.ok:
        remember(project, state, slug, label, publication)
    return 0


def _published(
    project: Project, slug: str, label: str, publication: str, force: bool, republish: bool
) -> str | None:
    """Checked before any notebook executes: "" when the quarter is published from these very
    inputs and not ``force`` (nothing to do), a refusal when it is published from others and
    neither ``force`` nor ``republish`` (``pmf watch``: publish again what changed), else None
    (go ahead)."""
    if published_inputs(project, slug) == publication and not force:
        return ""
    if (project.site_dir / slug).exists() and not (force or republish):
        return (
            f"{label} is already published in {project.site_dir / slug} and its inputs have "
            "changed since; use --force to publish it again (the earlier version is kept "
            "beside the new one). Nothing was run."
        )
    return None


def render_command(args: argparse.Namespace) -> int:
    """``pmf render``: publish already executed notebooks and print what was written."""
    project = find_project(args.project)
    data = load(find_data_dir(args.data, args.project))
    engine = args.engine or project.settings["engine"]
    quarter = args.quarter or data.latest_quarter()
    gate = signoff.gate(
        data, quarter, required=project.settings["require_approval"], allow=args.allow_unapproved
    )
    if gate.refusal:
        print(gate.refusal, file=sys.stderr)
        return INPUT_ERROR
    try:
        with project_lock(project.root):
            return publish_and_report(
                data, quarter, project=project, engine=engine, force=args.force, marks=gate.marks
            )
    except Busy as error:
        print(error, file=sys.stderr)
        return FAILED


def publish_and_report(
    data: Dataset,
    quarter: pd.Period | None,
    *,
    project: Project,
    engine: str = "auto",
    force: bool = False,
    marks: Marks = UNMARKED,
    keep_earlier: bool = True,
) -> int:
    """Publish and tell the person at the keyboard: the engine used, then the paths of the
    site and the booklets; or what went wrong. Returns the command's exit status (0 published,
    1 the build failed, 2 the input cannot be published as asked)."""
    try:
        publication = publish_quarter(
            data,
            quarter,
            project=project,
            engine=engine,
            force=force,
            marks=marks,
            keep_earlier=keep_earlier,
        )
    except PublishError as error:
        print(error, file=sys.stderr)
        return 2
    except RenderError as error:
        print(f"{error}\nThe published site was not changed.", file=sys.stderr)
        return FAILED
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        print(
            f"The disk is full ({error.filename or project.site_dir}): the published site was not "
            "changed; free some space and run again.",
            file=sys.stderr,
        )
        return FAILED
    missing = publication.engine == "builtin" and shutil.which("quarto") is None
    why = " (the quarto command is not on PATH)" if missing else ""
    name = ENGINE_NAMES[publication.engine]
    print(f"Published {publication.quarter} with the {name} engine{why}.")
    if publication.superseded:
        print(f"The earlier version is kept in {publication.superseded.resolve()}")
    print(f"Site: {publication.site_index.resolve()}")
    print(f"This quarter: {publication.quarter_index.resolve()}")
    print("Booklets:")
    for path in publication.booklets:
        print(f"  {path.resolve()}")
    return 0
