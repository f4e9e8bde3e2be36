"""Quarterly returns: one Excel workbook per KPI owner out, the filled workbooks back in.

Most of a council plan's figures come from services, and most errors enter where a figure is
typed into a spreadsheet. So the workbook a service receives carries what it needs to get the
figure right (the definition, the last four figures, the target) and Excel's own data
validation for the cell to fill (a percentage between 0 and 100, a whole count...), and the
reader checks every cell again, since validation is easily pasted over: each problem is named
as ``file: sheet!cell: message``, all of them at once, and nothing is merged until there are
none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pmf_utils.data.consistency import range_problem
from pmf_utils.data.dataset import Dataset
from pmf_utils.data.periods import Cadence, PeriodError, format_period, parse_period, quarter_label
from pmf_utils.data.schema import FLAGS
from pmf_utils.data.tables import parse_number
from pmf_utils.imports.merge import SUPPRESSED, ImportFailed, Update, number_text
from pmf_utils.judge import vocabulary as v
from pmf_utils.judge.targets import target_in_force

SHEET = "Return"
HEADER_ROW = 4
EARLIER = 4
COLUMNS = (
    ("KPI id", 10),
    ("KPI", 40),
    ("Definition", 60),
    ("Unit", 18),
    ("Period", 12),
    *((f"Earlier figure {n}", 18) for n in range(1, EARLIER + 1)),
    ("Target", 14),
    ("Value", 14),
    ("Flag", 14),
    ("Note", 50),
)
"""The return sheet's columns and widths; the last three are the ones a service fills."""
_LETTER = {name: get_column_letter(i) for i, (name, _) in enumerate(COLUMNS, start=1)}
_FILL = PatternFill("solid", fgColor="FFF2CC")

UNIT_RULES = {
    "percentage": ("decimal", 0, 100, "a percentage from 0 to 100"),
    "count": ("whole", 0, None, "a whole number, 0 or more"),
    "rate": ("decimal", 0, None, "a number, 0 or more"),
    "days": ("decimal", 0, None, "a number of days, 0 or more"),
    "ratio": ("decimal", 0, None, "a number, 0 or more"),
    "currency": ("decimal", None, None, "an amount in pounds (negative for a saving)"),
    "score": ("decimal", None, None, "a number"),
}
"""Per unit: Excel's validation type, its bounds and the words the service is shown."""


def owner_slug(owner: str) -> str:
    """A file-safe name for an owner: 'Public Health: 0-19' -> 'public-health-0-19'."""
    return re.sub(r"[^a-z0-9]+", "-", owner.lower()).strip("-")


def due_periods(kpi: pd.Series, quarter: pd.Period) -> list[pd.Period]:
    """The KPI's periods that fall due in the quarter (its cadence and publication lag)."""
    cadence = Cadence(kpi["frequency"], int(kpi["lag_months"]))
    newest, before = cadence.expected_latest(quarter), cadence.expected_latest(quarter - 1)
    return [newest - n for n in range(newest.ordinal - before.ordinal)][::-1]


@dataclass(frozen=True)
class ReturnRow:
    """One figure a service is asked for, with what it needs to get it right."""

    kpi: pd.Series
    period: pd.Period
    earlier: tuple[str, ...]
    target: str
    current: pd.Series | None


def _text(kpi: pd.Series, value: float) -> str:
    return v.format_value(value, kpi["unit"], kpi["decimals"], kpi["rate_per"])


def rows_for(data: Dataset, owner: str, quarter: pd.Period) -> list[ReturnRow]:
    """The owner's KPIs' due periods, in data dictionary and period order."""
    rows = []
    for kpi_id, kpi in data.kpis[data.kpis["owner"] == owner].iterrows():
        series = data.series(kpi_id)
        targets = data.targets[data.targets["kpi_id"] == kpi_id]
        for period in due_periods(kpi, quarter):
            # The target of the period being returned (a profile row, or its year's target).
            in_force = target_in_force(targets, period, bool(kpi["year_to_date"]))
            target = "none (monitor only)" if in_force is None else _text(kpi, in_force["target"])
            before = series[series["period"] < period].tail(EARLIER)
            earlier = [
                f"{format_period(p)}: {_text(kpi, x)}"
                for p, x in zip(before["period"], before["value"], strict=True)
            ]
            earlier = [""] * (EARLIER - len(earlier)) + earlier
            same = series[series["period"] == period]
            current = same.iloc[0] if len(same) else None
            rows.append(ReturnRow(kpi, period, tuple(earlier), target, current))
    return rows


def _validation(unit: str, decimals: int) -> DataValidation:
    kind, low, high, words = UNIT_RULES[unit]
    if low is not None and high is not None:
        rule = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high))
    elif low is not None:
        rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
    else:
        rule = DataValidation(type=kind, operator="between", formula1="-1E+15", formula2="1E+15")
    rule.error = f"Enter {words}, or leave it blank and choose 'suppressed' as the flag."
    rule.errorTitle = "Not a figure for this KPI"
    places = f", to {decimals} decimal place{'s' * (decimals > 1)}" if decimals else ""
    rule.prompt = f"Enter {words}{places}"
    rule.showErrorMessage = rule.showInputMessage = rule.allow_blank = True
    return rule


def _unit_words(kpi: pd.Series) -> str:
    if kpi["unit"] == "rate":
        return f"rate per {kpi['rate_per']:,.0f}"
    return {"currency": "pounds (£)", "percentage": "percentage (0-100)"}.get(
        kpi["unit"], kpi["unit"]
    )


def make_workbook(data: Dataset, owner: str, quarter: pd.Period, path: Path) -> int:
    """Write one owner's return for the quarter; returns how many figures it asks for."""
    rows = rows_for(data, owner, quarter)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet["A1"] = f"{data.plan.council}: {owner}: return for {quarter_label(quarter)}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        "Fill the yellow cells: the value (blank only if suppressed), a flag if one applies, "
        "and a note for anything a reader should know. Do not change the other cells."
    )
    for column, (name, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, column, name)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    flags = DataValidation(type="list", formula1=f'"{",".join(FLAGS)}"', allow_blank=True)
    flags.error, flags.showErrorMessage = f"Choose one of: {', '.join(FLAGS)}", True
    sheet.add_data_validation(flags)
    rules: dict[str, DataValidation] = {}
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        kpi, current = row.kpi, row.current
        fixed = (kpi["kpi_id"], kpi["name"], kpi["definition"], _unit_words(kpi))
        values = (*fixed, format_period(row.period), *row.earlier, row.target)
        for column, value in enumerate(values, start=1):
            sheet.cell(number, column, value).alignment = Alignment(wrap_text=True, vertical="top")
        filled = (
            None if current is None or pd.isna(current["value"]) else float(current["value"]),
            None if current is None else current["flag"] or None,
            None if current is None else current["note"] or None,
        )
        for name, value in zip(("Value", "Flag", "Note"), filled, strict=True):
            cell = sheet[f"{_LETTER[name]}{number}"]
            cell.value = value
            cell.fill, cell.protection = _FILL, Protection(locked=False)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        value_cell = sheet[f"{_LETTER['Value']}{number}"]
        value_cell.number_format = "0" if not kpi["decimals"] else "0." + "0" * kpi["decimals"]
        key = f"{kpi['unit']}-{kpi['decimals']}"
        if key not in rules:
            rules[key] = _validation(kpi["unit"], kpi["decimals"])
            sheet.add_data_validation(rules[key])
        rules[key].add(value_cell)
        flags.add(sheet[f"{_LETTER['Flag']}{number}"])
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False
    book.properties.title = sheet["A1"].value
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return len(rows)


def make(
    data: Dataset, quarter: pd.Period, out_dir: Path, owners: list[str] | None = None
) -> dict[str, tuple[Path, int]]:
    """One workbook per owner with figures due; ``{owner: (path, figures asked for)}``."""
    known = list(dict.fromkeys(data.kpis["owner"]))
    if owners:
        unknown = [o for o in owners if o not in known]
        if unknown:
            raise ImportFailed(
                [
                    f"--owner '{o}' is not an owner in kpis.csv (owners: {'; '.join(known)})"
                    for o in unknown
                ]
            )
    made = {}
    for owner in owners or known:
        if rows_for(data, owner, quarter):
            path = out_dir / f"{owner_slug(owner)}.xlsx"
            made[owner] = (path, make_workbook(data, owner, quarter, path))
    return made


def _number(cell, kpi: pd.Series) -> tuple[str, str | None]:
    """The value cell as data-file text, or a message saying what is wrong with it."""
    value = cell.value
    if isinstance(value, str):
        try:
            value = parse_number(value.strip())
        except ValueError:
            return "", f"'{value}' is not a number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "", f"'{value}' is not a number"
    if "%" in (cell.number_format or ""):
        value *= 100  # typed as '75%' in Excel, stored as 0.75
    message = range_problem(kpi["unit"], value)
    if message is None and kpi["unit"] == "count" and not float(value).is_integer():
        message = f"{value:g} is not a whole number, which a count must be"
    return ("", message) if message else (number_text(value), None)


@dataclass
class _Returned:
    """One returned workbook's sheet being read, and where its problems go."""

    path: Path
    sheet: object
    problems: list[str]

    def cell(self, name: str, row: int):
        return self.sheet[f"{_LETTER[name]}{row}"]

    def problem(self, name: str, row: int, message: str) -> None:
        self.problems.append(f"{self.path}: {SHEET}!{_LETTER[name]}{row}: {message}")

    def update(self, row: int, data: Dataset, seen: dict) -> Update | None:
        """The figure on one row, every problem with it noted; None when it cannot be read."""
        kpi_id = str(self.cell("KPI id", row).value or "").strip()
        if not kpi_id:
            return None
        if kpi_id not in data.kpis.index:
            self.problem("KPI id", row, f"'{kpi_id}' is not a KPI in kpis.csv")
            return None
        kpi = data.kpi(kpi_id)
        try:
            period = parse_period(str(self.cell("Period", row).value or ""), kpi["frequency"])
        except PeriodError as error:
            self.problem("Period", row, str(error))
            return None
        text = str(self.cell("Flag", row).value or "")
        flags = {f.strip() for f in text.split(";") if f.strip()}
        for flag in sorted(flags - set(FLAGS)):
            self.problem("Flag", row, f"'{flag}' is not one of: {', '.join(FLAGS)}")
        cell = self.cell("Value", row)
        value, message = ("", None) if cell.value is None else _number(cell, kpi)
        if cell.value is None and SUPPRESSED not in flags:
            message = "no figure: enter the value, or choose 'suppressed' and say why in the note"
        elif value and SUPPRESSED in flags:
            message = "a suppressed figure must leave the value blank"
        if message:
            self.problem("Value", row, message)
        key = (kpi_id, period)
        if key in seen:
            also = f"{kpi_id} {format_period(period)} is also given at {seen[key]}"
            self.problem("KPI id", row, also)
        seen.setdefault(key, f"{self.path}: {SHEET}!{_LETTER['KPI id']}{row}")
        cells = {"value": value, "note": str(self.cell("Note", row).value or "").strip()}
        return Update(
            "observations.csv", kpi_id, period, cells, flags=frozenset(flags & set(FLAGS))
        )


def _open(path: Path, problems: list[str]) -> _Returned | None:
    """The workbook's return sheet, if it is one made by ``make`` and left in shape."""
    try:
        sheet = load_workbook(path, data_only=True)[SHEET]
    except KeyError:
        problems.append(f"{path}: no sheet '{SHEET}': not a return made by pmf returns make")
        return None
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        problems.append(f"{path}: cannot open as an Excel workbook: {error}")
        return None
    header = [sheet.cell(HEADER_ROW, c).value for c in range(1, len(COLUMNS) + 1)]
    if header != [name for name, _ in COLUMNS]:
        problems.append(
            f"{path}: {SHEET}!A{HEADER_ROW}: the column headings have changed; "
            "use the workbook as sent"
        )
        return None
    return _Returned(path, sheet, problems)


def read(paths: list[Path], data: Dataset) -> list[Update]:
    """The figures in returned workbooks, or ``ImportFailed`` listing every located problem."""
    problems: list[str] = []
    seen: dict = {}
    updates = []
    for path in paths:
        returned = _open(path, problems)
        if returned is None:
            continue
        for row in range(HEADER_ROW + 1, returned.sheet.max_row + 1):
            update = returned.update(row, data, seen)
            if update is not None:
                updates.append(update)
    if problems:
        raise ImportFailed(problems)
    return updates
