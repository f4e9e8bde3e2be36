"""One ``pmf run`` or ``pmf render`` at a time per project, and interruptions that leave the
published site as it was or fully replaced.

A scheduled run and a person (or two people) may start a run at the same time; two runs would
delete each other's executed notebooks. The lock covers the whole command, execution and
publishing; a second command refuses at once, naming the one that holds it. Ctrl-C and SIGTERM
become ``KeyboardInterrupt`` so every temporary folder is removed on the way out, and the few
renames that replace the published site are made with both signals held back until they are
done.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

LOCK_FILE = ".pmf-run.lock"
_HELD_BACK = {signal.SIGINT, signal.SIGTERM}


class Busy(RuntimeError):
    """Another pmf command holds the project's lock."""


@contextlib.contextmanager
def project_lock(project: Path) -> Iterator[None]:
    """Hold the project's lock for the block, or raise ``Busy`` naming who holds it."""
    path = project / LOCK_FILE
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise Busy(
                f"another pmf run is under way in {project} ({holder}); "
                "wait for it to finish, then run again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {datetime.now():%Y-%m-%d %H:%M:%S}\n")
        handle.flush()
        yield


def terminate_as_interrupt() -> None:
    """SIGTERM (a scheduler stopping the run) unwinds like Ctrl-C, cleaning up as it goes."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back for the block; one that came is raised after it.

    Handlers, not the thread's signal mask: a signal sent to the process may be taken by any
    thread, and Python runs every handler in the main thread anyway."""
    caught: list[int] = []
    previous = {number: signal.signal(number, _note(caught)) for number in _HELD_BACK}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    if caught:
        raise KeyboardInterrupt


def _note(caught: list[int]):
    def handler(number: int, _frame: object) -> None:
        caught.append(number)

    return handler
