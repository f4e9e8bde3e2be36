"""What the data files say about each other: references, the plan, the dictionary, targets,
periods and figures, each problem located on the row that holds it."""

from __future__ import annotations

from collections.abc import Iterator

from pmf_utils.data.periods import PeriodError, format_period, parse_period
from pmf_utils.data.problems import Problem
from pmf_utils.data.schema import (
    NON_NEGATIVE_UNITS,
    REPEATABLE_PLAN_FIELDS,
    REQUIRED_PLAN_FIELDS,
    SPC_SETTINGS,
    SPECS,
)
from pmf_utils.data.tables import Row, Table, duplicates, parse_number, row_key
from pmf_utils.data.words import problems as word_problems
from pmf_utils.judge import spc_methods
from pmf_utils.judge.targets import PROFILE_FREQUENCIES, financial_year


def ids(tables: dict[str, Table], name: str, column: str) -> set[str] | None:
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


def cross_checks(tables: dict[str, Table]) -> list[Problem]:
    found = _check_plan(tables.get("plan.csv"))
    ambitions = ids(tables, "ambitions.csv", "ambition_id")
    priorities = ids(tables, "priorities.csv", "priority_id")
    kpi_ids = ids(tables, "kpis.csv", "kpi_id")
    found += _check_refs(tables.get("priorities.csv"), "ambition_id", ambitions, "ambitions.csv")
    found += _check_refs(tables.get("kpis.csv"), "priority_id", priorities, "priorities.csv")
    kpis = _kpi_rows(tables.get("kpis.csv"))
    found += _check_kpis(tables.get("kpis.csv"))
    for name in _BY_KPI:
        found += _check_refs(tables.get(name), "kpi_id", kpi_ids, "kpis.csv")
    found += _check_targets(tables.get("targets.csv"), kpis)
    for name in _BY_KPI:
        found += _check_periods(tables.get(name), kpis)
    found += _check_observations(tables.get("observations.csv"), kpis)
    return found


_BY_KPI = ("targets.csv", "observations.csv", "comparators.csv", "annotations.csv")
"""The files whose rows each belong to a KPI and one of its periods."""


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
        if name in REQUIRED_PLAN_FIELDS and not row["value"]:
            found.append(table.problem(line, "value", f"is blank: the plan needs its {name}"))
        if name == "illustrative" and row["value"].lower() not in ("", "true", "false"):
            found.append(table.problem(line, "value", "illustrative must be true or false"))
        if name in SPC_SETTINGS:
            found += _spc_problems(table, line, {name: row["value"]}, "value")
        found += [table.problem(line, "value", m) for m in word_problems(name, row["value"])]
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
        found += _chart_problems(table, line, row)
        frequency = row.get("frequency", "")
        for text in filter(None, (t.strip() for t in row.get("spc_rebase", "").split(";"))):
            try:
                parse_period(text, frequency)
            except PeriodError as error:
                found.append(table.problem(line, "spc_rebase", str(error)))
    return found


def _chart_problems(table: Table, line: int, row: Row) -> list[Problem]:
    """Chart options that read as valid cells but cannot be drawn."""
    found = []
    years = row.get("chart_years", "")
    if years and not years.strip("0"):
        found.append(table.problem(line, "chart_years", "show at least 1 year"))
    shown = [part.strip() for part in row.get("chart_benchmarks", "").split(";")]
    if "none" in shown and len(shown) > 1:
        found.append(
            table.problem(line, "chart_benchmarks", "'none' cannot be combined with a benchmark")
        )
    return found


def range_problem(unit: str | None, value: float) -> str | None:
    """Why a value cannot be in its unit (a percentage over 100, a negative count), or None."""
    if unit == "percentage" and not 0 <= value <= 100:
        return f"{value:g} is outside 0-100 for a percentage"
    if unit in NON_NEGATIVE_UNITS and value < 0:
        return f"{value:g} is negative, which a {unit} cannot be"
    return None


def _with_units(table: Table | None, kpis: dict[str, Row]) -> Iterator[tuple[Row, int, str | None]]:
    """Each row of a file of KPI figures, its line and its KPI's unit (none: no file)."""
    if table is None:
        return
    for row, line in zip(table.rows, table.lines, strict=True):
        yield row, line, kpis.get(row.get("kpi_id", ""), {}).get("unit")


def _check_targets(table: Table | None, kpis: dict[str, Row]) -> list[Problem]:
    found = []
    for row, line, unit in _with_units(table, kpis):
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
        base = row_key(table.spec, row)
        keys[-1] = (
            None
            if base is None
            else tuple(
                period if k == "period" else part
                for k, part in zip(table.spec.key, base, strict=True)
            )
        )
    return found + duplicates(table, keys)


_FREQUENCIES = SPECS["kpis.csv"].column("frequency").choices


def _check_observations(table: Table | None, kpis: dict[str, Row]) -> list[Problem]:
    found = []
    for row, line, unit in _with_units(table, kpis):
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
