"""A project N times the size of the shipped plan, to measure how a quarter's cost grows.

``scale_project`` rewrites a project's ``data/`` (``pmf init DIR --example``) so the plan holds
N copies of every ambition, priority and KPI: copy k (2 to N) has every id suffixed ``-x<k>``
(a valid id and KPI id) and every ambition, priority and KPI name suffixed ``(copy <k>)``, with
all of its KPIs' rows in every data file and its commentary files in every quarter's folder.
The files are read and written as the validator reads them (``pmf_utils.data.tables``), so the
copies are the same figures under new ids, and the project still passes ``pmf validate``.

    python benchmarks/scaled.py DIR --times N   (DIR: a project made by pmf init --example)
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from pmf_utils.data.narrative import file_name
from pmf_utils.data.narrative_files import FOLDER
from pmf_utils.data.problems import Problem
from pmf_utils.data.schema import SPECS, FileSpec
from pmf_utils.data.tables import Row, read_table, write_table

NAMES = {"ambitions.csv": "ambition", "priorities.csv": "priority", "kpis.csv": "name"}
"""The column naming what each row of the plan's own files is: a copy's name differs."""
COPIED = tuple(name for name in SPECS if name != "plan.csv")
"""Every file whose rows belong to an ambition, a priority or a KPI (plan.csv is the plan's)."""
COMMENTARY = {"priorities.csv": "priority", "kpis.csv": "kpi"}
"""The files whose rows have commentary files of their own, and their kind (the overview is the
plan's, written once)."""


def copy_id(id: str, k: int) -> str:
    """Copy k's id: valid both as an id (lower case, single hyphens) and as a KPI id."""
    return f"{id}-x{k}"


def copy_row(spec: FileSpec, row: Row, k: int) -> Row:
    """The row as copy k holds it: every id it refers to and its name suffixed."""
    copied = dict(row)
    for column in spec.columns:
        if column.kind in ("id", "kpi_id") and row.get(column.name):
            copied[column.name] = copy_id(row[column.name], k)
    if spec.name in NAMES:
        copied[NAMES[spec.name]] = f"{row[NAMES[spec.name]]} (copy {k})"
    return copied


def table_rows(path: Path, spec: FileSpec) -> list[Row]:
    """A data file's rows as text; a file that does not read is an error, not a smaller plan."""
    problems: list[Problem] = []
    table = read_table(path, spec, problems)
    if problems or table is None:
        raise ValueError("\n".join(map(str, problems)) or f"{path}: not readable")
    return table.rows


def scale_project(project: Path, times: int) -> None:
    """Rewrite ``project/data`` to hold ``times`` copies of the plan (1: left as it is)."""
    if times < 1:
        raise ValueError(f"times must be 1 or more, not {times}")
    if times == 1:
        return
    data = project / "data"
    ids: dict[str, list[str]] = {}
    for name in COPIED:
        path, spec = data / name, SPECS[name]
        if not path.is_file():
            continue
        rows = table_rows(path, spec)
        if name in COMMENTARY:
            ids[COMMENTARY[name]] = [row[spec.key[0]] for row in rows]
        copies = [copy_row(spec, row, k) for k in range(2, times + 1) for row in rows]
        write_table(path, spec, rows + copies)
    for quarter in sorted((data / FOLDER).glob("*/")):
        for kind, owners in ids.items():
            for id in owners:
                source = quarter / file_name(kind, id)
                if source.is_file():
                    for k in range(2, times + 1):
                        shutil.copyfile(source, quarter / file_name(kind, copy_id(id, k)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a project made by pmf init --example")
    parser.add_argument("--times", type=int, required=True, help="copies of the plan")
    args = parser.parse_args(argv)
    scale_project(args.project, args.times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
