"""A Jupyter kernel kept warm from notebook to notebook, and the papermill engine that uses it.

Starting a kernel and importing pandas, matplotlib and the package costs more than most report
notebooks take to run. ``WarmKernel`` starts once per worker and is reset between notebooks
(``_RESET`` clears the namespace, closes figures and restores matplotlib's defaults), so one
notebook never sees another's variables; ``WarmKernelEngine`` is papermill's ``pmf-warm``
engine, handing nbclient that kernel instead of a new one.
"""

from __future__ import annotations

import atexit
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger

ENGINE = "pmf-warm"


KERNEL = "python3"


_RESET = """\
import os as _os, sys as _sys, warnings as _warnings
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
    _sys.modules["matplotlib"].rc_file_defaults()
if "pandas" in _sys.modules:
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        _sys.modules["pandas"].reset_option("all")
_os.chdir({cwd!r})
get_ipython().reset(new_session=True)
"""


"""Run in the kernel before each notebook: what a fresh kernel would have, bar imported modules.


``reset(new_session=True)`` is ``%reset -f`` that also restarts the execution count at 1.
"""


_WARM = """\
try:
    from pmf_utils.pages.report import Report as _Report

    _Report({quarter!r}, {data_dir!r})
except Exception:
    pass  # the notebooks will say what is wrong
"""
"""Run in a new kernel while the run is still validating: what every notebook begins with,
the imports, the data load and the quarter's judgements (``Report`` caches the last two)."""


class KernelLost(RuntimeError):
    """The kernel died, or a cell ran out of time, part way through a notebook."""

    def __init__(self, cell_index: int | None, error: BaseException):
        super().__init__(f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}")
        self.cell_index = cell_index


class WarmKernel:
    """One Jupyter kernel, started once and kept running for notebook after notebook."""

    def __init__(self, kernel_name: str = KERNEL):
        starter = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name=kernel_name,
            # Keep the progress display clean of ipykernel's start-up warnings; cell errors
            # and kernel failures still reach the report.
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
        )
        self.name = kernel_name
        self.km = starter.create_kernel_manager()
        starter.start_new_kernel()
        self.kc = starter.start_new_kernel_client()
        atexit.register(self.shutdown)

    def client(self, cls: type[NotebookClient], *args, **kwargs) -> NotebookClient:
        """A notebook client on this kernel; as it is given ``km`` it leaves the kernel running."""
        client = cls(*args, km=self.km, **kwargs)
        client.kc = self.kc
        return client

    def reset(self, cwd: Path) -> None:
        """Clear everything the last notebook left behind and move to ``cwd``."""
        self._run(_RESET.format(cwd=str(cwd)))

    def warm(self, data_dir: Path, quarter: str | None) -> None:
        """Import the package, load the data and judge the quarter before the first notebook
        asks for them."""
        self._run(_WARM.format(data_dir=str(data_dir), quarter=quarter))

    def _run(self, code: str) -> None:
        cell = nbformat.v4.new_code_cell(code)
        client = self.client(NotebookClient, nbformat.v4.new_notebook(cells=[cell]))
        with client.setup_kernel():
            client.execute_cell(cell, 0, store_history=False)

    def alive(self) -> bool:
        return run_sync(self.km.is_alive)()

    def shutdown(self) -> None:
        atexit.unregister(self.shutdown)
        self.kc.stop_channels()
        run_sync(self.km.shutdown_kernel)(now=True)


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine, executing in a ``WarmKernel`` instead of a new kernel.


    papermill does everything else as usual (parameters, saving, error cells). The client is
    given the kernel's manager, so it does not own it and neither starts nor shuts the kernel
    down, and its client, so it connects no new one. A dead kernel or a cell timeout is raised
    as ``KernelLost`` naming the cell that was running.
    """

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name: str,
        log_output: bool = False,
        stdout_file=None,
        stderr_file=None,
        execution_timeout: int | None = None,
        *,
        kernel: WarmKernel,
        **_unused,
    ) -> NotebookNode:
        client = kernel.client(
            PapermillNotebookClient,
            nb_man,
            timeout=execution_timeout,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        try:
            return client.execute()
        except (DeadKernelError, CellTimeoutError) as error:
            started = [
                i for i, c in enumerate(nb_man.nb.cells) if c.metadata.papermill.get("start_time")
            ]
            raise KernelLost(started[-1] if started else None, error) from error


# Registered where the engine is defined, so every worker process that imports it has it.
papermill_engines.register(ENGINE, WarmKernelEngine)
