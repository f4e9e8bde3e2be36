"""``pmf lab``: JupyterLab opened on the project, at its notebooks.

Analysts write commentary and shape notebooks in JupyterLab. It is an optional extra (``pip
install 'pmf-utils[lab]'``), so the command finds JupyterLab's own entry point (the one its
``jupyter-lab`` script runs) rather than importing it, and says how to install it when it is
missing. The server's root is the project, so ``data/narrative/`` is one click away; it opens
on the notebooks folder. The template notebooks run there as they are: they find the project
from their working directory, as every pmf command does.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from importlib.metadata import EntryPoint, entry_points

from pmf_utils.project import Project, find_project

SCRIPT = "jupyter-lab"
INSTALL = "JupyterLab is not installed: install it with  pip install 'pmf-utils[lab]'"


def lab_entry_point() -> EntryPoint | None:
    """JupyterLab's console entry point, or None when it is not installed."""
    found = entry_points(group="console_scripts", name=SCRIPT)
    return next(iter(found), None)


def lab_argv(entry: EntryPoint, project: Project, *options: str) -> list[str]:
    """The command that starts JupyterLab on ``project`` (this interpreter, so this install)."""
    call = f"import sys; from {entry.module} import {entry.attr}; sys.exit({entry.attr}())"
    argv = [sys.executable, "-c", call, f"--ServerApp.root_dir={project.root}"]
    notebooks = project.root / "notebooks"
    if notebooks.is_dir():
        argv.append(f"--LabApp.default_url=/lab/tree/{notebooks.name}")
    return argv + list(options)


def lab_command(args: argparse.Namespace) -> int:
    """``pmf lab``: start JupyterLab on the project until it is stopped (Ctrl-C)."""
    entry = lab_entry_point()
    if entry is None:
        print(INSTALL, file=sys.stderr)
        return 2
    project = find_project(args.project)
    if not (project.root / "notebooks").is_dir():
        print(
            f"{project.root} has no notebooks folder: its runs use the package's template "
            "notebooks. `pmf init` writes them into a new project.",
            file=sys.stderr,
        )
    options = ["--no-browser"] if args.no_browser else []
    server = subprocess.Popen(lab_argv(entry, project, *options, *args.options), cwd=project.root)
    # Ctrl-C is JupyterLab's to answer (it asks before shutting down), not a failed pmf run.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return server.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
