"""Run the ``pmf`` command in this process and write its peak memory to a file as it exits.

``os.wait4`` on a process gives one peak: the larger of its own and that of the largest
process it waited for (Linux ``RUSAGE_BOTH``). To tell the ``pmf`` process's own peak from its
kernels' and workers', this runs ``pmf_utils.cli.main`` (what the ``pmf`` script runs) and, at
interpreter exit, after every child has been waited for, writes ``getrusage(RUSAGE_SELF)`` and
``getrusage(RUSAGE_CHILDREN)`` peaks in kB. The latter is the largest single descendant that
was waited for (a worker's figure includes the kernels it waited for), not a sum: children that
ran at the same time are not added up. Linux counts a child from its fork, its parent's pages
included: a child started by a ``pmf`` of 700 MB (``pandoc`` while publishing, even ``true``)
reports at least 700 MB, so the children's figure says something of its own only where it is
larger than ``pmf``'s. Only the standard library is imported before ``pmf``.

    python benchmarks/pmf_peaks.py RECORD [pmf arguments ...]
"""

from __future__ import annotations

import atexit
import resource
import sys
from pathlib import Path


def record_peaks(path: Path) -> None:
    """Write 'own children' peak resident memory in kB (Linux ``ru_maxrss`` units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    path.write_text(f"{own} {children}\n", encoding="utf-8")


if __name__ == "__main__":
    atexit.register(record_peaks, Path(sys.argv[1]))  # registered first, so it runs last
    from pmf_utils.cli import main

    sys.exit(main(sys.argv[2:]))
