"""The code version printed on every page and booklet: the package's version, and the commit
for a development checkout."""

from __future__ import annotations

import subprocess
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files
from pathlib import Path


def code_version() -> str:
    """The package version and, for a development checkout of the package (an editable
    install beside its ``.git``), the commit (``0.1.0+1a2b3c4-dirty``). An installed wheel is
    its version alone: git never runs inside site-packages."""
    try:
        base = version("pmf-utils")
    except PackageNotFoundError:
        base = "unknown"
    checkout = Path(str(files("pmf_utils"))).resolve().parent
    if not ((checkout / "pyproject.toml").is_file() and (checkout / ".git").exists()):
        return base
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--abbrev=7"],
            cwd=checkout,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return base
    return f"{base}+{described}"
