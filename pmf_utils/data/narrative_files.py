"""Commentary files checked with the data, before anything runs.

A commentary file that belongs to nothing (a misspelled name, a KPI or priority that is not in
the plan, a folder that is not a quarter) would never be published and never mentioned, and
one that is not UTF-8 would fail only after every notebook had run. Both are bad input: they
are reported with the data's problems, located, all at once, and the run does not start. A
file for a KPI that has left the dictionary belongs to nothing too: move it out of
``narrative/`` (the published quarters keep what was published). A sign-off front matter that
is wrong (``frontmatter``) is reported the same way, by line and field.
"""

from __future__ import annotations

import re
from pathlib import Path

from pmf_utils.data import frontmatter
from pmf_utils.data.periods import PeriodError, parse_quarter, quarter_slug
from pmf_utils.data.problems import Problem, read_text

FOLDER = "narrative"
_NAME = re.compile(r"^(?:overview|priority-(?P<priority>.+)|kpi-(?P<kpi>.+))\.md$")
_EXPECTED = "commentary files are overview.md, priority-<priority_id>.md or kpi-<kpi_id>.md"


def check_narrative(
    data_dir: Path, priority_ids: set[str] | None, kpi_ids: set[str] | None
) -> list[Problem]:
    """Every problem with the commentary files of every quarter (ids None: not checked)."""
    folder = data_dir / FOLDER
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    for quarter in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        message = _quarter_problem(quarter)
        if message:
            problems.append(Problem(str(quarter), 1, "-", message))
            continue
        for path in sorted(p for p in quarter.iterdir() if not p.name.startswith(".")):
            message = _file_problem(path, priority_ids, kpi_ids)
            if message:
                problems.append(Problem(str(path), 1, "-", message))
            else:
                text = read_text(path, problems, "save it as UTF-8 text")
                if text is not None:
                    problems += front_matter_problems(path, text)
    return problems


def front_matter_problems(path: Path, text: str) -> list[Problem]:
    """A sign-off front matter that is wrong (unknown status, approval without approver or
    date, a bad date), located by line and field."""
    _front, _body, found = frontmatter.parse(text)
    return [Problem(str(path), f.line, f.field, f.message) for f in found]


def _quarter_problem(path: Path) -> str | None:
    expected = "commentary goes in a folder per quarter, e.g. narrative/2025-26-q2/"
    if not path.is_dir():
        return f"belongs to no quarter: {expected}"
    try:
        slug = quarter_slug(parse_quarter(path.name))
    except PeriodError:
        return f"'{path.name}' is not a quarter: {expected}"
    return None if slug == path.name else f"rename the folder to {slug}"


def _file_problem(
    path: Path, priority_ids: set[str] | None, kpi_ids: set[str] | None
) -> str | None:
    match = _NAME.match(path.name)
    if not match:
        return f"belongs to nothing and would never be published: {_EXPECTED}"
    for kind, known, where in (
        ("priority", priority_ids, "priorities.csv"),
        ("kpi", kpi_ids, "kpis.csv"),
    ):
        id = match[kind]
        if id is not None and known is not None and id not in known:
            return f"is for {kind} '{id}', which is not in {where}: it would never be published"
    return None
