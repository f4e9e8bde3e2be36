"""``pmf import fingertips`` and ``pmf returns make|read``: the commands and what they print.

Both imports show the diff first (rows added, changed, unchanged), then write by default and
say which files they wrote; ``--dry-run`` shows the diff, checks the result and writes
nothing. Files are in git, so a written import is reviewed (and undone) there, and a changed
figure carries the ``revised`` flag. Any problem in the input or in the merged result stops the
import with every problem listed, exit status 2, and no file changed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

INPUT_ERROR = 2


def add_commands(commands, data_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``import`` and ``returns`` (each with its own subcommands) to the ``pmf`` parser."""
    from pmf_utils.cli import quarter_arg

    group = commands.add_parser("import", help="Bring published figures into the data files.")
    sources = group.add_subparsers(dest="source", required=True, metavar="SOURCE")
    fingertips = sources.add_parser(
        "fingertips",
        help="Import an OHID Fingertips data download (CSV).",
        description="Import an OHID Fingertips data download (classic or newer CSV layout).",
    )
    fingertips.add_argument("file", type=Path, help="the downloaded CSV")
    fingertips.add_argument("--area", required=True, metavar="CODE", help="the council's code")
    fingertips.add_argument(
        "--map",
        action="append",
        required=True,
        metavar="INDICATOR_ID=KPI_ID",
        help="which indicator feeds which KPI; INDICATOR_ID:SEX:AGE:CATEGORY=KPI_ID picks rows",
    )
    fingertips.add_argument(
        "--neighbours", type=Path, metavar="FILE", help="area codes of the comparator areas"
    )
    _common(fingertips, data_option, fingertips_command)

    group = commands.add_parser("returns", help="Quarterly returns workbooks out and back in.")
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    make = actions.add_parser("make", help="Write one .xlsx return per KPI owner for a quarter.")
    make.add_argument("quarter", type=quarter_arg, help="e.g. 2025/26 Q2")
    make.add_argument("--owner", action="append", metavar="NAME", help="only this owner")
    make.add_argument("--out", type=Path, metavar="DIR", help="default: returns/<quarter>")
    data_option(make)
    make.set_defaults(handler=returns_make_command)
    read = actions.add_parser("read", help="Check returned workbooks and merge their figures.")
    read.add_argument("files", type=Path, nargs="+", metavar="FILE.xlsx")
    _common(read, data_option, returns_read_command)


def _common(parser: argparse.ArgumentParser, data_option, handler) -> None:
    data_option(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="show the diff and check it; write nothing"
    )
    parser.set_defaults(handler=handler)


def _failed(problems: list[str]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was changed.", file=sys.stderr)
    return INPUT_ERROR


def describe(merge) -> list[str]:
    """The diff as lines: a count per file, then each added and changed row."""
    from pmf_utils.imports.merge import ADDED, CHANGED, UNCHANGED

    lines = []
    for name in dict.fromkeys(c.file for c in merge.changes):
        counts = ", ".join(f"{merge.count(k, name)} {k}" for k in (ADDED, CHANGED, UNCHANGED))
        lines.append(f"{name}: {counts}")
        for change in merge.changes:
            if change.file != name or change.kind == UNCHANGED:
                continue
            if change.kind == ADDED:
                cells = [
                    f"{c} {change.after[c]}"
                    for c in change.columns
                    if change.after[c] and c not in ("kpi_id", "period", "area")
                ]
                lines.append(f"  + {change.label}: {', '.join(cells)}")
            elif change.kind == CHANGED:
                cells = [
                    f"{c} '{change.before.get(c, '')}' -> '{change.after[c]}'"
                    for c in change.columns
                ]
                lines.append(f"  ~ {change.label}: {', '.join(cells)}")
    return lines


def _merge(args: argparse.Namespace, read: Callable) -> int:
    """Read the source, show the diff, check the result, and write it unless a dry run."""
    from pmf_utils.data.dataset import find_data_dir, load
    from pmf_utils.imports.merge import ImportFailed, check, plan, write

    data_dir = find_data_dir(args.data, args.project)
    data = load(data_dir)
    try:
        updates = read(data)
        merge = plan(data_dir, updates, data.kpis["frequency"].to_dict())
    except ImportFailed as error:
        return _failed(error.problems)
    print("\n".join(describe(merge) or ["nothing to import"]))
    if args.dry_run:
        check(data_dir, merge.texts)
        print("Dry run: the result is valid; nothing was written.")
    elif merge.texts:
        try:
            written = write(data_dir, merge)
        except OSError as error:
            print(f"cannot write the data files: {error}; nothing was changed.", file=sys.stderr)
            return 1
        print(f"Wrote {', '.join(str(p) for p in written)} (validated).")
    else:
        print("Nothing changed; no file was written.")
    return 0


def fingertips_command(args: argparse.Namespace) -> int:
    """``pmf import fingertips FILE --area CODE --map ID=KPI ...``."""
    from pmf_utils.imports import fingertips
    from pmf_utils.imports.merge import ImportFailed

    try:
        mappings = [fingertips.Mapping.parse(text) for text in args.map]
        neighbours = fingertips.read_neighbours(args.neighbours) if args.neighbours else []
    except ValueError as error:
        return _failed([f"--map: {error}"])
    except ImportFailed as error:
        return _failed(error.problems)
    return _merge(
        args, lambda data: fingertips.read(args.file, args.area, mappings, data.kpis, neighbours)
    )


def returns_make_command(args: argparse.Namespace) -> int:
    """``pmf returns make Q [--owner NAME] [--out DIR]``."""
    from pmf_utils.data.dataset import find_data_dir, load
    from pmf_utils.data.periods import quarter_label, quarter_slug
    from pmf_utils.imports import returns
    from pmf_utils.imports.merge import ImportFailed

    data = load(find_data_dir(args.data, args.project))
    # Beside the data folder, in the project (never wherever the command happened to run).
    out = args.out or data.data_dir.parent / "returns" / quarter_slug(args.quarter)
    try:
        made = returns.make(data, args.quarter, out, args.owner)
    except ImportFailed as error:
        return _failed(error.problems)
    for owner, (path, figures) in made.items():
        print(f"{path}: {owner}: {figures} figure(s) to fill")
    print(f"{len(made)} return(s) for {quarter_label(args.quarter)} in {out}")
    return 0


def returns_read_command(args: argparse.Namespace) -> int:
    """``pmf returns read FILE.xlsx ... [--dry-run]``."""
    from pmf_utils.imports import returns

    return _merge(args, lambda data: returns.read(args.files, data))
