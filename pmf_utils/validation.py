"""Read the data files and find every problem in them at once.

Analysts edit these files by hand, so a problem must be reported where they can find it:
``file:line: column: message``, all problems in one pass, and nothing written. The reader keeps
the CSV line number of every row (``csv.reader.line_num`` counts quoted line breaks correctly)
so later checks that span files can still point at the right line.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import spc_methods
from .narrative_files import check_narrative
from .periods import PeriodError, format_period, parse_period
from .problems import Problem, read_text, sort_problems
from .schema import (
    ID_PATTERN,
    KPI_ID_PATTERN,
    NON_NEGATIVE_UNITS,
    REPEATABLE_PLAN_FIELDS,
    REQUIRED_PLAN_FIELDS,
    SPC_SETTINGS,
    SPECS,
    Column,
    FileSpec,
)
from .targets import PROFILE_FREQUENCIES, financial_year

Row = dict[str, str]


@dataclass
class Table:
    """The rows of one file as text, each with the line it starts on."""

    spec: FileSpec
    path: Path
    rows: list[Row]
    lines: list[int]
    columns: list[str]

    def problem(self, line: int, column: str, message: str) -> Problem:
        return Problem(str(self.path), line, column, message)


def read_table(path: Path, spec: FileSpec, problems: list[Problem]) -> Table | None:
    """Read one CSV file as text, noting unreadable files, bad headers and bad cells."""
    text = read_text(path, problems, "save the file as 'CSV UTF-8'")
    if text is None:
        return None
    if not text.strip():
        expected = ",".join(c.name for c in spec.columns if c.required)
        problems.append(
            Problem(str(path), 1, "-", f"the file is empty; it needs a header row: {expected}")
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        table = Table(spec, path, [], [], header)
        problems.extend(_check_header(table))
        start = reader.line_num + 1
        for record in reader:
            if not any(cell.strip() for cell in record):
                start = reader.line_num + 1
                continue
            if len(record) != len(header):
                problems.append(
                    table.problem(
                        start,
                        "-",
                        f"row has {len(record)} cells but the header has {len(header)}",
                    )
                )
            row = {name: cell.strip() for name, cell in zip(header, record, strict=False)}
            table.rows.append(row)
            table.lines.append(start)
            start = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(str(path), reader.line_num, "-", f"not valid CSV: {error}"))
        return None
    for row, line in zip(table.rows, table.lines, strict=True):
        problems.extend(_check_cells(table, row, line))
    problems.extend(_check_duplicates(table))
    return table


def _check_header(table: Table) -> list[Problem]:
    known = [c.name for c in table.spec.columns]
    found = []
    for name in table.columns:
        if name not in known:
            found.append(
                table.problem(1, name or "-", f"unknown column (expected: {', '.join(known)})")
            )
    seen = set()
    for name in table.columns:
        if name in seen:
            found.append(table.problem(1, name, "column appears twice"))
        seen.add(name)
    for column in table.spec.columns:
        if column.required and column.name not in table.columns:
            found.append(table.problem(1, column.name, "missing column"))
    return found


def parse_number(text: str) -> float:
    """A finite number written plainly (no thousands separators, units or per cent signs)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _cell_problem(column: Column, text: str) -> str | None:
    if not text:
        return None if column.blank else "is blank"
    kind = column.kind
    if kind == "id" and not re.match(ID_PATTERN, text):
        return f"'{text}' is not an id (lower case letters, digits and single hyphens)"
    if kind == "kpi_id" and not re.match(KPI_ID_PATTERN, text):
        return f"'{text}' is not a KPI id (letters, digits, '-' or '_')"
    if kind == "number":
        try:
            parse_number(text)
        except ValueError:
            return f"'{text}' is not a number"
    if kind == "integer" and not re.fullmatch(r"\d+", text):
        return f"'{text}' is not a whole number of 0 or more"
    if kind == "choice" and text not in column.choices:
        return f"'{text}' is not one of: {', '.join(column.choices)}"
    if kind == "flags":
        bad = [f for f in text.split(";") if f.strip() not in column.choices]
        if bad:
            return f"'{bad[0].strip()}' is not one of: {', '.join(column.choices)}"
    if kind == "year":
        try:
            parse_period(text, "annual-financial")
        except PeriodError as error:
            return str(error)
    return None


def _check_cells(table: Table, row: Row, line: int) -> list[Problem]:
    found = []
    for column in table.spec.columns:
        if column.name in row:
            message = _cell_problem(column, row[column.name])
            if message:
                found.append(table.problem(line, column.name, message))
    return found


def _check_duplicates(table: Table) -> list[Problem]:
    key = table.spec.key
    required = {k for k in key if table.spec.column(k).required}
    # plan.csv repeats some fields on purpose; periods are compared once parsed.
    if table.spec.name == "plan.csv" or "period" in table.columns or not required <= set(
        table.columns
    ):
        return []
    return _duplicates(table, [_key(table.spec, row) for row in table.rows])


def _key(spec: FileSpec, row: Row) -> tuple | None:
    """A row's key as the report reads it: a year written 2025/26 or 2025-26 is one year.
    ``None`` (not comparable) when a year cannot be read; that cell is reported already."""
    parts = []
    for name in spec.key:
        if spec.column(name).kind == "year":
            try:
                parts.append(parse_period(row[name], "annual-financial"))
            except PeriodError:
                return None
        else:
            parts.append(row.get(name, ""))  # an optional key column may be absent
    return tuple(parts)


def _duplicates(table: Table, keys: list[tuple | None]) -> list[Problem]:
    """Point at every row whose key (``None``: not comparable) an earlier row already has."""
    label = ", ".join(k for k in table.spec.key if k in table.columns)
    first: dict[object, int] = {}
    found = []
    for key, line in zip(keys, table.lines, strict=True):
        if key is None:
            continue
        if key in first:
            found.append(
                table.problem(
                    line, label, f"duplicate of line {first[key]} ({_key_text(key)})"
                )
            )
        else:
            first[key] = line
    return found


def _key_text(key: tuple) -> str:
    """A row's key as written, leaving out a blank optional part (a target's period)."""
    return " ".join(
        format_period(part) if isinstance(part, pd.Period) else str(part)
        for part in key
        if part not in ("", None)
    )


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
    problems.extend(_cross_checks(tables))
    problems.extend(
        Problem(str(table.path), 2, "-", "the file has a header but no rows; add at least one")
        for name, table in tables.items()
        if not table.rows and SPECS[name].required
    )
    priorities = _ids(tables, "priorities.csv", "priority_id")
    problems.extend(check_narrative(data_dir, priorities, _ids(tables, "kpis.csv", "kpi_id")))
    return tables, sort_problems(problems)


def _ids(tables: dict[str, Table], name: str, column: str) -> set[str] | None:
    table = tables.get(name)
    if table is None or column not in table.columns:
        return None
    return {row[column] for row in table.rows}


def _check_refs(
    table: Table | None, column: str, known: set[str] | None, what: str
) -> list[Problem]:
    if table is None or known is None or column not in table.columns:
        return []
    return [
        table.problem(line, column, f"'{row[column]}' is not in {what}")
        for row, line in zip(table.rows, table.lines, strict=True)
        if row[column] and row[column] not in known
    ]


def _cross_checks(tables: dict[str, Table]) -> list[Problem]:
    found = _check_plan(tables.get("plan.csv"))
    ambitions = _ids(tables, "ambitions.csv", "ambition_id")
    priorities = _ids(tables, "priorities.csv", "priority_id")
    kpi_ids = _ids(tables, "kpis.csv", "kpi_id")
    found += _check_refs(tables.get("priorities.csv"), "ambition_id", ambitions, "ambitions.csv")
    found += _check_refs(tables.get("kpis.csv"), "priority_id", priorities, "priorities.csv")
    kpis = _kpi_rows(tables.get("kpis.csv"))
    found += _check_kpis(tables.get("kpis.csv"))
    for name in ("targets.csv", "observations.csv", "comparators.csv"):
        found += _check_refs(tables.get(name), "kpi_id", kpi_ids, "kpis.csv")
    found += _check_targets(tables.get("targets.csv"), kpis)
    for name in ("targets.csv", "observations.csv", "comparators.csv"):
        found += _check_periods(tables.get(name), kpis)
    found += _check_observations(tables.get("observations.csv"), kpis)
    return found


def _check_plan(table: Table | None) -> list[Problem]:
    if table is None or not {"field", "value"} <= set(table.columns):
        return []
    found = []
    seen: dict[str, int] = {}
    for row, line in zip(table.rows, table.lines, strict=True):
        name = row["field"]
        if name in seen and name not in REPEATABLE_PLAN_FIELDS:
            found.append(
                table.problem(
                    line, "field", f"'{name}' is given twice (first on line {seen[name]})"
                )
            )
        seen.setdefault(name, line)
        if name == "illustrative" and row["value"].lower() not in ("true", "false"):
            found.append(table.problem(line, "value", "illustrative must be true or false"))
        if name in SPC_SETTINGS:
            found += _spc_problems(table, line, {name: row["value"]}, "value")
    for name in REQUIRED_PLAN_FIELDS:
        if name not in seen:
            found.append(table.problem(1, "field", f"the plan needs a '{name}' row"))
    return found


def _spc_problems(table: Table, line: int, settings: Row, column: str | None) -> list[Problem]:
    """Each ``spc_*`` setting that is not a valid value, at its column (or ``column``)."""
    found = []
    for name, text in settings.items():
        if name in SPC_SETTINGS and text:
            try:
                spc_methods.parse(name, text)
            except ValueError as error:
                message = f"{name}: {error}" if column else str(error)
                found.append(table.problem(line, column or name, message))
    return found


def _kpi_rows(table: Table | None) -> dict[str, Row]:
    if table is None or "kpi_id" not in table.columns:
        return {}
    return {row["kpi_id"]: row for row in table.rows}


def _number(text: str) -> float | None:
    try:
        return parse_number(text) if text else None
    except ValueError:
        return None


def _check_kpis(table: Table | None) -> list[Problem]:
    if table is None:
        return []
    found = []
    for row, line in zip(table.rows, table.lines, strict=True):
        unit = row.get("unit")
        rate_per = _number(row.get("rate_per", ""))
        if unit == "rate" and (rate_per is None or rate_per <= 0):
            found.append(
                table.problem(line, "rate_per", "a rate needs its population base, e.g. 1000")
            )
        if unit != "rate" and row.get("rate_per"):
            found.append(
                table.problem(line, "rate_per", f"only a rate has a population base, not a {unit}")
            )
        decimals = row.get("decimals", "")
        if decimals.isdigit() and int(decimals) > 3:
            found.append(table.problem(line, "decimals", "print at most 3 decimal places"))
        threshold = _number(row.get("change_threshold", ""))
        if threshold is not None and threshold < 0:
            found.append(table.problem(line, "change_threshold", "cannot be negative"))
        found += _spc_problems(table, line, row, None)
        frequency = row.get("frequency", "")
        for text in filter(None, (t.strip() for t in row.get("spc_rebase", "").split(";"))):
            try:
                parse_period(text, frequency)
            except PeriodError as error:
                found.append(table.problem(line, "spc_rebase", str(error)))
    return found


def range_problem(unit: str | None, value: float) -> str | None:
    """Why a value cannot be in its unit (a percentage over 100, a negative count), or None."""
    if unit == "percentage" and not 0 <= value <= 100:
        return f"{value:g} is outside 0-100 for a percentage"
    if unit in NON_NEGATIVE_UNITS and value < 0:
        return f"{value:g} is negative, which a {unit} cannot be"
    return None


def _check_targets(table: Table | None, kpis: dict[str, Row]) -> list[Problem]:
    if table is None:
        return []
    found = []
    for row, line in zip(table.rows, table.lines, strict=True):
        unit = kpis.get(row.get("kpi_id", ""), {}).get("unit")
        target = _number(row.get("target", ""))
        tolerance = _number(row.get("tolerance", ""))
        if tolerance is not None and tolerance < 0:
            found.append(table.problem(line, "tolerance", "cannot be negative"))
        if not row.get("target"):
            column, message = (
                ("tolerance", "a tolerance needs a target")
                if row.get("tolerance")
                else ("target", "is blank")
            )
            found.append(table.problem(line, column, message))
        if target is not None:
            message = range_problem(unit, target)
            if message:
                found.append(table.problem(line, "target", message))
        found += _profile_problems(table, line, row, kpis)
    return found


def _profile_problems(table: Table, line: int, row: Row, kpis: dict[str, Row]) -> list[Problem]:
    """A target for one period must divide the KPI's year and lie in the row's year.

    A period that does not parse for the KPI's frequency is reported by ``_check_periods``.
    """
    frequency = kpis.get(row.get("kpi_id", ""), {}).get("frequency")
    if not row.get("period") or frequency not in _FREQUENCIES:
        return []
    try:
        period = parse_period(row["period"], frequency)
        year = parse_period(row.get("year", ""), "annual-financial")
    except PeriodError:
        return []
    if frequency not in PROFILE_FREQUENCIES:
        message = f"{frequency} KPIs have one figure a year: leave period blank"
    elif financial_year(period) != year:
        message = f"{format_period(period)} is not in {row['year']}"
    else:
        return []
    return [table.problem(line, "period", message)]


def _check_periods(table: Table | None, kpis: dict[str, Row]) -> list[Problem]:
    """Each period must be written for its KPI's frequency; equal periods are duplicates.

    Duplicates are found on the parsed period, since '2025/26 Q1' and '2025-26-q1' are one.
    """
    if table is None or not {"kpi_id", "period"} <= set(table.columns):
        return []
    found = []
    keys: list[tuple | None] = []
    for row, line in zip(table.rows, table.lines, strict=True):
        keys.append(None)
        frequency = kpis.get(row["kpi_id"], {}).get("frequency")
        if frequency not in _FREQUENCIES:
            continue
        try:
            # A target's period may be blank: the target is for the whole year.
            period = parse_period(row["period"], frequency) if row["period"] else None
        except PeriodError as error:
            found.append(table.problem(line, "period", f"{error} ({frequency} KPI)"))
            continue
        base = _key(table.spec, row)
        keys[-1] = None if base is None else tuple(
            period if k == "period" else part for k, part in zip(table.spec.key, base, strict=True)
        )
    return found + _duplicates(table, keys)


_FREQUENCIES = SPECS["kpis.csv"].column("frequency").choices


def _check_observations(table: Table | None, kpis: dict[str, Row]) -> list[Problem]:
    if table is None:
        return []
    found = []
    for row, line in zip(table.rows, table.lines, strict=True):
        unit = kpis.get(row.get("kpi_id", ""), {}).get("unit")
        for column in ("value", "ci_lower", "ci_upper", "england", "region", "neighbours"):
            value = _number(row.get(column, ""))
            message = range_problem(unit, value) if value is not None else None
            if message:
                found.append(table.problem(line, column, message))
        for column in ("numerator", "denominator"):
            value = _number(row.get(column, ""))
            if value is not None and value < 0:
                found.append(table.problem(line, column, f"{value:g} is negative"))
        flags = {f.strip() for f in row.get("flag", "").split(";") if f.strip()}
        if "suppressed" in flags and row.get("value"):
            found.append(table.problem(line, "value", "a suppressed figure must leave value blank"))
        lower, upper = _number(row.get("ci_lower", "")), _number(row.get("ci_upper", ""))
        if (lower is None) != (upper is None):
            found.append(
                table.problem(line, "ci_lower", "give both ends of the interval or neither")
            )
        elif lower is not None and upper is not None and lower > upper:
            found.append(table.problem(line, "ci_lower", f"{lower:g} is above ci_upper {upper:g}"))
    return found
