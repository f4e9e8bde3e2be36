"""Read an OHID Fingertips data download into rows of observations and comparators.

Two layouts are read. The classic "download data" CSV (and the API's ``all_data/csv``) has one
row per indicator, area, sex, age, category and period: ``Indicator ID, ..., Area Code, Area
Name, Area Type, Sex, Age, Category Type, Category, Time period, Value, Lower CI 95.0 limit,
..., Count, Denominator, Value note, ..., Compared to <parent> value or percentiles, ...``,
sometimes with ``Time period range``. The newer service's export (FingertipsNext) has
``Indicator ID, Indicator name, Period, Area, Area code, Benchmark, Compared to benchmark,
Recent trend, Count, Value unit, Value, Lower confidence limit 95%, Upper confidence limit 95%``
and names the region's rows ``Group: <name>``. The columns read are found by pattern and all
others are ignored, so the "Compared to <parent> value or percentiles" columns, named after
the parent area, never break a download (the judgements are the report's own).

For each mapped indicator the council's row gives the value, count, denominator and 95%
interval, England's and the region's rows the benchmarks, and the neighbours' rows the
comparators (their mean is the ``neighbours`` benchmark). Rows for other sexes, ages and
categories are left out unless a mapping names them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pmf_utils.data.periods import PeriodError
from pmf_utils.data.problems import Problem
from pmf_utils.data.tables import parse_number
from pmf_utils.imports.merge import SUPPRESSED, ImportFailed, Update, number_text
from pmf_utils.imports.period_labels import map_label

ENGLAND = "E92000001"
AREA_CODE = re.compile(r"^[EWSNK]\d{8}$")
GROUP_PREFIX = "Group: "

_COMMON = {
    "indicator": r"indicator id",
    "area_code": r"area code",
    "value": r"value",
    "count": r"count",
    "ci_lower": r"lower (?:ci 95(?:\.0)? limit|confidence limit 95(?:\.0)?%)",
    "ci_upper": r"upper (?:ci 95(?:\.0)? limit|confidence limit 95(?:\.0)?%)",
}
LAYOUTS = {
    "classic": _COMMON
    | {
        "area_name": r"area name",
        "parent_code": r"parent code",
        "sex": r"sex",
        "age": r"age",
        "category_type": r"category type",
        "category": r"category",
        "period": r"time period",
        "denominator": r"denominator",
        "note": r"value note",
    },
    "next": _COMMON
    | {
        "area_name": r"area",
        "sex": r"sex",
        "category_type": r"inequality type",
        "category": r"inequality category",
        "period": r"period",
    },
}
"""Each layout's fields and the pattern its header must match (lower case, single spaces)."""
REQUIRED = ("indicator", "area_code", "area_name", "period", "value")


@dataclass(frozen=True)
class Mapping:
    """``INDICATOR_ID[:SEX[:AGE[:CATEGORY]]]=KPI_ID``: which rows of an indicator feed a KPI."""

    indicator: str
    kpi_id: str
    sex: str = ""
    age: str = ""
    category: str = ""

    @classmethod
    def parse(cls, text: str) -> Mapping:
        source, equals, kpi_id = text.partition("=")
        parts = [p.strip() for p in source.split(":")]
        if not equals or not kpi_id.strip() or not parts[0].isdigit() or len(parts) > 4:
            raise ValueError(
                f"'{text}' is not INDICATOR_ID=KPI_ID (optionally INDICATOR_ID:SEX:AGE:CATEGORY)"
            )
        return cls(parts[0], kpi_id.strip(), *parts[1:])


@dataclass
class _Row:
    line: int
    cells: dict[str, str]

    def __getitem__(self, name: str) -> str:
        return self.cells.get(name, "")


def _normal(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").split()).lower()


def _layout(path: Path, header: list[str]) -> dict[str, int]:
    """Which column holds each field, by the first layout whose patterns the header fits."""
    names = [_normal(h) for h in header]
    name = "classic" if "time period" in names else "next"
    found = {}
    for field, pattern in LAYOUTS[name].items():
        index = next((i for i, n in enumerate(names) if re.fullmatch(pattern, n)), None)
        if index is not None:
            found[field] = index
    missing = [LAYOUTS[name][f] for f in REQUIRED if f not in found]
    if missing:
        raise ImportFailed(
            [
                str(Problem(str(path), 1, "-", f"not a Fingertips download: no column '{m}'"))
                for m in missing
            ]
        )
    return found


def read_rows(path: Path) -> tuple[dict[str, str], list[_Row]]:
    """The download's headings by field, and its rows with their line numbers."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFailed([str(Problem(str(path), 1, "-", f"cannot read: {error}"))]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    columns = _layout(path, header)
    rows = []
    start = reader.line_num + 1
    for record in reader:
        if any(cell.strip() for cell in record):
            cells = {f: record[i].strip() for f, i in columns.items() if i < len(record)}
            rows.append(_Row(start, cells))
        start = reader.line_num + 1
    return {f: header[i].strip() for f, i in columns.items()}, rows


def read_neighbours(path: Path) -> list[str]:
    """Area codes, the first cell of each line (a header line, blanks and '#' lines skipped)."""
    codes, problems = [], []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFailed([str(Problem(str(path), 1, "-", f"cannot read: {error}"))]) from None
    for line, text in enumerate(lines, start=1):
        cell = text.split(",")[0].strip().strip('"')
        if not cell or cell.startswith("#"):
            continue
        if AREA_CODE.match(cell):
            codes.append(cell)
        elif line > 1:
            problems.append(str(Problem(str(path), line, "-", f"'{cell}' is not an area code")))
    if problems:
        raise ImportFailed(problems)
    return codes


@dataclass
class _Source:
    """One download being read: where problems are reported and what it holds."""

    path: Path
    headings: dict[str, str]
    rows: list[_Row]
    problems: list[str]

    def problem(self, row: _Row, field: str, message: str) -> None:
        column = self.headings.get(field, field)
        self.problems.append(str(Problem(str(self.path), row.line, column, message)))

    def number(self, row: _Row, field: str) -> str:
        text = row[field]
        try:
            return number_text(parse_number(text)) if text else ""
        except ValueError:
            self.problem(row, field, f"'{text}' is not a number")
            return ""


def _one(values: Iterable[str], wanted: str, default: str | None, what: str) -> str:
    """The sex or age to take: the one asked for, the only one there, or the default."""
    found = sorted(set(values))
    if wanted:
        return next((v for v in found if v.lower() == wanted.lower()), wanted)
    if len(found) == 1:
        return found[0]
    if default in found:
        return default
    raise ValueError(f"rows for several {what} ({', '.join(found)}): name one in the mapping")


def _select(source: _Source, mapping: Mapping, area: str) -> list[_Row]:
    """The indicator's rows for one sex, age and category, every area; problems noted."""
    rows = [r for r in source.rows if r["indicator"] == mapping.indicator]
    if not rows:
        source.problems.append(f"{source.path}: indicator {mapping.indicator} is not in the file")
        return []
    if mapping.category:
        rows = [r for r in rows if r["category"].lower() == mapping.category.lower()]
    else:
        rows = [r for r in rows if not r["category_type"] and not r["category"]]
    council = [r for r in rows if r["area_code"] == area]
    where = f"{source.path}: indicator {mapping.indicator}"
    try:
        if not council:
            raise ValueError(f"no rows for area {area} {mapping.category}".rstrip())
        sex = _one((r["sex"] for r in council), mapping.sex, "Persons", "sexes")
        council = [r for r in council if r["sex"] == sex]
        age = _one((r["age"] for r in council), mapping.age, None, "ages")
        chosen = [r for r in rows if r["sex"] == sex and r["age"] == age]
        if not any(r["area_code"] == area for r in chosen):
            raise ValueError(f"no rows for area {area} ({', '.join(filter(None, (sex, age)))})")
    except ValueError as error:
        source.problems.append(f"{where}: {error}")
        return []
    return chosen


def _region_code(council: list[_Row], chosen: list[_Row]) -> str | None:
    """The council's parent area: its rows' Parent Code, or the newer export's Group rows."""
    parents = {r["parent_code"] for r in council} - {"", ENGLAND}
    if parents:
        return sorted(parents)[0]
    groups = {r["area_code"] for r in chosen if r["area_name"].startswith(GROUP_PREFIX)}
    return sorted(groups)[0] if groups else None


def _by_area(source: _Source, chosen: list[_Row]) -> dict[str, dict[str, _Row]]:
    """The chosen rows by area code and period label; a repeated pair is a problem."""
    by_area: dict[str, dict[str, _Row]] = {}
    for row in chosen:
        same = by_area.setdefault(row["area_code"], {})
        if row["period"] in same:
            first = same[row["period"]].line
            source.problem(row, "-", f"repeats the area and period of line {first}")
        same[row["period"]] = row
    return by_area


def _cells(source: _Source, row: _Row, value: str) -> dict[str, str]:
    """The council's own figures; a suppressed figure has none of them."""
    cells = {"value": value}
    for field, column in (("count", "numerator"), ("denominator", "denominator")):
        if field in row.cells:
            cells[column] = source.number(row, field) if value else ""
    if "ci_lower" in row.cells and "ci_upper" in row.cells:
        cells["ci_lower"] = source.number(row, "ci_lower") if value else ""
        cells["ci_upper"] = source.number(row, "ci_upper") if value else ""
    return cells


def _updates(
    source: _Source, mapping: Mapping, area: str, kpi: pd.Series, neighbours: list[str]
) -> list[Update]:
    by_area = _by_area(source, _select(source, mapping, area))
    council = list(by_area.get(area, {}).values())
    region = _region_code(council, [r for rows in by_area.values() for r in rows.values()])
    updates = []
    for row in council:
        try:
            mapped = map_label(row["period"], kpi["frequency"])
        except PeriodError as error:
            source.problem(row, "period", f"{error} ({mapping.kpi_id})")
            continue
        value = source.number(row, "value")
        if not value and not row["note"]:
            continue  # no figure and no reason: nothing to record
        cells = _cells(source, row, value)
        for column, code in (("england", ENGLAND), ("region", region)):
            other = by_area.get(code, {}).get(row["period"])
            if other is not None:
                cells[column] = source.number(other, "value")
        others = [by_area.get(code, {}).get(row["period"]) for code in neighbours]
        figures = {o["area_name"]: source.number(o, "value") for o in others if o is not None}
        figures = {name: figure for name, figure in figures.items() if figure}
        if figures:
            mean = sum(map(float, figures.values())) / len(figures)
            cells["neighbours"] = number_text(round(mean, kpi["decimals"] + 1))
        note = [row["note"]] + ([f"Fingertips period {row['period']}"] if mapped.rolling else [])
        flags = frozenset() if value else frozenset({SUPPRESSED})
        updates.append(
            Update(
                "observations.csv",
                mapping.kpi_id,
                mapped.period,
                cells,
                add_flags=flags,
                append_note="; ".join(filter(None, note)),
            )
        )
        updates += [
            Update("comparators.csv", mapping.kpi_id, mapped.period, {"value": figure}, area=name)
            for name, figure in figures.items()
        ]
    return updates


def read(
    path: Path,
    area: str,
    mappings: list[Mapping],
    kpis: pd.DataFrame,
    neighbours: list[str] = (),
) -> list[Update]:
    """The observation and comparator rows a download gives the mapped KPIs.

    Raises ``ImportFailed`` listing every problem: unknown KPIs, indicators or areas, labels
    that do not fit a KPI's frequency, cells that are not numbers.
    """
    headings, rows = read_rows(path)
    source = _Source(path, headings, rows, [])
    areas = {r["area_code"] for r in rows}
    if area not in areas:
        source.problems.append(f"{path}: area {area} is not in the file")
    source.problems += [
        f"{path}: neighbour {code} is not in the file" for code in neighbours if code not in areas
    ]
    updates: list[Update] = []
    for mapping in mappings:
        if mapping.kpi_id not in kpis.index:
            source.problems.append(
                f"--map {mapping.indicator}: KPI {mapping.kpi_id} is not in kpis.csv"
            )
        elif area in areas:
            updates += _updates(source, mapping, area, kpis.loc[mapping.kpi_id], list(neighbours))
    if source.problems:
        raise ImportFailed(list(dict.fromkeys(source.problems)))
    return sorted(updates, key=lambda u: (u.file != "observations.csv", u.kpi_id, u.period))
