"""A data file read as text, row by row, with every cell checked against its column.

Analysts edit these files by hand, so a problem must be reported where they can find it:
``file:line: column: message``. The reader keeps the CSV line number of every row
(``csv.reader.line_num`` counts quoted line breaks correctly) so checks that span files
(``consistency``) can still point at the right line.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pmf_utils.data.periods import PeriodError, format_period, parse_period
from pmf_utils.data.problems import Problem, read_text
from pmf_utils.data.schema import (
    ID_PATTERN,
    KPI_ID_PATTERN,
    Column,
    FileSpec,
)

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
    problems.extend(_checkduplicates(table))
    return table


def write_table(path: Path, spec: FileSpec, rows: list[Row]) -> None:
    """Write rows as a data file reads: UTF-8, one header row, '\\n' line endings, columns in
    the schema's order; optional columns no row fills are left out."""
    columns = [c.name for c in spec.columns if c.required or any(r.get(c.name) for r in rows)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)


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
    if column.longest and len(text) > column.longest:
        return f"is {len(text)} characters long; keep it to {column.longest} or fewer"
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


def _checkduplicates(table: Table) -> list[Problem]:
    key = table.spec.key
    required = {k for k in key if table.spec.column(k).required}
    # plan.csv repeats some fields on purpose; periods are compared once parsed.
    if (
        table.spec.name == "plan.csv"
        or "period" in table.columns
        or not required <= set(table.columns)
    ):
        return []
    return duplicates(table, [row_key(table.spec, row) for row in table.rows])


def row_key(spec: FileSpec, row: Row) -> tuple | None:
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


def duplicates(table: Table, keys: list[tuple | None]) -> list[Problem]:
    """Point at every row whose key (``None``: not comparable) an earlier row already has."""
    label = ", ".join(k for k in table.spec.key if k in table.columns)
    first: dict[object, int] = {}
    found = []
    for key, line in zip(keys, table.lines, strict=True):
        if key is None:
            continue
        if key in first:
            found.append(
                table.problem(line, label, f"duplicate of line {first[key]} ({_key_text(key)})")
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
