"""``pmf watch``: publish the quarter again each time its data, commentary or notebooks change,
from one process whose kernels stay warm between runs.

In the week before the deadline an analyst changes a sentence, saves, and wants to see the
page and the booklets. Each ``pmf run --force`` pays a new process's imports, the data's
validation and every kernel's start-up (its imports, the data load, the quarter's judgements)
before the few notebooks the change reaches. ``pmf watch`` pays them once: the process and its
kernels stay up, and the kernels keep the data loaded and judged for as long as the data files
are unchanged (``dataset.load`` caches on their sizes and times).

``watchfiles`` reports changes under the project and the data folder (the outputs and hidden
build folders are left out); after each batch the project's fingerprint decides, as for
``pmf run``: unchanged, nothing happens; changed, the run does what ``pmf run`` does and
publishes the quarter again. The version published before the watch began is kept beside
the new one, as ``--force`` keeps it; the versions the watch publishes after that replace each
other, so a morning of saves leaves one entry in the archive, not fifty. A run that fails
(bad data, a failing notebook) leaves the site as it was and the watch goes on. Ctrl-C ends it.
Every ``RECHECK`` seconds without a reported change the fingerprint is checked too (it takes
about 10 ms), so a change the file system did not report (some network drives) is still
published, and a run refused because another ``pmf run`` held the project is tried again.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from watchfiles import DefaultFilter, watch

from pmf_utils.cli.exits import INTERRUPTED
from pmf_utils.cli.preview import FOLDER as PREVIEW
from pmf_utils.cli.runs import run_locked
from pmf_utils.cli.unchanged import MANIFEST, project_state, unchanged
from pmf_utils.data.dataset import find_data_dir
from pmf_utils.data.periods import quarter_label
from pmf_utils.project import Project, find_project
from pmf_utils.run.pool import KernelPool
from pmf_utils.run.runlock import Busy, project_lock

RECHECK = 1
"""Seconds without a reported change after which the fingerprint is checked anyway."""


def watch_command(args: argparse.Namespace) -> int:
    """``pmf watch``: run and publish whenever the project's inputs change, until Ctrl-C."""
    project = find_project(args.project)
    data_dir = find_data_dir(args.data, args.project)
    quarter = None if args.quarter is None else quarter_label(args.quarter)
    done, busy = None, False
    try:
        with KernelPool(args.jobs, data_dir, quarter) as pool:
            pool.started()
            for _ in changes(project, data_dir):
                try:
                    done = _run_if_changed(args, project, pool, done)
                    busy = False
                except Busy as error:
                    if not busy:  # said once, tried again after each change or quiet spell
                        print(f"{error}; trying again when it has finished", file=sys.stderr)
                    busy = True
    except KeyboardInterrupt as error:
        if str(error):  # a run was interrupted: the publisher says what became of the site
            print(error, file=sys.stderr)
            return INTERRUPTED
        print("Stopped watching.")
    return 0


def _run_if_changed(
    args: argparse.Namespace, project: Project, pool: KernelPool, done: str | None
) -> str | None:
    """Run when the project's fingerprint differs from the last one run; return the
    fingerprint now done. Raises ``Busy`` while another pmf command holds the project."""
    state = project_state(args, project)  # the inputs only: no lock needed to read them
    if state == done:
        return done
    with project_lock(project.root):
        message = unchanged(project, state, no_render=False)
    if message:
        print(message)
    else:
        before = _manifests(project)
        run_locked(args, state, pool)
        if _manifests(project) != before:
            args.keep_earlier = False  # published: the watch's next versions replace this one
    print(f"Watching {project.root} for changes; Ctrl-C to stop.", flush=True)
    return state


def _manifests(project: Project) -> dict[Path, int]:
    """Each published quarter's manifest and when it was written."""
    return {p: p.stat().st_mtime_ns for p in project.site_dir.glob(f"*/{MANIFEST}")}


def changes(project: Project, data_dir: Path) -> Iterator[None]:
    """After each batch of changes to the project's inputs, and after each quiet spell of
    ``RECHECK`` seconds, starting with the first: the files are watched before they are first
    checked, so no change made meanwhile is missed."""
    # The project's hidden entries (the publisher's build folders, the run lock) and its
    # outputs are no input: a prefix ending in "/." leaves out every hidden name at the top.
    outputs = (project.site_dir, project.reports_dir, project.root / PREVIEW)
    ignored = (f"{project.root.resolve()}{os.sep}.", *(str(p.resolve()) for p in outputs))
    roots = {project.root.resolve(), data_dir.resolve()}
    for _ in watch(
        *sorted(roots),
        watch_filter=DefaultFilter(ignore_paths=ignored),
        rust_timeout=RECHECK * 1000,
        yield_on_timeout=True,
        debounce=1000,
    ):
        yield
