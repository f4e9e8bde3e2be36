"""Read the data files and find every problem in them at once.

Every file is read (``tables``), then checked against the others (``consistency``) and the
commentary files (``narrative_files``): all problems in one pass, and nothing written.
"""

from __future__ import annotations

from pathlib import Path

from pmf_utils.data.consistency import cross_checks, ids
from pmf_utils.data.narrative_files import check_narrative
from pmf_utils.data.problems import Problem, sort_problems
from pmf_utils.data.schema import (
    SPECS,
)
from pmf_utils.data.tables import Table, read_table


def read_all(data_dir: Path) -> tuple[dict[str, Table], list[Problem]]:
    """Read every data file, then check what the files say about each other."""
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    if not data_dir.is_dir():
        return tables, [Problem(str(data_dir), 0, "-", "no such data folder")]
    for name, spec in SPECS.items():
        path = data_dir / name
        if not path.exists():
            if spec.required:
                problems.append(Problem(str(path), 0, "-", "required file is missing"))
            continue
        table = read_table(path, spec, problems)
        if table is not None:
            tables[name] = table
    problems.extend(cross_checks(tables))
    problems.extend(
        Problem(str(table.path), 2, "-", "the file has a header but no rows; add at least one")
        for name, table in tables.items()
        if not table.rows and SPECS[name].required
    )
    priorities = ids(tables, "priorities.csv", "priority_id")
    problems.extend(check_narrative(data_dir, priorities, ids(tables, "kpis.csv", "kpi_id")))
    return tables, sort_problems(problems)
