"""The ``pmf`` command: validate the data, judge a quarter, prepare narrative, run and publish.

Each subcommand is a thin shell over a tested function of the package, so the command line,
the notebooks and the tests all run the same code. Exit status: 0 success, 1 a run or build
failed (or another run holds the project), 2 the input was wrong (bad data, bad arguments),
130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pmf_utils.cli.exits import INPUT_ERROR, INTERRUPTED
from pmf_utils.project import ProjectError
from pmf_utils.run.runlock import terminate_as_interrupt


def quarter_arg(text: str):
    """Accept a quarter as '2025/26 Q2' or '2025-26-q2' wherever a user types one."""
    from pmf_utils.data.periods import PeriodError, parse_quarter

    try:
        return parse_quarter(text)
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def jobs_arg(text: str) -> int:
    """A number of kernels: at least one."""
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """Import a command's module only when it runs: pandas and the rest load only for the
    commands that need them, so ``pmf run`` with nothing changed answers at once."""

    def run(args: argparse.Namespace) -> int:
        from importlib import import_module

        return getattr(import_module(f"pmf_utils.cli.{module}"), name)(args)

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pmf", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        data_option(sub)
        sub.set_defaults(handler=handler)
        return sub

    command(
        "validate",
        _lazy("commands", "validate_command"),
        "Check every data file and list every problem.",
    )

    status = command(
        "status", _lazy("commands", "status_command"), "Judge every KPI for a quarter."
    )
    status.add_argument("--quarter", type=quarter_arg, help="e.g. 2025/26 Q2 (default: latest)")
    status.add_argument("--format", choices=("table", "csv", "json"), default="table")

    new_quarter = command(
        "new-quarter",
        _lazy("commands", "new_quarter_command"),
        "Create the empty commentary files for a quarter (never overwrites).",
    )
    new_quarter.add_argument("quarter", type=quarter_arg)
    new_quarter.add_argument(
        "--carry-forward",
        action="store_true",
        help="start each file from last quarter's text, marked as a draft to revise",
    )

    run = command(
        "run",
        _lazy("unchanged", "run_command"),
        "Validate, execute every notebook for a quarter with papermill, then publish.",
    )
    _quarter_and_jobs(run)
    run.add_argument("--priority", nargs="+", metavar="SLUG", help="only these priorities")
    run.add_argument("--no-render", action="store_true", help="execute notebooks only")
    _publish_options(run)
    run.set_defaults(republish=False, keep_earlier=True)

    watch = command(
        "watch",
        _lazy("watch", "watch_command"),
        "Run and publish a quarter again each time its data, commentary or notebooks change, "
        "with the kernels kept warm between runs (Ctrl-C to stop).",
    )
    _quarter_and_jobs(watch)
    _engine_option(watch)
    _allow_unapproved(watch)
    # What a watch's runs are: ``pmf run`` that publishes again whatever changed.
    watch.set_defaults(
        priority=None, no_render=False, force=False, republish=True, keep_earlier=True
    )

    preview = command(
        "preview",
        _lazy("preview", "preview_command"),
        "Execute and build a quarter into _preview/ to check it; the published site is "
        "not touched.",
    )
    _quarter_and_jobs(preview)
    _engine_option(preview)

    render = command(
        "render", _lazy("runs", "render_command"), "Publish already executed notebooks."
    )
    render.add_argument("--quarter", type=quarter_arg, help="e.g. 2025/26 Q2 (default: latest)")
    _publish_options(render)

    customise = command(
        "customise",
        _lazy("commands", "customise_command"),
        "Give a priority or a KPI its own notebook, a copy of the template that the run uses "
        "for it from then on (never overwrites).",
    )
    customise.add_argument("kind", choices=("priority", "kpi"))
    customise.add_argument("id", metavar="ID", help="a priority_id or kpi_id of the data")

    init = commands.add_parser(
        "init",
        help="Create a council's project folder (never overwrites a file).",
        description="Create a council's project folder (never overwrites a file).",
    )
    init.add_argument("folder", type=Path)
    init.add_argument(
        "--example", action="store_true", help="hold the illustrative council, not an empty plan"
    )
    init.set_defaults(handler=_lazy("commands", "init_command"))

    lab = commands.add_parser(
        "lab",
        help="Open JupyterLab on the project's notebooks (pip install 'pmf-utils[lab]').",
        description="Open JupyterLab on the project's notebooks (pip install 'pmf-utils[lab]').",
    )
    project_option(lab)
    lab.add_argument("--no-browser", action="store_true", help="print the address, open nothing")
    lab.add_argument(
        "options", nargs="*", help="JupyterLab's own options after --, e.g. -- --port 8890"
    )
    lab.set_defaults(handler=_lazy("lab", "lab_command"))

    from pmf_utils.imports.cli import add_commands

    add_commands(commands, data_option)
    return parser


def data_option(parser: argparse.ArgumentParser) -> None:
    """Where a command reads and writes: the project, and its data folder."""
    project_option(parser)
    parser.add_argument(
        "--data", metavar="DIR", help="the data folder (default: $PMF_DATA, else the project's)"
    )


def project_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--project",
        metavar="DIR",
        help="the project folder (default: $PMF_PROJECT, else the folder holding pmf.toml at "
        "or above the working directory)",
    )


def _quarter_and_jobs(parser: argparse.ArgumentParser) -> None:
    """The options of every command that executes a quarter's notebooks."""
    parser.add_argument("--quarter", type=quarter_arg, help="e.g. 2025/26 Q2 (default: latest)")
    parser.add_argument(
        "--jobs", type=jobs_arg, default=None, help="notebooks run at once (default: cores)"
    )


def _engine_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("auto", "quarto", "builtin"),
        help="auto: Quarto when it is on the PATH (default: the project's pmf.toml, else auto)",
    )


def _publish_options(parser: argparse.ArgumentParser) -> None:
    _engine_option(parser)
    parser.add_argument(
        "--force", action="store_true", help="re-publish a quarter, keeping the earlier version"
    )
    _allow_unapproved(parser)


def _allow_unapproved(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-unapproved",
        action="store_true",
        help="publish although commentary is awaited or not approved (every page says so)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    terminate_as_interrupt()
    try:
        return args.handler(args)
    except KeyboardInterrupt as error:
        # One line, no traceback: the publisher's message says what became of the site.
        print(str(error) or "Interrupted: nothing was published.", file=sys.stderr)
        return INTERRUPTED
    except ProjectError as error:
        print(error, file=sys.stderr)
        return INPUT_ERROR
    except Exception as error:
        from pmf_utils.data.problems import DataError

        if not isinstance(error, DataError):
            raise
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(
            f"{len(error.problems)} problem(s) in the data; nothing was changed.", file=sys.stderr
        )
        return INPUT_ERROR


if __name__ == "__main__":
    sys.exit(main())
