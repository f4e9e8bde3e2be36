"""Returns workbooks: made per owner, filled in (with the usual mistakes), read back, merged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from pmf_utils.cli import main
from pmf_utils.data.dataset import load
from pmf_utils.data.periods import parse_quarter
from pmf_utils.imports.returns import owner_slug
from pmf_utils.judge.assessment import assess

from .conftest import SHIPPED_DATA, snapshot

HR, FINANCE = "Human Resources", "Finance"


def make(data: Path, out: Path, quarter: str, *owners: str) -> dict[str, Path]:
    args = ["returns", "make", quarter, "--data", str(data), "--out", str(out)]
    for owner in owners:
        args += ["--owner", owner]
    assert main(args) == 0
    return {owner: out / f"{owner_slug(owner)}.xlsx" for owner in owners}


def fill(path: Path, cells: dict[str, object]) -> Path:
    """Type into a returned workbook as a service would (or as a paste would, past validation)."""
    book = load_workbook(path)
    for ref, value in cells.items():
        book["Return"][ref] = value
    book.save(path)
    return path


def read(data: Path, *paths: Path, extra: tuple[str, ...] = ()) -> int:
    return main(["returns", "read", *map(str, paths), "--data", str(data), *extra])


def observation(data: Path, kpi: str, period: str) -> pd.Series:
    frame = pd.read_csv(data / "observations.csv", dtype=str, keep_default_na=False)
    return frame[(frame["kpi_id"] == kpi) & (frame["period"] == period)].iloc[0]


def test_workbook_carries_what_the_service_needs(data_copy: Path, tmp_path: Path) -> None:
    path = make(data_copy, tmp_path / "out", "2025/26 Q3", HR)[HR]
    sheet = load_workbook(path)["Return"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=sheet.max_row)]
    assert [(r[0], r[4]) for r in rows] == [
        ("SEW01", "2025/26 Q3"),
        ("SEW02", "2025/26 Q3"),
        ("SEW03", "2025-09"),
        ("SEW03", "2025-10"),
        ("SEW03", "2025-11"),
        ("SEW04", "2025/26 Q3"),
    ]
    kpi = load(data_copy).kpi("SEW01")
    assert rows[0][1:4] == [kpi["name"], kpi["definition"], "percentage (0-100)"]
    assert rows[0][5:10] == [
        "2024/25 Q3: 24.5%",
        "2024/25 Q4: 24.6%",
        "2025/26 Q1: 24.3%",
        "2025/26 Q2: 24.9%",
        "24.5%",
    ]
    assert rows[0][10:] == [None, None, None]  # value, flag, note: to fill
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    percentage = next(dv for ref, dv in rules.items() if "K5" in ref.split())
    assert (percentage.type, percentage.formula1, percentage.formula2) == ("decimal", "0", "100")
    days = next(dv for ref, dv in rules.items() if "K7" in ref.split())
    assert (days.type, days.operator, days.formula1) == ("decimal", "greaterThanOrEqual", "0")
    flags = next(dv for dv in rules.values() if dv.type == "list")
    assert flags.formula1 == '"provisional,revised,estimated,suppressed"'
    assert {str(c) for c in flags.sqref.ranges} >= {f"L{n}" for n in range(5, 11)}
    assert sheet.protection.sheet
    assert not sheet["K5"].protection.locked and sheet["A5"].protection.locked


def test_mistakes_are_located_and_nothing_is_merged(
    data_copy: Path, tmp_path: Path, capsys
) -> None:
    paths = make(data_copy, tmp_path / "out", "2025/26 Q3", HR, FINANCE)
    hr = fill(
        paths[HR],
        {
            "K5": "about 25",  # text in a number cell
            "K6": 120,  # a percentage over 100
            # K7 (SEW03 2025-09) left blank: a missing value
            "K8": 11.9,
            "K9": 12.0,
            "K10": 11.1,
            "L10": "final",  # not a flag
        },
    )
    finance = fill(paths[FINANCE], {"K5": 1200000})
    before = snapshot(data_copy)
    assert read(data_copy, hr, finance) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{hr}: Return!K5: 'about 25' is not a number",
        f"{hr}: Return!K6: 120 is outside 0-100 for a percentage",
        f"{hr}: Return!K7: no figure: enter the value, or choose 'suppressed' and say why "
        "in the note",
        f"{hr}: Return!L10: 'final' is not one of: provisional, revised, estimated, suppressed",
        "4 problem(s); nothing was changed.",
    ]
    assert snapshot(data_copy) == before


def test_filled_returns_are_merged_then_reread_changes_nothing(
    data_copy: Path, tmp_path: Path, capsys
) -> None:
    paths = make(data_copy, tmp_path / "out", "2025/26 Q3", HR, FINANCE)
    hr = fill(
        paths[HR],
        {
            "K5": 25.1,
            "K6": 6.5,
            "L7": "suppressed",
            "M7": "payroll system migration: September not available",
            "K8": 11.9,
            "K9": 12.05,
            "K10": 11.1,
            "L10": "provisional",
        },
    )
    finance = fill(paths[FINANCE], {"K5": -150000, "M5": "vacancy savings"})
    assert read(data_copy, hr, finance) == 0
    out = capsys.readouterr().out
    assert "observations.csv: 7 added, 0 changed, 0 unchanged" in out
    assert observation(data_copy, "SEW01", "2025/26 Q3")["value"] == "25.1"
    suppressed = observation(data_copy, "SEW03", "2025-09")
    assert (suppressed["value"], suppressed["flag"]) == ("", "suppressed")
    assert suppressed["note"] == "payroll system migration: September not available"
    assert observation(data_copy, "SEW04", "2025/26 Q3")["flag"] == "provisional"
    assert observation(data_copy, "EES01", "2025/26 Q3")[["value", "note"]].tolist() == [
        "-150000",
        "vacancy savings",
    ]
    lines = (data_copy / "observations.csv").read_text(encoding="utf-8").splitlines()
    at = lines.index(next(line for line in lines if line.startswith("SEW01,2025/26 Q3,")))
    assert lines[at - 1].startswith("SEW01,2025/26 Q2,")  # beside its KPI, in period order

    judged = assess(load(data_copy), parse_quarter("2025/26 Q3")).set_index("kpi_id")
    assert judged.loc["SEW01", ["period", "value"]].tolist() == ["2025/26 Q3", 25.1]

    merged = snapshot(data_copy)
    assert read(data_copy, hr, finance) == 0
    assert "0 added, 0 changed, 7 unchanged" in capsys.readouterr().out
    assert snapshot(data_copy) == merged


def test_a_changed_figure_is_flagged_revised(data_copy: Path, tmp_path: Path, capsys) -> None:
    hr = make(data_copy, tmp_path / "out", "2025/26 Q2", HR)[HR]
    sheet = load_workbook(hr)["Return"]
    assert (sheet["A5"].value, sheet["K5"].value) == ("SEW01", 24.9)  # held figures pre-filled
    fill(hr, {"K5": 25.2})
    assert read(data_copy, hr, extra=("--dry-run",)) == 0
    out = capsys.readouterr().out
    assert "observations.csv: 0 added, 1 changed, 5 unchanged" in out
    assert "~ SEW01 2025/26 Q2: value '24.9' -> '25.2', flag '' -> 'revised'" in out
    assert observation(data_copy, "SEW01", "2025/26 Q2")["value"] == "24.9"  # a dry run

    assert read(data_copy, hr) == 0
    assert observation(data_copy, "SEW01", "2025/26 Q2")[["value", "flag"]].tolist() == [
        "25.2",
        "revised",
    ]


def test_workbooks_changed_out_of_shape_are_refused(
    data_copy: Path, tmp_path: Path, capsys
) -> None:
    hr = make(data_copy, tmp_path / "out", "2025/26 Q3", HR)[HR]
    moved = fill(Path(shutil.copy(hr, tmp_path / "moved.xlsx")), {"K4": "Figure"})
    wrong = fill(hr, {"K5": 25.0, "E6": "Q3", "K6": 6.0, "K7": 1, "K8": 1, "A9": "SEW99"})
    fill(wrong, {"K10": 1, "A10": "SEW01", "E10": "2025/26 Q3"})
    not_a_workbook = tmp_path / "notes.xlsx"
    not_a_workbook.write_text("not a workbook")
    assert read(data_copy, moved, wrong, not_a_workbook) == 2
    err = capsys.readouterr().err
    assert f"{moved}: Return!A4: the column headings have changed" in err
    assert f"{wrong}: Return!A9: 'SEW99' is not a KPI in kpis.csv" in err
    assert f"{wrong}: Return!E6: 'Q3' is not a quarter such as 2025/26 Q2" in err
    assert f"{wrong}: Return!A10: SEW01 2025/26 Q3 is also given at {wrong}: Return!A5" in err
    assert f"{not_a_workbook}: cannot open as an Excel workbook" in err


def test_unknown_owner(data_copy: Path, tmp_path: Path, capsys) -> None:
    args = ["returns", "make", "2025/26 Q3", "--owner", "Nobody", "--data", str(data_copy)]
    assert main([*args, "--out", str(tmp_path)]) == 2
    assert "--owner 'Nobody' is not an owner in kpis.csv" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.xlsx"))


def test_each_due_period_shows_its_own_target() -> None:
    """EES02 is year to date with a 2025/26 profile: the return for Q3 asks for the Q3 figure
    against the profiled 83.5%, not the year's 96% (and 2024/25 Q3, unprofiled, has none)."""
    from pmf_utils.imports.returns import rows_for

    data = load(SHIPPED_DATA)
    owner = data.kpi("EES02")["owner"]
    for quarter, target in [("2025/26 Q3", "83.5%"), ("2025/26 Q4", "96.0%")]:
        (row,) = [r for r in rows_for(data, owner, parse_quarter(quarter)) if r.kpi.name == "EES02"]
        assert row.target == target, quarter
    (earlier,) = [
        r for r in rows_for(data, owner, parse_quarter("2024/25 Q3")) if r.kpi.name == "EES02"
    ]
    assert earlier.target == "none (monitor only)"
